import DataLoader from 'dataloader';
import { historySql, memoriesByIdSql, storedMemorySql, type UserKey } from '../db/memorySql.js';
import { MemoryStore, type StoredMemory } from '../db/memoryStore.js';
import type { ScopedDatabase, ScopedTransaction } from '../db/scope.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { ChangeActor, MemoryChange, MemoryEventRecord, MemoryFilter, MemoryRecord } from '../model.js';
import { addMemories, checkNewMemories, replayed, type AddedMemory, type NewMemory } from './addMemories.js';
import { EndUserData, type ErasureReceipt } from './endUserData.js';
import { LIMITS } from './limits.js';
import { searchMemories, type EmbedFunction, type SearchDeps, type SearchResult } from './memorySearch.js';
import { memoryPage, storedMemory, type MemoryConnection } from './memoryPages.js';
import { checkPatch, type MemoryPatch } from './memoryPatch.js';
import type { PageArgs } from './pagination.js';
import { applyPlan, type PlannedChange, type PlanSource } from './planApplication.js';
import { promptContext, type PromptContext, type PromptOptions } from './promptContext.js';
import { Redactor } from './redaction.js';
import { TenantRedactionRules } from './redactionRules.js';
import { checkNeighbours, neighboursOf, threadContextLoader } from './threadContext.js';
import type { SearchOptions } from './searchOptions.js';
import { checkIdempotencyKey, checkRange, checkReason, isUuid } from './validate.js';
import { extractEntities } from './entities.js';
import { NO_RELATION_READER, type RelationReader } from './relations.js';

export type { AddedMemory, EmbedFunction, MemoryConnection, MemoryPatch, NewMemory, PlannedChange };

const NO_SUCH_MEMORY = 'No memory with this id for this end user.';

export interface UserMemoriesOptions {
  /** Told of every history event after its transaction commits (subscriptions). */
  onEvents?: (events: MemoryEventRecord[]) => void;
  /** Whether an HNSW index serves this model and vector size (see src/db/annIndex.ts). */
  hasAnnIndex?: (model: string, dimensions: number) => boolean;
  /** Who asks for the changes, kept in their history. */
  actor?: ChangeActor | null;
  /** Reads the relations in memories whose add asks for it (none given: such an add fails, see relationReader). */
  readRelations?: RelationReader;
}

/**
 * One end user's memories, for one request. Reads are pipelined statements of the user's scope;
 * every change goes through the MemoryStore's three primitives (add, change, retire). Nothing here
 * can name another tenant or user.
 */
export class UserMemories {
  readonly externalUserId: string;
  private readonly key: UserKey;
  private readonly store: MemoryStore;
  private readonly searchDeps: SearchDeps;
  readonly byId: DataLoader<string, MemoryRecord | null>;
  readonly historyOf: DataLoader<string, MemoryEventRecord[]>;
  readonly threadContextOf: ReturnType<typeof threadContextLoader>;
  /** Everything stored about this end user, for GDPR export and erasure. */
  readonly data: EndUserData;
  private rules?: Promise<Redactor>;
  private readonly readRelations: RelationReader;

  constructor(
    private readonly db: ScopedDatabase,
    private readonly embed: EmbedFunction,
    { onEvents = () => {}, hasAnnIndex = () => false, actor = null, readRelations }: UserMemoriesOptions = {},
  ) {
    this.readRelations = readRelations ?? NO_RELATION_READER;
    const { tenantId, externalUserId } = db.scope;
    if (externalUserId === undefined) throw new Error('UserMemories needs a user scope');
    this.externalUserId = externalUserId;
    this.key = { tenantId, externalUserId };
    this.byId = new DataLoader((ids) => this.loadByIds(ids));
    this.historyOf = new DataLoader((ids) => this.loadHistory(ids));
    this.threadContextOf = threadContextLoader(db, this.key);
    this.data = new EndUserData(db, externalUserId);
    this.searchDeps = { db, key: this.key, embed, hasAnnIndex };
    this.store = new MemoryStore(
      db,
      this.key,
      () => embed.modelId,
      actor,
      (events) => {
        for (const { memoryId } of events) {
          this.byId.clear(memoryId);
          this.historyOf.clear(memoryId);
        }
        this.threadContextOf.clearAll();
        onEvents(events);
      },
    );
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

  /** A live memory of this end user, or with `includeDeleted` a deleted one too; with `asOf`, as it was then. */
  async get(id: string, includeDeleted = false, asOf?: Date | null): Promise<MemoryRecord> {
    const read = () => (asOf || includeDeleted ? storedMemory(this.db, this.key, id, asOf) : this.byId.load(id));
    const memory = isUuid(id) ? await read() : null;
    if (!memory) throw new NotFoundError(NO_SUCH_MEMORY);
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
    const items = checkNewMemories(inputs, await this.redactor(), fieldName);
    const key = idempotencyKey == null ? null : checkIdempotencyKey(idempotencyKey);
    const asked = items.filter((_item, i) => inputs[i].readRelations);
    const relations = asked.length > 0 ? await this.readRelations(asked, await this.redactor()) : [];
    const vectors = await this.embed(items.map((item) => item.content));
    const outcome = await addMemories(this.store, items, vectors, this.embed.modelId, key, relations);
    return 'replay' in outcome ? replayed(this.db, this.key, outcome.replay) : outcome.added;
  }

  async update(id: string, patch: MemoryPatch): Promise<MemoryRecord> {
    if (!isUuid(id)) throw new NotFoundError(NO_SUCH_MEMORY);
    const fields = checkPatch(patch, await this.redactor());
    const { content } = fields;
    const reason = checkReason(patch.reason);
    const before = await this.get(id);
    // Embedded outside the transaction: the vector is of the new text, whatever happens meanwhile.
    const [vector] = content !== undefined && content !== before.content ? await this.embed([content]) : [];
    const updated = await this.store.write(async (write) => {
      const current = await write.lock(id);
      if (!current || current.deletedAt !== null) throw new NotFoundError(NO_SUCH_MEMORY);
      const contentChanges = content !== undefined && content !== current.content;
      if (contentChanges && !vector)
        throw new ConflictError(
          'The memory changed while it was being updated; nothing was written. Read it again and retry.',
        );
      return write.change(current, { ...fields, vector: contentChanges ? vector : undefined }, { reason });
    });
    this.byId.clear(id).prime(id, updated);
    return updated;
  }

  /** Retires a memory: gone from reads and search, kept in history with its content and the reason. */
  async delete(id: string, reason?: string | null): Promise<MemoryRecord> {
    const why = checkReason(reason);
    if (!isUuid(id)) throw new NotFoundError(NO_SUCH_MEMORY);
    return this.store.write(async (write) => {
      const current = await write.lock(id);
      if (!current || current.deletedAt !== null) throw new NotFoundError(NO_SUCH_MEMORY);
      return write.retire(current, { reason: why });
    });
  }

  /**
   * Brings back a retired memory, or (with `eventId` of an UPDATED event) the text it had before
   * that update. The memory is read again, locked, inside the transaction that writes: if it
   * changed since the restore was prepared, nothing is written and the caller is told.
   */
  async restore(id: string, eventId?: string | null, reason?: string | null): Promise<MemoryRecord> {
    const why = checkReason(reason);
    if (!isUuid(id) || (eventId != null && !isUuid(eventId))) throw new NotFoundError(NO_SUCH_MEMORY);
    const [[before], history] = await this.db.read<[StoredMemory[], MemoryEventRecord[]]>([
      storedMemorySql(this.key, id),
      historySql(this.key, [id]),
    ]);
    if (!before) throw new NotFoundError(NO_SUCH_MEMORY);
    let content = before.content;
    if (eventId != null) {
      const event = history.find((candidate) => candidate.id === eventId);
      if (!event || event.kind !== 'UPDATED' || event.oldContent === null)
        throw new NotFoundError('No update of this memory with this event id.');
      content = event.oldContent;
    }
    // Rules added since the text was stored apply to it too.
    content = (await this.redactor()).redact(content);
    if (before.deletedAt === null && content === before.content)
      throw new ConflictError('The memory already has this content and is not retired.');
    // A new text, or a vector from a model no longer active, is embedded again.
    const stale = content !== before.content || before.embeddingModel !== this.embed.modelId;
    const [vector] = stale ? await this.embed([content]) : [];
    const entities = extractEntities(content);
    const restored = await this.store.write(async (write) => {
      const current = await write.lock(id);
      if (!current) throw new NotFoundError(NO_SUCH_MEMORY);
      if (current.content !== before.content || (current.deletedAt === null) !== (before.deletedAt === null)) {
        throw new ConflictError(
          'The memory changed while it was being restored; nothing was written. Read it again and retry.',
        );
      }
      return write.change(current, { content, vector, entities }, { reason: why }, 'RESTORED');
    });
    this.byId.clear(id).prime(id, restored);
    return restored;
  }

  /**
   * Applies a conversation's planned changes in one transaction (see planApplication.ts); `finish`
   * runs last in the same transaction (the job's bookkeeping).
   */
  async applyPlan(
    plan: PlannedChange[],
    source: PlanSource,
    finish: (tx: ScopedTransaction, changes: MemoryChange[]) => Promise<void>,
  ): Promise<MemoryChange[]> {
    const texts = [...new Set(plan.filter((change) => change.action !== 'DELETE').map((change) => change.text!))];
    const vectors = await this.embed(texts);
    const embedding = { vectorOf: (text: string) => vectors[texts.indexOf(text)], model: this.embed.modelId };
    return this.store.write(async (write) => {
      const changes = await applyPlan(write, plan, source, embedding);
      await finish(write.tx, changes);
      return changes;
    });
  }

  /** Live memories, newest first; with `deleted`, the deleted ones instead; with `asOf`, those live then, as they were. */
  async list(
    args: PageArgs,
    filter: MemoryFilter = {},
    deleted = false,
    asOf?: Date | null,
  ): Promise<MemoryConnection> {
    const page = await memoryPage(this.db, this.key, args, filter, deleted, asOf);
    if (!deleted && !asOf) for (const { node } of page.edges) this.byId.prime(node.id, node);
    return page;
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    const found = await searchMemories(this.searchDeps, query, options);
    for (const hit of found.hits) this.byId.prime(hit.memory.id, hit.memory);
    return found;
  }

  /**
   * The memories most relevant to `query`, formatted for the caller's own system prompt, each with up
   * to `around` memories on either side of it in its thread. No LLM involved.
   */
  async context(query: string, tokenBudget: number, { now, around = 0 }: PromptOptions = {}): Promise<PromptContext> {
    const budget = checkRange(tokenBudget, 50, 100_000, 'tokenBudget');
    const side = checkNeighbours(around, 'threadContext');
    const { hits } = await this.search(query, { limit: LIMITS.searchLimit.max, now });
    return promptContext(hits, budget, await neighboursOf(this.threadContextOf, hits, { before: side, after: side }));
  }

  /** Records the model's token usage for this end user (metering). */
  async recordUsage(
    operation: string,
    spent: { model: string; inputTokens: number; outputTokens: number; modelMs: number }[],
  ): Promise<void> {
    if (spent.length === 0) return;
    await this.store.write((write) => write.recordUsage(operation, spent));
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
    const [rows] = wellFormed.length
      ? await this.db.read<[MemoryRecord[]]>([memoriesByIdSql(this.key, wellFormed, true)])
      : [[]];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  private async loadHistory(memoryIds: readonly string[]): Promise<MemoryEventRecord[][]> {
    const wellFormed = memoryIds.filter(isUuid);
    const [rows] = wellFormed.length
      ? await this.db.read<[MemoryEventRecord[]]>([historySql(this.key, wellFormed)])
      : [[]];
    const byMemory = new Map<string, MemoryEventRecord[]>(memoryIds.map((id) => [id, []]));
    for (const row of rows) byMemory.get(row.memoryId)?.push(row);
    return memoryIds.map((id) => byMemory.get(id)!);
  }
}
