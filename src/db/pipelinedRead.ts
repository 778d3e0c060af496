import { createHash } from 'node:crypto';
import pg from 'pg';
import utils from 'pg/lib/utils.js';
import { rowTypes } from './rowTypes.js';

/**
 * Scoped reads on PostgreSQL, pipelined. One read is the scope statement and its queries closed by
 * a single Sync: PostgreSQL runs them in one implicit transaction, so the scope's
 * transaction-local settings and role hold for the queries that follow and vanish at the Sync, as
 * with BEGIN … COMMIT, without three round trips. Several reads (of any tenants) can share one
 * write to one connection, each closed by its own Sync: each is still its own transaction, and an
 * error in one aborts that one only. Every statement is a named prepared statement, parsed once
 * per connection. node-postgres has no API for either, so this is a Submittable speaking its
 * internal connection protocol: pg is pinned, and test/scopedRead.test.ts guards the behaviour.
 */

export interface PipelinedStatement {
  text: string;
  values: readonly unknown[];
  /** Its rows are not wanted (the scope statement): they are neither described nor parsed. */
  discardRows?: boolean;
}

/** One read of a batch, settled when PostgreSQL has answered it. */
export interface PipelinedRead {
  statements: PipelinedStatement[];
  resolve(rows: unknown[][]): void;
  reject(error: Error): void;
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

/** The part of pg.Client's state a batch takes over between its reads (see `stayActive`). */
interface ClientState {
  _activeQuery: unknown;
  readyForQuery: boolean;
}

/** pg's result builder (exported at runtime as pg.Result): turns wire rows into typed objects. */
interface RowResult {
  rows: unknown[];
  addFields(fields: unknown[]): void;
  parseRow(fields: unknown[]): unknown;
  addRow(row: unknown): void;
}
const RowResult = (pg as unknown as { Result: new (rowMode: undefined, types: typeof rowTypes) => RowResult }).Result;

/** A read that opens a transaction block (on Citus) and fails leaves it aborted: the next ones are refused with this. */
const IN_FAILED_TRANSACTION = '25P02';

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

/**
 * A pg Submittable for a batch of reads. pg hands the active query the backend's answers in
 * order and forgets it at the first ReadyForQuery (or error); the batch puts itself back until
 * its last read is answered. Statements new to the connection are parsed first, each closed by a
 * Sync of its own, so a read's failure can never leave a later read without its statement.
 */
class PipelinedBatch {
  private readonly toParse: { name: string; text: string }[] = [];
  private parsing = 0;
  private reading = 0;
  private statement = 0;
  private results: RowResult[] = [];
  private failure: Error | undefined;
  /** Reads that never ran: an earlier read of the batch left its transaction block aborted. */
  private readonly unread: PipelinedRead[] = [];

  constructor(
    private readonly client: ClientState,
    private readonly reads: PipelinedRead[],
    private readonly done: (brokenBy?: Error, unread?: PipelinedRead[]) => void,
  ) {}

  // pg records a statement as parsed from these when ParseComplete arrives; the batch does it itself.
  readonly name = undefined;
  readonly text = '';

  submit(connection: Connection): void {
    const statementNames = this.reads.map((read) =>
      read.statements.map((statement) => {
        const text = statement.text;
        const name = statementName(text);
        if (connection.parsedStatements[name] === undefined && !this.toParse.some((parse) => parse.name === name)) {
          this.toParse.push({ name, text });
        }
        return name;
      }),
    );
    connection.stream.cork?.();
    try {
      for (const { name, text } of this.toParse) {
        connection.parse({ text, name, types: [] });
        connection.sync();
      }
      this.reads.forEach((read, r) => {
        read.statements.forEach((statement, s) => {
          connection.bind({
            statement: statementNames[r][s],
            values: statement.values,
            valueMapper: utils.prepareValue,
          });
          if (!statement.discardRows) connection.describe({ type: 'P', name: '' });
          connection.execute({ portal: '' });
        });
        connection.sync();
      });
    } finally {
      connection.stream.uncork?.();
    }
  }

  handleRowDescription(message: { fields: unknown[] }): void {
    const result = new RowResult(undefined, rowTypes);
    result.addFields(message.fields);
    this.results[this.statement] = result;
  }

  handleDataRow(message: { fields: unknown[] }): void {
    const result = this.results[this.statement];
    // Undescribed rows (discardRows) have no result to go to.
    result?.addRow(result.parseRow(message.fields));
  }

  handleCommandComplete(): void {
    this.results[this.statement] ??= new RowResult(undefined, rowTypes);
    this.statement++;
  }

  handleError(error: Error): void {
    if (!(error instanceof pg.DatabaseError)) {
      // The connection is gone: nothing more will be answered.
      for (const read of this.reads.slice(this.reading)) read.reject(error);
      this.reading = this.reads.length;
      this.done(error);
      return;
    }
    // PostgreSQL skips the rest of this read up to its Sync, then answers ReadyForQuery.
    this.failure = error;
    this.stayActive();
  }

  handleReadyForQuery(connection: Connection): void {
    if (this.parsing < this.toParse.length) {
      const { name, text } = this.toParse[this.parsing++];
      if (this.failure === undefined) connection.parsedStatements[name] = text;
      this.failure = undefined;
    } else {
      const read = this.reads[this.reading++];
      if ((this.failure as pg.DatabaseError | undefined)?.code === IN_FAILED_TRANSACTION) this.unread.push(read);
      else if (this.failure) read.reject(this.failure);
      else read.resolve(this.results.map((result) => result.rows));
      this.results = [];
      this.statement = 0;
      this.failure = undefined;
    }
    if (this.reading < this.reads.length) this.stayActive();
    else this.done(undefined, this.unread);
  }

  /** Stays pg's active query, and keeps pg from sending anything else, until the last read. */
  private stayActive(): void {
    this.client._activeQuery = this;
    this.client.readyForQuery = false;
  }

  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
  handleCopyData(): void {}
}

/**
 * Sends the reads as one pipeline on the client and settles each as it is answered. Resolves when
 * all are answered, with the reads that never ran because an earlier one left its transaction
 * block aborted (Citus reads are BEGIN … COMMIT): the caller ends that block and sends them again.
 * Rejects only when the connection failed (it must then not be reused).
 */
export function pipelinedReads(client: pg.ClientBase, reads: PipelinedRead[]): Promise<PipelinedRead[]> {
  if (reads.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const state = client as unknown as ClientState;
    client.query(
      new PipelinedBatch(state, reads, (brokenBy, unread = []) =>
        brokenBy ? reject(brokenBy) : resolve(unread),
      ) as never,
    );
  });
}

/** One read on its own: resolves with each statement's rows. */
export async function pipelinedRead(client: pg.ClientBase, statements: PipelinedStatement[]): Promise<unknown[][]> {
  let settle!: Pick<PipelinedRead, 'resolve' | 'reject'>;
  const rows = new Promise<unknown[][]>((resolve, reject) => (settle = { resolve, reject }));
  await pipelinedReads(client, [{ statements, ...settle }]).catch(() => undefined);
  return rows;
}
