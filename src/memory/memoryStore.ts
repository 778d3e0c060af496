import {
  addMemoryStatements,
  type AddInput,
  type AnswerRow,
  type KeyClaim,
  type PriorAnswer,
} from '../db/addMemorySql.js';
import {
  insertMemories,
  lockMemory,
  setEmbedding,
  type NewMemoryRow,
  type StoredMemory,
} from '../db/memoryWriteSql.js';
import type { UserKey } from '../db/memorySql.js';
import { memoryEventsOutboxSql } from '../db/webhookSql.js';
import type { ScopedDatabase, ScopedTransaction } from '../db/scope.js';
import { ConflictError } from '../errors.js';
import type { ChangeActor, MemoryEventKind, MemoryEventRecord, MemoryRecord } from '../model.js';
import { sha256 } from './hash.js';
import { memorySelect } from './selects.js';

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
}

interface NewEvent extends Cause {
  memoryId: string;
  kind: MemoryEventKind;
  oldContent?: string;
  newContent?: string;
  changedFields?: string[];
}

function toRecord({ deletedAt: _deletedAt, ...row }: StoredMemory): MemoryRecord {
  return row;
}

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

/**
 * The three changes a memory can undergo — added, changed, retired — each written with its history
 * event, inside one transaction of the end user's scope. Every path that writes memories (the API,
 * conversations, restores, imports) goes through these, so the rules are the same everywhere: no
 * two live memories of a user with the same content, every change in the history, the end user's
 * last activity kept.
 */
export class MemoryWrite {
  private touched = false;
  private readonly now = new Date();

  constructor(
    readonly tx: ScopedTransaction,
    private readonly key: UserKey,
    private readonly embeddingModel: string,
    private readonly actor: ChangeActor | null,
    private readonly recorded: MemoryEventRecord[],
  ) {}

  /** Stores new memories in one statement; a row whose content the user already has live is skipped. Returns the ids stored. */
  async add(rows: readonly NewMemoryRow[], cause: Cause = {}): Promise<Set<string>> {
    await this.touchEndUser();
    const inserted = await insertMemories(this.tx, this.key, rows);
    const created = rows.filter((row) => inserted.has(row.id));
    await this.record(
      created.map((row) => ({ memoryId: row.id, kind: 'CREATED' as const, newContent: row.content, ...cause })),
    );
    return inserted;
  }

  /** The memory with this id, retired or not, locked until the transaction ends; null when the user has none. */
  lock(id: string): Promise<StoredMemory | null> {
    return lockMemory(this.tx, this.key, id);
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
    const contentHash = sha256(content);
    if (fields.includes('content') || revived) {
      const twin = await this.tx.memory.findFirst({
        where: { contentHash, deletedAt: null, NOT: { id: current.id } },
        select: { id: true },
      });
      if (twin) throw new ConflictError('This end user already has a live memory with exactly this content.');
    }
    await this.touchEndUser();
    if (next.vector) await setEmbedding(this.tx, this.key, current.id, next.vector, this.embeddingModel);
    const saved = await this.tx.memory.update({
      where: { id: current.id } as never,
      data: {
        ...(fields.includes('content') ? { content, contentHash } : {}),
        metadata: next.metadata as never,
        tags: next.tags,
        expiresAt: next.expiresAt,
        occurredAt: next.occurredAt,
        deletedAt: null,
        updatedAt: this.now,
      },
      select: memorySelect,
    });
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
    return { ...saved, metadata: saved.metadata as Record<string, unknown> };
  }

  /** Retires a live memory: gone from reads and search, kept in the history with its content. */
  async retire(current: StoredMemory, cause: Cause): Promise<MemoryRecord> {
    if (current.deletedAt !== null) throw new Error('retire needs a live memory');
    await this.touchEndUser();
    await this.tx.memory.updateMany({ where: { id: current.id }, data: { deletedAt: this.now } });
    await this.record([{ memoryId: current.id, kind: 'DELETED', oldContent: current.content, ...cause }]);
    return toRecord(current);
  }

  /** The end user's row: created with their first write, its last activity moved by every one. */
  async touchEndUser(): Promise<void> {
    if (this.touched) return;
    this.touched = true;
    const at = this.now;
    await this.tx.endUser.upsert({
      where: {} as never,
      create: { createdAt: at, lastActivityAt: at } as never,
      update: { lastActivityAt: at },
    });
  }

  private async record(events: NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    // Claude's changes name their conversation, not the credential that happened to run the job.
    const withActor = events.map((event) =>
      this.actor && !event.conversationId ? { ...event, actor: this.actor } : event,
    );
    const written = await this.tx.memoryEvent.createManyAndReturn({ data: withActor as never });
    await this.tx.$executeRaw(
      memoryEventsOutboxSql(
        this.key,
        written.map((event) => event.id),
      ),
    );
    this.recorded.push(...(written as MemoryEventRecord[]));
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
  ): Promise<{ prior?: PriorAnswer; answer: AnswerRow[] }> {
    const plan = addMemoryStatements(this.key, inputs, claim, new Date(), this.actor);
    const results = await this.db.write(plan.statements);
    const events = results[plan.events] as MemoryEventRecord[];
    if (events.length) this.onCommitted(events);
    const prior = plan.replay === undefined ? undefined : (results[plan.replay][0] as PriorAnswer | undefined);
    return { prior, answer: results[plan.answer] as AnswerRow[] };
  }

  async write<T>(work: (write: MemoryWrite) => Promise<T>): Promise<T> {
    const events: MemoryEventRecord[] = [];
    const result = await this.db.transaction((tx) =>
      work(new MemoryWrite(tx, this.key, this.embeddingModel(), this.actor, events)),
    );
    if (events.length) this.onCommitted(events);
    return result;
  }
}
