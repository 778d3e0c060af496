import { randomUUID } from 'node:crypto';
import { Prisma } from '../generated/prisma/client.js';
import { ConflictError } from '../errors.js';
import type { ChangeActor, MemoryEventKind, MemoryEventRecord, MemoryRecord } from '../model.js';
import {
  addMemoryStatements,
  contentHash,
  insertMemoriesSql,
  type AddInput,
  type AnswerRow,
  type KeyClaim,
  type NewMemoryRow,
  type PriorAnswer,
  touchEndUserSql,
} from './addMemorySql.js';
import { eventColumns, memoryColumns } from './memoryColumns.js';
import { storedMemorySql, type UserKey } from './memorySql.js';
import { recordWordsSql, rewordSql } from './memoryWordsSql.js';
import { recordEntitiesSql, relinkEntitiesSql, type EntityMention } from './entitySql.js';
import type { NewRelation } from './relationSql.js';
import { scopeOf } from './scopeSql.js';
import type { ScopedDatabase, ScopedTransaction } from './scope.js';
import { USER_TABLES, type ErasedRows } from './userTables.js';
import { vectorLiteral } from './vectorParameter.js';
import { memoryEventEndpointsSql, memoryEventsOutboxSql, type OutboxEndpoint } from './webhookSql.js';

/**
 * The one module that writes an end user's memory rows: memories, their history events (with the
 * change's actor), the webhook deliveries those events announce, and the end user's activity —
 * in SQL, inside one transaction of the user's scope. Every path that changes memories (the API's
 * adds, updates, deletions and restores, conversations, imports, erasure) goes through it, so the
 * rules are the same everywhere: no two live memories of a user with the same content, every change
 * in the history and the outbox, the end user's last activity kept.
 */

export type { AddInput, ErasedRows, KeyClaim, NewMemoryRow, PriorAnswer };
export { touchEndUserSql };

/** Why a change was made: kept with it in the memory's history. */
export interface Cause {
  reason?: string | null;
  conversationId?: string;
}

/** What a change may set. `vector` is the embedding of the content the memory will have. */
export interface MemoryFields {
  content?: string;
  vector?: readonly number[];
  metadata?: Record<string, unknown>;
  tags?: string[];
  /** null clears the expiry. */
  expiresAt?: Date | null;
  occurredAt?: Date;
  /** The entities a new content names. */
  entities?: readonly EntityMention[];
}

/** A memory as a write sees it: retired ones too. */
export type StoredMemory = MemoryRecord & { deletedAt: Date | null };

interface NewEvent extends Cause {
  memoryId: string;
  kind: MemoryEventKind;
  oldContent?: string;
  newContent?: string;
  changedFields?: string[];
}

/**
 * Privileged maintenance (db/reembed.ts): a memory's vector from the active model, unless its
 * content changed since it was read (then its writer embedded it).
 */
export function reembedSql(
  memory: { tenantId: string; id: string; contentHash: Uint8Array },
  vector: readonly number[],
  model: string,
) {
  return Prisma.sql`
    UPDATE memories SET embedding = ${vectorLiteral(vector)}::vector, embedding_model = ${model}
    WHERE tenant_id = ${memory.tenantId}::uuid AND id = ${memory.id}::uuid AND content_hash = ${memory.contentHash}`;
}

const toRecord = ({ deletedAt: _deletedAt, ...row }: StoredMemory): MemoryRecord => row;

/** The fields of `next` whose value differs from the stored memory's, in a fixed order. */
function changedFields(current: StoredMemory, next: MemoryFields): string[] {
  const differs = {
    content: next.content !== undefined && next.content !== current.content,
    metadata: next.metadata !== undefined && JSON.stringify(next.metadata) !== JSON.stringify(current.metadata),
    tags: next.tags !== undefined && JSON.stringify(next.tags) !== JSON.stringify(current.tags),
    expiresAt: next.expiresAt !== undefined && next.expiresAt?.getTime() !== current.expiresAt?.getTime(),
    occurredAt: next.occurredAt !== undefined && next.occurredAt.getTime() !== current.occurredAt.getTime(),
  };
  return Object.entries(differs)
    .filter(([, changed]) => changed)
    .map(([field]) => field);
}

/** The three changes a memory can undergo — added, changed, retired — each with its history event, in one transaction. */
export class MemoryWrite {
  private touched = false;
  private readonly now = new Date();

  constructor(
    readonly tx: ScopedTransaction,
    private readonly key: UserKey,
    private readonly embeddingModel: string,
    private readonly actor: ChangeActor | null,
    private readonly recorded: MemoryEventRecord[],
    /** On Citus the outbox takes the endpoints as values (see memoryEventEndpointsSql). */
    private readonly citus = false,
  ) {}

  /** Stores new memories in one statement; a row whose content the user already has live is skipped. Returns the ids stored. */
  async add(rows: readonly NewMemoryRow[], cause: Cause = {}): Promise<Set<string>> {
    await this.touchEndUser();
    if (rows.length === 0) return new Set();
    const inserted = await this.tx.$queryRaw<{ id: string }[]>`${insertMemoriesSql(this.key, rows)} RETURNING id`;
    const ids = new Set(inserted.map((row) => row.id));
    for (const sql of [recordWordsSql(this.key, [...ids]), ...recordEntitiesSql(this.key, rows)])
      await this.tx.$executeRaw(sql);
    const created = rows.filter((row) => ids.has(row.id));
    await this.record(
      created.map((row) => ({ memoryId: row.id, kind: 'CREATED' as const, newContent: row.content, ...cause })),
    );
    return ids;
  }

  /** The memory with this id, retired or not, locked until the transaction ends; null when the user has none. */
  async lock(id: string): Promise<StoredMemory | null> {
    const [row] = await this.tx.$queryRaw<StoredMemory[]>`${storedMemorySql(this.key, id)} FOR UPDATE`;
    return row ?? null;
  }

  /**
   * Sets the fields of a locked memory and records what changed (UPDATED, or RESTORED when it
   * brings back a retired memory or an earlier text). A retired memory comes back to life. Nothing
   * changed: nothing is written. Content that another live memory already has: ConflictError.
   */
  async change(
    current: StoredMemory,
    next: MemoryFields,
    cause: Cause,
    kind: 'UPDATED' | 'RESTORED' = 'UPDATED',
  ): Promise<MemoryRecord> {
    const revived = current.deletedAt !== null;
    const fields = changedFields(current, next);
    if (fields.length === 0 && !revived && next.vector === undefined) return toRecord(current);
    const content = next.content ?? current.content;
    const hash = contentHash(content);
    if (fields.includes('content') || revived) {
      const twins = await this.tx.$queryRaw<unknown[]>`
        SELECT 1 FROM memories
        WHERE ${scopeOf(this.key)} AND content_hash = ${hash} AND deleted_at IS NULL AND id <> ${current.id}::uuid`;
      if (twins.length > 0)
        throw new ConflictError('This end user already has a live memory with exactly this content.');
    }
    await this.touchEndUser();
    const vector = next.vector ? vectorLiteral(next.vector) : null;
    const [saved] = await this.tx.$queryRaw<MemoryRecord[]>`
      UPDATE memories SET content = ${content}, content_hash = ${hash},
        metadata = coalesce(${next.metadata === undefined ? null : JSON.stringify(next.metadata)}::jsonb, metadata),
        tags = coalesce(${next.tags ?? null}::text[], tags),
        expires_at = CASE WHEN ${next.expiresAt !== undefined} THEN ${next.expiresAt ?? null}::timestamptz ELSE expires_at END,
        occurred_at = coalesce(${next.occurredAt ?? null}::timestamptz, occurred_at),
        embedding = coalesce(${vector}::vector, embedding),
        embedding_model = CASE WHEN ${vector !== null} THEN ${this.embeddingModel} ELSE embedding_model END,
        deleted_at = NULL, updated_at = now() -- the transaction's time, as its history event's (asOf reads both)
      WHERE ${scopeOf(this.key)} AND id = ${current.id}::uuid
      RETURNING ${memoryColumns()}`;
    if (fields.includes('content'))
      for (const sql of [
        ...rewordSql(this.key, current.id),
        ...relinkEntitiesSql(this.key, current.id, next.entities ?? []),
      ])
        await this.tx.$executeRaw(sql);
    const eventKind = revived ? 'RESTORED' : kind;
    await this.record([
      {
        memoryId: current.id,
        kind: eventKind,
        oldContent: current.content,
        newContent: content,
        changedFields: fields,
        ...cause,
      },
    ]);
    return saved;
  }

  /** Retires a live memory: gone from reads and search, kept in the history with its content. */
  async retire(current: StoredMemory, cause: Cause): Promise<MemoryRecord> {
    if (current.deletedAt !== null) throw new Error('retire needs a live memory');
    await this.touchEndUser();
    await this.tx.$executeRaw`
      UPDATE memories SET deleted_at = ${this.now}::timestamptz WHERE ${scopeOf(this.key)} AND id = ${current.id}::uuid`;
    await this.record([{ memoryId: current.id, kind: 'DELETED', oldContent: current.content, ...cause }]);
    return toRecord(current);
  }

  /** The end user's row: created with their first write, its last activity moved by every one. */
  async touchEndUser(): Promise<void> {
    if (this.touched) return;
    this.touched = true;
    await this.tx.$executeRaw(touchEndUserSql(this.key, this.now));
  }

  /** The model's token usage for this end user (metering). */
  async recordUsage(
    operation: string,
    spent: { model: string; inputTokens: number; outputTokens: number; modelMs?: number }[],
  ) {
    await this.touchEndUser();
    const rows = spent.map(
      (
        usage,
      ) => Prisma.sql`(${this.key.tenantId}::uuid, ${randomUUID()}::uuid, ${this.key.externalUserId}, ${operation},
        ${usage.model}, ${usage.inputTokens}::int, ${usage.outputTokens}::int, ${usage.modelMs ?? 0}::int)`,
    );
    await this.tx.$executeRaw`
      INSERT INTO llm_usage (tenant_id, id, external_user_id, operation, model, input_tokens, output_tokens, model_ms)
      VALUES ${Prisma.join(rows)}`;
  }

  /** Writes history events (multi-row VALUES: one shard on Citus) and the deliveries that announce them. */
  private async record(events: NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    // Claude's changes name their conversation, not the credential that happened to run the job.
    const rows = events.map((event) => {
      const actor = this.actor && !event.conversationId ? JSON.stringify(this.actor) : null;
      return Prisma.sql`(${this.key.tenantId}::uuid, ${randomUUID()}::uuid, ${this.key.externalUserId}, ${event.memoryId}::uuid,
        ${event.kind}, ${event.oldContent ?? null}, ${event.newContent ?? null}, ${event.changedFields ?? []}::text[],
        ${event.conversationId ?? null}::uuid, ${event.reason ?? null}, ${actor}::jsonb)`;
    });
    const written = await this.tx.$queryRaw<MemoryEventRecord[]>`
      INSERT INTO memory_events (tenant_id, id, external_user_id, memory_id, kind, old_content, new_content, changed_fields,
                                 conversation_id, reason, actor)
      VALUES ${Prisma.join(rows)}
      RETURNING ${eventColumns}`;
    const endpoints = this.citus
      ? await this.tx.$queryRaw<OutboxEndpoint[]>(memoryEventEndpointsSql(this.key.tenantId))
      : undefined;
    const eventIds = written.map((event) => event.id);
    if (endpoints?.length !== 0) await this.tx.$executeRaw(memoryEventsOutboxSql(this.key, eventIds, endpoints));
    this.recorded.push(...written);
  }
}

/** Opens write transactions for one end user; their history events are announced once they commit. */
export class MemoryStore {
  constructor(
    private readonly db: ScopedDatabase,
    private readonly key: UserKey,
    private readonly embeddingModel: () => string,
    private readonly actor: ChangeActor | null,
    private readonly onCommitted: (events: MemoryEventRecord[]) => void,
  ) {}

  /**
   * Adds new memories, with their history events, in one transaction sent in one round trip (see
   * addMemoryStatements). `prior` is the earlier request's answer when the idempotency key was taken.
   */
  async add(
    inputs: readonly AddInput[],
    claim: KeyClaim | null,
    relations: readonly NewRelation[] = [],
  ): Promise<{ prior?: PriorAnswer; answer: AnswerRow[] }> {
    // On Citus the outbox needs the endpoints first: a read of their reference table (see memoryEventEndpointsSql).
    const [endpoints] = this.db.citus
      ? await this.db.read<[OutboxEndpoint[]]>([memoryEventEndpointsSql(this.key.tenantId)])
      : [undefined];
    const plan = addMemoryStatements(this.key, inputs, claim, new Date(), this.actor, endpoints, relations);
    const results = await this.db.write(plan.statements);
    const events = results[plan.events] as MemoryEventRecord[];
    if (events.length) this.onCommitted(events);
    const prior = plan.replay === undefined ? undefined : (results[plan.replay][0] as PriorAnswer | undefined);
    return { prior, answer: results[plan.answer] as AnswerRow[] };
  }

  async write<T>(work: (write: MemoryWrite) => Promise<T>): Promise<T> {
    const events: MemoryEventRecord[] = [];
    const result = await this.db.transaction((tx) =>
      work(new MemoryWrite(tx, this.key, this.embeddingModel(), this.actor, events, this.db.citus)),
    );
    if (events.length) this.onCommitted(events);
    return result;
  }

  /** GDPR: the one hard delete — every row of the end user, in `tx` (the erasure's transaction). */
  static async erase(tx: ScopedTransaction, key: UserKey): Promise<ErasedRows> {
    const erased = {} as ErasedRows;
    for (const table of USER_TABLES) {
      erased[table] = await tx.$executeRaw`DELETE FROM ${Prisma.raw(table)} WHERE ${scopeOf(key)}`;
    }
    return erased;
  }
}
