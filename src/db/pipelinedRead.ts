import { createHash } from 'node:crypto';
import pg from 'pg';
import utils from 'pg/lib/utils.js';

/**
 * One round trip for a scoped read on PostgreSQL: the scope statement and the reads travel as
 * one extended-protocol pipeline closed by a single Sync, so PostgreSQL runs them in one implicit
 * transaction — the scope's transaction-local settings and role hold for the reads that follow
 * and vanish at the Sync, as with BEGIN … COMMIT, without three round trips. Every statement is a
 * named prepared statement (parsed once per connection); an error anywhere aborts the whole
 * implicit transaction. node-postgres has no pipelining API, so this is a Submittable speaking
 * its internal connection protocol: pg is pinned, and test/scopedRead.test.ts guards the behaviour.
 */

export interface PipelinedStatement {
  text: string;
  values: readonly unknown[];
}

interface Connection {
  parsedStatements: Record<string, string>;
  stream: { cork?: () => void; uncork?: () => void };
  parse(message: { text: string; name: string; types: unknown[] }): void;
  bind(message: { statement: string; values: readonly unknown[]; valueMapper: unknown }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(message: { portal: string }): void;
  sync(): void;
}

/** pg's result builder (exported at runtime as pg.Result): turns wire rows into typed objects. */
interface RowResult {
  rows: unknown[];
  addFields(fields: unknown[]): void;
  parseRow(fields: unknown[]): unknown;
  addRow(row: unknown): void;
}
const RowResult = (pg as unknown as { Result: new () => RowResult }).Result;

/** Statement names by text: the texts are few (one per query shape), hashing them is not free. */
const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `memgate_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (names.size >= 10_000) names.clear();
    names.set(text, name);
  }
  return name;
}

/** A pg Submittable (see pg's Query): the client hands it the backend's answers in order. */
class PipelinedRead {
  private readonly names: string[];
  private readonly results: RowResult[] = [];
  private current = 0;
  private toParse = new Set<number>();
  private failed = false;

  constructor(
    private readonly statements: PipelinedStatement[],
    private readonly resolve: (rows: unknown[][]) => void,
    private readonly reject: (error: Error) => void,
  ) {
    this.names = statements.map((statement) => statementName(statement.text));
  }

  /** pg records a statement as parsed under the active query's name and text when ParseComplete arrives. */
  get name(): string | undefined {
    return this.toParse.has(this.current) ? this.names[this.current] : undefined;
  }

  get text(): string {
    return this.statements[this.current]?.text ?? '';
  }

  submit(connection: Connection): void {
    connection.stream.cork?.();
    try {
      this.statements.forEach((statement, i) => {
        if (connection.parsedStatements[this.names[i]] === undefined) {
          connection.parse({ text: statement.text, name: this.names[i], types: [] });
          this.toParse.add(i);
        }
        connection.bind({ statement: this.names[i], values: statement.values, valueMapper: utils.prepareValue });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '' });
      });
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
  }

  handleRowDescription(message: { fields: unknown[] }): void {
    const result = new RowResult();
    result.addFields(message.fields);
    this.results[this.current] = result;
  }

  handleDataRow(message: { fields: unknown[] }): void {
    const result = this.results[this.current];
    result.addRow(result.parseRow(message.fields));
  }

  handleCommandComplete(): void {
    this.results[this.current] ??= new RowResult();
    this.current++;
  }

  handleEmptyQuery(): void {}

  handleError(error: Error): void {
    this.failed = true;
    this.reject(error);
  }

  handleReadyForQuery(): void {
    if (!this.failed) this.resolve(this.results.map((result) => result.rows));
  }

  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
  handleCopyData(): void {}
}

/** Runs the statements as one pipeline on the client; resolves with each statement's rows. */
export function pipelinedRead(client: pg.ClientBase, statements: PipelinedStatement[]): Promise<unknown[][]> {
  return new Promise((resolve, reject) => {
    client.query(new PipelinedRead(statements, resolve, reject) as never);
  });
}
