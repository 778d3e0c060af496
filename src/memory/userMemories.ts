import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import {
  countMemoriesSql,
  hybridCandidatesSql,
  insertMemories,
  type NewMemoryRow,
  keywordCandidatesSql,
  listMemoriesSql,
  memoriesByIdSql,
  APPROXIMATE_SEARCH_SETTINGS,
  KEYWORD_SEARCH_SETTINGS,
  semanticCandidatesSql,
  setEmbedding,
  type Candidate,
  type UserKey,
} from '../db/memorySql.js';
import type { ScopedDatabase, ScopedTransaction } from '../db/scope.js';
import { EndUserData, type ErasureReceipt } from './endUserData.js';
import { Redactor } from './redaction.js';
import { TenantRedactionRules } from './redactionRules.js';
import { memorySelect } from './selects.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import { payloadHash, sameBytes, sha256 } from './hash.js';
import { LIMITS } from './limits.js';
import type { MemoryChange, MemoryEventKind, MemoryEventRecord, MemoryFilter, MemoryRecord, ScoredMemory } from '../model.js';
import { rankHits } from './ranking.js';
import { checkSearch, type CheckedSearch, type SearchOptions } from './searchOptions.js';
import { decodeCursor, encodeCursor, planPage, toPage, type Page, type PageArgs } from './pagination.js';
import { checkContent, checkFutureDate, checkIdempotencyKey, checkMetadata, checkOccurredAt, checkRange, checkReason, checkTags } from './validate.js';

export interface NewMemory {
  content: string;
  metadata?: Record<string, unknown> | null;
  tags?: string[] | null;
  expiresAt?: Date | null;
  /** When the fact was said or happened; now when not given. */
  occurredAt?: Date | null;
}

export interface MemoryPatch {
  content?: string | null;
  metadata?: Record<string, unknown> | null;
  tags?: string[] | null;
  /** null clears the expiry; undefined leaves it. */
  expiresAt?: Date | null;
  occurredAt?: Date | null;
  reason?: string | null;
}

/** A change decided for a conversation, before it is applied. */
export interface PlannedChange {
  action: 'ADD' | 'UPDATE' | 'DELETE';
  memoryId?: string;
  text?: string;
  reason: string;
}

export interface AddedMemory {
  memory: MemoryRecord;
  /** false when the user already had exactly this content: the existing memory is returned. */
  created: boolean;
}

export interface MemoryConnection extends Page<MemoryRecord> {
  totalCount: () => Promise<number>;
}

/** Turns texts into vectors of one model (batched across a request by the caller). */
export interface EmbedFunction {
  (texts: string[]): Promise<number[][]>;
  modelId: string;
}

type StoredResponse = { id: string; created: boolean }[];

function toRecord(row: { metadata: unknown } & Omit<MemoryRecord, 'metadata'>): MemoryRecord {
  return { ...row, metadata: row.metadata as Record<string, unknown> };
}

function decodeMemoryCursor(cursor: string, field: string) {
  const [createdAt, id] = decodeCursor(cursor, field, 2);
  const date = new Date(createdAt);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1 || year > 9999 || !UUID.test(id)) {
    throw new ValidationError(field, `${field} is not a cursor returned by this connection.`);
  }
  return { createdAt: date, id };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * One end user's memories, for one request.
 * (`as never` marks Prisma inputs that omit tenantId/externalUserId or use natural unique keys:
 * the scope extension supplies and rewrites those, which Prisma's generated types cannot know.) Every read and write goes through the user's
 * ScopedDatabase; nothing here can name another tenant or user.
 */
export class UserMemories {
  readonly externalUserId: string;
  private readonly key: UserKey;
  readonly byId: DataLoader<string, MemoryRecord | null>;
  readonly historyOf: DataLoader<string, MemoryEventRecord[]>;
  /** Everything stored about this end user, for GDPR export and erasure. */
  readonly data: EndUserData;
  private rules?: Promise<Redactor>;

  constructor(
    private readonly db: ScopedDatabase,
    private readonly embed: EmbedFunction,
    /** Told of every history event after its transaction commits (subscriptions). */
    private readonly onEvents: (events: MemoryEventRecord[]) => void = () => {},
    /** Whether an HNSW index serves this model and vector size (see src/db/annIndex.ts). */
    private readonly hasAnnIndex: (model: string, dimensions: number) => boolean = () => false,
  ) {
    const { tenantId, externalUserId } = db.scope;
    if (externalUserId === undefined) throw new Error('UserMemories needs a user scope');
    this.externalUserId = externalUserId;
    this.key = { tenantId, externalUserId };
    this.byId = new DataLoader((ids) => this.loadByIds(ids));
    this.historyOf = new DataLoader((ids) => this.loadHistory(ids));
    this.data = new EndUserData(db, externalUserId);
  }

  get embeddingModel(): string {
    return this.embed.modelId;
  }

  /**
   * The tenant's redaction rules, read once per request: applied to every text that is stored or
   * reaches the model (memories added, updated or restored, conversations, facts, questions).
   */
  redactor(): Promise<Redactor> {
    this.rules ??= new TenantRedactionRules(this.db).list().then((rules) => new Redactor(rules));
    return this.rules;
  }

  async get(id: string): Promise<MemoryRecord> {
    const memory = isUuid(id) ? await this.byId.load(id) : null;
    if (!memory) throw new NotFoundError('No memory with this id for this end user.');
    return memory;
  }

  async add(input: NewMemory, idempotencyKey?: string | null): Promise<AddedMemory> {
    const [added] = await this.addMany([input], idempotencyKey, (_i, field) => field);
    return added;
  }

  /** Adds 1-100 memories with one embedding batch, in one transaction: all or nothing. */
  async addMany(
    inputs: NewMemory[],
    idempotencyKey?: string | null,
    fieldName: (index: number, field: string) => string = (i, field) => `memories.${i}.${field}`,
  ): Promise<AddedMemory[]> {
    if (inputs.length === 0 || inputs.length > LIMITS.batchSize) {
      throw new ValidationError('memories', `Add 1-${LIMITS.batchSize} memories at a time.`);
    }
    const now = new Date();
    const redactor = await this.redactor();
    const items = inputs.map((input, i) => ({
      content: redactor.redact(checkContent(input.content, fieldName(i, 'content'))),
      metadata: checkMetadata(input.metadata ?? {}, fieldName(i, 'metadata')),
      tags: checkTags(input.tags ?? [], fieldName(i, 'tags')),
      expiresAt: input.expiresAt ? checkFutureDate(input.expiresAt, fieldName(i, 'expiresAt'), now) : null,
      occurredAt: input.occurredAt ? checkOccurredAt(input.occurredAt, fieldName(i, 'occurredAt')) : null,
    }));
    const key = idempotencyKey == null ? null : checkIdempotencyKey(idempotencyKey);
    const requestHash = payloadHash(items);
    const vectors = await this.embed(items.map((item) => item.content));

    const response = await this.write(async (tx, record) => {
      // A retry is answered before anything is written.
      if (key !== null && (await tx.idempotencyKey.count({ where: { key } })) > 0) return this.replay(tx, key, requestHash);
      await this.touchEndUser(tx, now);
      if (key !== null) {
        const { count } = await tx.idempotencyKey.createMany({
          data: [{ key, requestHash, response: [] } as never],
          skipDuplicates: true,
        });
        // A concurrent first request with this key committed in the meantime.
        if (count === 0) return this.replay(tx, key, requestHash);
      }
      // The same content twice in one request is one memory.
      const rowOf = new Map<string, NewMemoryRow>();
      for (const [i, item] of items.entries()) {
        if (rowOf.has(item.content)) continue;
        rowOf.set(item.content, { id: randomUUID(), contentHash: sha256(item.content), ...item, embedding: vectors[i], embeddingModel: this.embed.modelId });
      }
      const rows = [...rowOf.values()];
      const inserted = await insertMemories(tx, this.key, rows);
      await record(...rows.filter((row) => inserted.has(row.id)).map((row) => ({ memoryId: row.id, kind: 'CREATED' as const, newContent: row.content })));
      // Content the user already had: answered with the existing memory.
      const known = rows.filter((row) => !inserted.has(row.id));
      const existing = known.length
        ? await tx.memory.findMany({
            where: { contentHash: { in: known.map((row) => row.contentHash) }, deletedAt: null },
            select: { id: true, contentHash: true },
          })
        : [];
      const existingId = new Map(existing.map((row) => [Buffer.from(row.contentHash).toString('hex'), row.id]));
      const firstOf = new Set<string>();
      const answered: StoredResponse = items.map((item) => {
        const row = rowOf.get(item.content)!;
        if (inserted.has(row.id)) {
          const created = !firstOf.has(row.id);
          firstOf.add(row.id);
          return { id: row.id, created };
        }
        const id = existingId.get(Buffer.from(row.contentHash).toString('hex'));
        if (!id) throw new Error('duplicate content vanished during insert');
        return { id, created: false };
      });
      if (key !== null) await tx.idempotencyKey.update({ where: { key } as never, data: { response: answered } });
      return answered;
    });
    return this.withMemories(response);
  }

  private async replay(tx: ScopedTransaction, key: string, requestHash: Uint8Array): Promise<StoredResponse> {
    const prior = await tx.idempotencyKey.findUnique({ where: { key } as never });
    if (!prior) throw new Error('idempotency record vanished');
    if (!sameBytes(prior.requestHash, requestHash)) {
      throw new ConflictError('This idempotencyKey was already used with a different request.');
    }
    return prior.response as StoredResponse;
  }

  private async withMemories(response: StoredResponse): Promise<AddedMemory[]> {
    const [rows] = await this.db.read<[MemoryRecord[]]>([
      memoriesByIdSql(
        this.key,
        response.map((r) => r.id),
        false,
      ),
    ]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return response.map(({ id, created }) => {
      const memory = byId.get(id);
      if (!memory) throw new NotFoundError('A memory from this request no longer exists.');
      return { memory, created };
    });
  }

  async update(id: string, patch: MemoryPatch): Promise<MemoryRecord> {
    if (!isUuid(id)) throw new NotFoundError('No memory with this id for this end user.');
    const content = patch.content == null ? undefined : (await this.redactor()).redact(checkContent(patch.content));
    const metadata = patch.metadata == null ? undefined : checkMetadata(patch.metadata);
    const tags = patch.tags == null ? undefined : checkTags(patch.tags);
    const now = new Date();
    const expiresAt = patch.expiresAt ? checkFutureDate(patch.expiresAt, 'expiresAt', now) : patch.expiresAt;
    const occurredAt = patch.occurredAt == null ? undefined : checkOccurredAt(patch.occurredAt);
    const reason = checkReason(patch.reason);

    const current = await this.get(id);
    const contentChanged = content !== undefined && content !== current.content;
    const [vector] = contentChanged ? await this.embed([content]) : [];

    const updated = await this.write(async (tx, record) => {
      const row = await tx.memory.findFirst({ where: { id, deletedAt: null }, select: memorySelect });
      if (!row) throw new NotFoundError('No memory with this id for this end user.');
      const changedFields = [
        contentChanged && row.content !== content ? 'content' : null,
        metadata !== undefined && JSON.stringify(metadata) !== JSON.stringify(row.metadata) ? 'metadata' : null,
        tags !== undefined && JSON.stringify(tags) !== JSON.stringify(row.tags) ? 'tags' : null,
        expiresAt !== undefined && expiresAt?.getTime() !== row.expiresAt?.getTime() ? 'expiresAt' : null,
        occurredAt !== undefined && occurredAt.getTime() !== row.occurredAt.getTime() ? 'occurredAt' : null,
      ].filter((field): field is string => field !== null);
      if (changedFields.length === 0) return toRecord(row);

      const contentHash = contentChanged ? sha256(content) : undefined;
      if (contentHash) {
        const twin = await tx.memory.findFirst({ where: { contentHash, deletedAt: null, NOT: { id } }, select: { id: true } });
        if (twin) throw new ConflictError('This end user already has a memory with exactly this content.');
      }
      const saved = await tx.memory.update({
        where: { id } as never,
        data: { content, contentHash, metadata: metadata as never, tags, expiresAt, occurredAt, updatedAt: now },
        select: memorySelect,
      });
      if (contentChanged) await setEmbedding(tx, this.key, id, vector, this.embed.modelId);
      await record({
        memoryId: id,
        kind: 'UPDATED',
        oldContent: row.content,
        newContent: saved.content,
        changedFields,
        reason,
      });
      await this.touchEndUser(tx, now);
      return toRecord(saved);
    });
    this.byId.clear(id).prime(id, updated);
    this.historyOf.clear(id);
    return updated;
  }

  /** Retires a memory: gone from reads and search, kept in history with its content and the reason. */
  async delete(id: string, reason?: string | null): Promise<MemoryRecord> {
    const why = checkReason(reason);
    if (!isUuid(id)) throw new NotFoundError('No memory with this id for this end user.');
    const now = new Date();
    const deleted = await this.write(async (tx, record) => {
      const { count } = await tx.memory.updateMany({ where: { id, deletedAt: null }, data: { deletedAt: now } });
      if (count === 0) throw new NotFoundError('No memory with this id for this end user.');
      const row = await tx.memory.findFirst({ where: { id }, select: memorySelect });
      await record({ memoryId: id, kind: 'DELETED', oldContent: row!.content, reason: why });
      await this.touchEndUser(tx, now);
      return toRecord(row!);
    });
    this.byId.clear(id);
    this.historyOf.clear(id);
    return deleted;
  }

  async list(args: PageArgs, filter: MemoryFilter = {}): Promise<MemoryConnection> {
    const plan = planPage(args, decodeMemoryCursor);
    const [rows] =
      plan.take === 0
        ? [[]]
        : await this.db.read<[MemoryRecord[]]>([listMemoriesSql(this.key, { filter, after: plan.from, backward: plan.backward, take: plan.take + 1 })]);
    for (const row of rows) this.byId.prime(row.id, row);
    const page = toPage(rows, plan, (row) => encodeCursor([row.createdAt.toISOString(), row.id]));
    const totalCount = async () => (await this.db.read<[{ count: number }[]]>([countMemoriesSql(this.key, filter)]))[0][0].count;
    return { ...page, totalCount };
  }

  async search(query: string, options: SearchOptions = {}): Promise<ScoredMemory[]> {
    const search = checkSearch(query, options);
    const { mode, limit, filter } = search;
    // Fusion and recency re-rank, so they look further down each ranking than the page asks for.
    const reranked = mode === 'HYBRID' || search.halfLifeDays !== undefined;
    const depth = reranked ? Math.max(LIMITS.searchLimit.max, limit * 4) : limit;
    if (mode === 'KEYWORD') {
      const sql = keywordCandidatesSql(this.key, { text: query, limit: depth, filter });
      const [candidates] = await this.db.read<[Candidate[]]>([sql], KEYWORD_SEARCH_SETTINGS);
      return this.ranked(search, candidates);
    }
    const [embedding] = await this.embed([query]);
    const vector = { embedding, embeddingModel: this.embed.modelId, approximate: this.hasAnnIndex(this.embed.modelId, embedding.length) };
    const sql =
      mode === 'SEMANTIC'
        ? semanticCandidatesSql(this.key, { ...vector, limit: depth, filter })
        : hybridCandidatesSql(this.key, { ...vector, text: query, limit: depth, filter });
    // An approximate search needs a plan made for its user (HNSW for a large scope only).
    const settings = vector.approximate ? APPROXIMATE_SEARCH_SETTINGS : mode === 'HYBRID' ? KEYWORD_SEARCH_SETTINGS : undefined;
    const [candidates] = await this.db.read<[Candidate[]]>([sql], settings);
    return this.ranked(search, candidates);
  }

  private ranked(search: CheckedSearch, candidates: Candidate[]): ScoredMemory[] {
    const hits = rankHits(search, candidates, new Date());
    for (const hit of hits) this.byId.prime(hit.memory.id, hit.memory);
    return hits;
  }

  /**
   * Applies planned changes (from a conversation) in one transaction: ADD stores (or finds the
   * identical memory), UPDATE rewrites and re-embeds keeping the old text in history, DELETE
   * retires. `finish` runs last in the same transaction (the job's bookkeeping).
   */
  async applyPlan(
    plan: PlannedChange[],
    source: { conversationId: string; metadata: Record<string, unknown>; occurredAt: Date },
    finish: (tx: ScopedTransaction, changes: MemoryChange[]) => Promise<void>,
  ): Promise<MemoryChange[]> {
    const { conversationId } = source;
    const texts = plan.filter((change) => change.action !== 'DELETE').map((change) => change.text!);
    const vectors = await this.embed(texts);
    const embeddingOf = new Map(texts.map((text, i) => [text, vectors[i]]));
    const now = new Date();
    const changes = await this.write(async (tx, record) => {
      await this.touchEndUser(tx, now);
      const applied: MemoryChange[] = [];
      for (const change of plan) {
        const reason = change.reason;
        if (change.action === 'ADD') {
          const content = change.text!;
          const id = randomUUID();
          const row = {
            id,
            content,
            contentHash: sha256(content),
            metadata: source.metadata,
            tags: [],
            expiresAt: null,
            occurredAt: source.occurredAt,
            embedding: embeddingOf.get(content)!,
            embeddingModel: this.embed.modelId,
          };
          if (!(await insertMemories(tx, this.key, [row])).has(id)) continue; // already known, word for word
          await record({ memoryId: id, kind: 'CREATED', newContent: content, reason, conversationId });
          applied.push({ action: 'ADD', memoryId: id, content, previousContent: null, reason });
          continue;
        }
        const current = await tx.memory.findFirst({ where: { id: change.memoryId, deletedAt: null }, select: { content: true } });
        if (!current) continue; // changed meanwhile: nothing to do
        if (change.action === 'DELETE') {
          await tx.memory.updateMany({ where: { id: change.memoryId }, data: { deletedAt: now } });
          await record({ memoryId: change.memoryId!, kind: 'DELETED', oldContent: current.content, reason, conversationId });
          applied.push({ action: 'DELETE', memoryId: change.memoryId!, content: current.content, previousContent: current.content, reason });
          continue;
        }
        const content = change.text!;
        const contentHash = sha256(content);
        if (content === current.content) continue;
        const twin = await tx.memory.findFirst({ where: { contentHash, deletedAt: null }, select: { id: true } });
        if (twin) continue; // the new text is already a memory
        await tx.memory.updateMany({ where: { id: change.memoryId }, data: { content, contentHash, occurredAt: source.occurredAt, updatedAt: now } });
        await setEmbedding(tx, this.key, change.memoryId!, embeddingOf.get(content)!, this.embed.modelId);
        await record({
          memoryId: change.memoryId!,
          kind: 'UPDATED',
          oldContent: current.content,
          newContent: content,
          changedFields: ['content'],
          reason,
          conversationId,
        });
        applied.push({ action: 'UPDATE', memoryId: change.memoryId!, content, previousContent: current.content, reason });
      }
      await finish(tx, applied);
      return applied;
    });
    for (const change of changes) this.byId.clear(change.memoryId);
    return changes;
  }

  /**
   * Brings back a retired memory, or (with `eventId` of an UPDATED event) the text it had before
   * that update. Either way the history records the restore.
   */
  async restore(id: string, eventId?: string | null, reason?: string | null): Promise<MemoryRecord> {
    const why = checkReason(reason);
    if (!isUuid(id) || (eventId != null && !isUuid(eventId))) throw new NotFoundError('No memory with this id for this end user.');
    const row = await this.db.transaction((tx) => tx.memory.findFirst({ where: { id }, select: { content: true, deletedAt: true, embeddingModel: true } }));
    if (!row) throw new NotFoundError('No memory with this id for this end user.');
    let content = row.content;
    const redactor = await this.redactor();
    if (eventId != null) {
      const event = await this.db.transaction((tx) => tx.memoryEvent.findFirst({ where: { id: eventId, memoryId: id } }));
      if (!event || event.kind !== 'UPDATED' || event.oldContent === null) {
        throw new NotFoundError('No update of this memory with this event id.');
      }
      content = event.oldContent;
    }
    // Rules added since the text was stored apply to it too.
    content = redactor.redact(content);
    if (row.deletedAt === null && content === row.content) throw new ConflictError('The memory already has this content and is not retired.');
    // A new text, or a vector from a model no longer active, is embedded again.
    const stale = content !== row.content || row.embeddingModel !== this.embed.modelId;
    const [vector] = stale ? await this.embed([content]) : [];
    const now = new Date();
    const restored = await this.write(async (tx, record) => {
      const contentHash = sha256(content);
      const twin = await tx.memory.findFirst({ where: { contentHash, deletedAt: null, NOT: { id } }, select: { id: true } });
      if (twin) throw new ConflictError('Another live memory of this end user already has this content.');
      await tx.memory.updateMany({ where: { id }, data: { content, contentHash, deletedAt: null, updatedAt: now } });
      if (vector) await setEmbedding(tx, this.key, id, vector, this.embed.modelId);
      await record({ memoryId: id, kind: 'RESTORED', oldContent: row.content, newContent: content, reason: why });
      await this.touchEndUser(tx, now);
      return toRecord((await tx.memory.findFirst({ where: { id }, select: memorySelect }))!);
    });
    this.byId.clear(id).prime(id, restored);
    return restored;
  }

  /** Records the model's token usage for this end user (metering). */
  async recordUsage(operation: string, spent: { model: string; inputTokens: number; outputTokens: number }[]): Promise<void> {
    if (spent.length === 0) return;
    await this.db.transaction(async (tx) => {
      await this.touchEndUser(tx, new Date());
      await tx.llmUsage.createMany({ data: spent.map((usage) => ({ operation, ...usage })) as never });
    });
  }

  /**
   * The memories most relevant to `query`, formatted for the caller's own system prompt, within
   * `tokenBudget` (estimated at 4 characters a token). No LLM involved.
   */
  async context(query: string, tokenBudget: number): Promise<{ text: string; hits: ScoredMemory[]; tokenEstimate: number }> {
    const budget = checkRange(tokenBudget, 50, 100_000, 'tokenBudget');
    const hits = await this.search(query, { limit: LIMITS.searchLimit.max });
    const header = '<user_memories>\nWhat is known about the user (most relevant first):';
    const footer = '</user_memories>';
    const estimate = (text: string) => Math.ceil(text.length / 4);
    const lines: string[] = [];
    const kept: ScoredMemory[] = [];
    for (const hit of hits) {
      const line = `- ${hit.memory.content.replace(/\s+/g, ' ')} (${hit.memory.occurredAt.toISOString().slice(0, 10)})`;
      if (estimate([header, ...lines, line, footer].join('\n')) > budget) break;
      lines.push(line);
      kept.push(hit);
    }
    const text = lines.length ? [header, ...lines, footer].join('\n') : '';
    return { text, hits: kept, tokenEstimate: estimate(text) };
  }

  /** GDPR erasure: the one hard delete (see EndUserData). */
  async erase(): Promise<ErasureReceipt> {
    const receipt = await this.data.erase();
    this.byId.clearAll();
    this.historyOf.clearAll();
    return receipt;
  }

  private async loadByIds(ids: readonly string[]): Promise<(MemoryRecord | null)[]> {
    const wellFormed = ids.filter(isUuid);
    const [rows] = wellFormed.length ? await this.db.read<[MemoryRecord[]]>([memoriesByIdSql(this.key, wellFormed, true)]) : [[]];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  private async loadHistory(memoryIds: readonly string[]): Promise<MemoryEventRecord[][]> {
    const rows = await this.db.transaction((tx) =>
      tx.memoryEvent.findMany({ where: { memoryId: { in: [...memoryIds] } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    );
    const byMemory = new Map<string, MemoryEventRecord[]>(memoryIds.map((id) => [id, []]));
    for (const row of rows) byMemory.get(row.memoryId)?.push(row);
    return memoryIds.map((id) => byMemory.get(id)!);
  }

  private async touchEndUser(tx: ScopedTransaction, at: Date): Promise<void> {
    await tx.endUser.upsert({ where: {} as never, create: { createdAt: at, lastActivityAt: at } as never, update: { lastActivityAt: at } });
  }

  /**
   * One transaction whose history events are published once it has committed. `record` writes
   * event rows (one statement) and remembers them for publishing.
   */
  private async write<T>(work: (tx: ScopedTransaction, record: RecordEvents) => Promise<T>): Promise<T> {
    const events: MemoryEventRecord[] = [];
    const result = await this.db.transaction((tx) =>
      work(tx, async (...newEvents) => {
        if (newEvents.length === 0) return;
        events.push(...(await tx.memoryEvent.createManyAndReturn({ data: newEvents as never })));
      }),
    );
    for (const event of events) this.historyOf.clear(event.memoryId);
    if (events.length) this.onEvents(events);
    return result;
  }
}

interface NewEvent {
  memoryId: string;
  kind: MemoryEventKind;
  oldContent?: string;
  newContent?: string;
  changedFields?: string[];
  reason?: string | null;
  conversationId?: string;
}

type RecordEvents = (...events: NewEvent[]) => Promise<void>;
