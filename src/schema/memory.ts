import type { Context } from '../context.js';
import type { MemoryEventRecord, MemoryFilter, MemoryRecord, ScoredMemory, SearchMode } from '../model.js';
import type { ErasureReceipt } from '../memory/endUserData.js';
import { DEFAULT_SEARCH_MODE } from '../memory/searchOptions.js';
import type { AddedMemory } from '../memory/userMemories.js';
import { builder } from './builder.js';
import { memoryGlobalId, memoryIdFromGlobalId } from './ids.js';
import { userIdOptions } from './scopes.js';
import { ConflictError, EmbeddingUnavailableError, NotFoundError, ValidationError } from '../errors.js';

/** Declared apart from its implementation: MemoryEvent.memory and Memory.history refer to each other. */
const MemoryRef = builder.objectRef<MemoryRecord>('Memory');

export const Memory = builder.node(MemoryRef, {
  description: 'One remembered fact about one end user of the calling tenant. Every field but id needs the READ scope.',
  authScopes: { READ: true },
  id: { resolve: (memory) => memory.id, skipTypeScopes: true },
  loadMany: async (ids, ctx) => {
    const loader = ctx.principal.boundUser ? (await ctx.forUser()).byId : ctx.tenant.memoryById;
    return ids.map((id) => loader.load(id));
  },
  fields: (t) => ({
    externalUserId: t.exposeString('externalUserId'),
    content: t.exposeString('content'),
    metadata: t.expose('metadata', { type: 'JSONObject' }),
    tags: t.exposeStringList('tags'),
    embeddingModel: t.exposeString('embeddingModel', { description: 'The embedding model of the stored vector.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    occurredAt: t.expose('occurredAt', {
      type: 'DateTime',
      description:
        'When what the memory says was said or happened: given on add or import, the time of the conversation it came from, or else when it was stored.',
    }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    history: t.field({
      type: [MemoryEvent],
      description: 'Every change to this memory, oldest first.',
      resolve: (memory, _args, ctx) => historyOf(memory, ctx),
    }),
  }),
});

const MemoryEventKind = builder.enumType('MemoryEventKind', { values: ['CREATED', 'UPDATED', 'DELETED', 'RESTORED'] as const });

/** A change event with the end user it belongs to, so that its memory can be loaded in their scope. */
export type UserMemoryEvent = MemoryEventRecord & { externalUserId: string };

async function historyOf(memory: MemoryRecord, ctx: Context): Promise<UserMemoryEvent[]> {
  const events = await (await ctx.forUser(memory.externalUserId)).historyOf.load(memory.id);
  return events.map((event) => ({ ...event, externalUserId: memory.externalUserId }));
}

export const MemoryEvent = builder.objectRef<UserMemoryEvent>('MemoryEvent').implement({
  authScopes: { READ: true },
  description: 'One change to a memory: what it was, what it became, when and why.',
  fields: (t) => ({
    id: t.exposeID('id'),
    memoryId: t.field({ type: 'ID', resolve: (event) => memoryGlobalId(event.memoryId) }),
    memory: t.field({
      type: MemoryRef,
      nullable: true,
      description: 'The memory as it is now (null once deleted): lets a subscriber update its cache without a refetch.',
      resolve: async (event, _args, ctx) => {
        // A subscription's context lives as long as it does: read the memory afresh for each event.
        const { byId } = await ctx.forUser(event.externalUserId);
        return byId.clear(event.memoryId).load(event.memoryId);
      },
    }),
    kind: t.field({ type: MemoryEventKind, resolve: (event) => event.kind as 'CREATED' | 'UPDATED' | 'DELETED' | 'RESTORED' }),
    conversationId: t.exposeID('conversationId', { nullable: true, description: 'The conversation (job) that caused it.' }),
    oldContent: t.exposeString('oldContent', { nullable: true }),
    newContent: t.exposeString('newContent', { nullable: true }),
    changedFields: t.exposeStringList('changedFields'),
    reason: t.exposeString('reason', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const MemoryFilterInput = builder.inputType('MemoryFilter', {
  fields: (t) => ({
    tags: t.stringList({ required: false, description: 'Only memories with every one of these tags.' }),
    anyTags: t.stringList({ required: false, description: 'Only memories with at least one of these tags.' }),
    metadata: t.field({ type: 'JSONObject', required: false, description: 'Only memories whose metadata contains this object.' }),
    createdAfter: t.field({ type: 'DateTime', required: false, description: 'Created at or after this instant.' }),
    createdBefore: t.field({ type: 'DateTime', required: false, description: 'Created before this instant.' }),
    occurredAfter: t.field({ type: 'DateTime', required: false, description: 'Occurred at or after this instant (see Memory.occurredAt).' }),
    occurredBefore: t.field({ type: 'DateTime', required: false, description: 'Occurred before this instant.' }),
  }),
});

function toFilter(input: typeof MemoryFilterInput.$inferInput | null | undefined): MemoryFilter {
  if (!input) return {};
  return {
    tags: input.tags ?? undefined,
    anyTags: input.anyTags ?? undefined,
    metadata: input.metadata ?? undefined,
    createdAfter: input.createdAfter ?? undefined,
    createdBefore: input.createdBefore ?? undefined,
    occurredAfter: input.occurredAfter ?? undefined,
    occurredBefore: input.occurredBefore ?? undefined,
  };
}

const MemoryConnection = builder.connectionObject({
  type: Memory,
  name: 'MemoryConnection',
  fields: (t) => ({
    totalCount: t.int({
      description: 'How many memories match the filter, on all pages.',
      resolve: (connection) => (connection as unknown as { totalCount: () => Promise<number> }).totalCount(),
    }),
  }),
});

export const MemoryHit = builder.objectRef<ScoredMemory>('MemoryHit').implement({
  authScopes: { READ: true },
  fields: (t) => ({
    memory: t.field({ type: Memory, resolve: (hit) => hit.memory }),
    score: t.exposeFloat('score', {
      description:
        "Higher is better, and comparable across queries. SEMANTIC: semanticScore. KEYWORD: keywordScore. HYBRID: the weighted mean of both (a missing one counts 0; default weights semantic 1, keyword 2): about 0.5 and up when the memory holds the query's informative words and means the same, 0.1-0.2 for a paraphrase sharing no word, below 0.1 when unrelated. Multiplied by the recency factor when recencyHalfLifeDays is given.",
    }),
    semanticScore: t.float({
      nullable: true,
      description: 'Cosine similarity to the query (-1 to 1); null when the memory was embedded by another model or SEMANTIC was not consulted.',
      resolve: (hit) => hit.semanticScore ?? null,
    }),
    keywordScore: t.float({
      nullable: true,
      description:
        "BM25 within this end user's memories as the IDF-weighted share of the query's words the memory holds (0 to 1; rare words count most); null when it holds none or KEYWORD was not consulted.",
      resolve: (hit) => hit.keywordScore ?? null,
    }),
  }),
});

export const SearchModeEnum = builder.enumType('SearchMode', {
  values: {
    SEMANTIC: { description: 'Closest in meaning (vectors of the active embedding model).' },
    KEYWORD: { description: "Shares the query's informative words: BM25 within the end user's memories (English stemming, identifiers kept whole)." },
    HYBRID: { description: 'Both scores of every candidate of either ranking, combined as a weighted mean. The default.' },
  } as const,
});

const HybridWeightsInput = builder.inputType('HybridWeights', {
  description: 'How much each score counts in HYBRID mode (0-100 each; default semantic 1, keyword 2).',
  fields: (t) => ({
    semantic: t.float({ required: false }),
    keyword: t.float({ required: false }),
  }),
});

const MemorySearch = builder.objectRef<{ hits: ScoredMemory[]; embeddingModel: string; mode: SearchMode }>('MemorySearch').implement({
  authScopes: { READ: true },
  fields: (t) => ({
    hits: t.field({ type: [MemoryHit], resolve: (search) => search.hits, description: 'Best match first.' }),
    mode: t.field({ type: SearchModeEnum, resolve: (search) => search.mode }),
    embeddingModel: t.exposeString('embeddingModel', {
      description: 'Semantic ranking compared only memories embedded by this model (see `memgate reembed`).',
    }),
  }),
});

export { MemoryFilterInput };

builder.queryFields((t) => ({
  memory: t.field({
    authScopes: { READ: true },
    type: Memory,
    errors: { types: [ValidationError, NotFoundError] },
    args: { externalUserId: t.arg.string(userIdOptions), id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      return (await ctx.forUser(args.externalUserId)).get(memoryIdFromGlobalId(args.id));
    },
  }),
  memories: t.field({
    authScopes: { READ: true },
    type: builder.errorUnion('MemoriesResult', { types: [MemoryConnection, ValidationError], resolveType: () => 'MemoryConnection' }),
    description: "An end user's live memories, newest first (Relay pagination: first/after or last/before, at most 100).",
    args: {
      externalUserId: t.arg.string(userIdOptions),
      first: t.arg.int(),
      after: t.arg.string(),
      last: t.arg.int(),
      before: t.arg.string(),
      filter: t.arg({ type: MemoryFilterInput }),
    },
    resolve: async (_root, args, ctx) => {
      return (await ctx.forUser(args.externalUserId)).list(args, toFilter(args.filter));
    },
  }),
  searchMemories: t.field({
    authScopes: { READ: true },
    type: MemorySearch,
    errors: { types: [ValidationError, EmbeddingUnavailableError] },
    description: "The end user's live memories that best match `query`, by meaning, by words or both (exact search within that user).",
    args: {
      externalUserId: t.arg.string(userIdOptions),
      query: t.arg.string({ required: true }),
      mode: t.arg({ type: SearchModeEnum, description: 'Default HYBRID.' }),
      limit: t.arg.int({ description: 'How many hits, 1-50 (default 10).' }),
      minScore: t.arg.float({
        description: 'Leave out hits whose final score is below this (-1 to 1; see MemoryHit.score). For HYBRID, 0.1 drops what is unrelated.',
      }),
      weights: t.arg({ type: HybridWeightsInput }),
      recencyHalfLifeDays: t.arg.float({ description: 'Favour recent memories: a score halves every this many days since the memory occurred (occurredAt).' }),
      filter: t.arg({ type: MemoryFilterInput }),
    },
    resolve: async (_root, args, ctx) => {
      const memories = await ctx.forUser(args.externalUserId);
      const mode = args.mode ?? DEFAULT_SEARCH_MODE;
      const hits = await memories.search(args.query, {
        mode,
        limit: args.limit,
        minScore: args.minScore,
        weights: args.weights,
        recencyHalfLifeDays: args.recencyHalfLifeDays,
        filter: toFilter(args.filter),
      });
      return { hits, mode, embeddingModel: memories.embeddingModel };
    },
  }),
}));

const OCCURRED_AT = 'When the fact was said or happened (years 1000-9999; default: now). Imported history keeps its own dates.';

const MemoryInput = builder.inputType('MemoryInput', {
  fields: (t) => ({
    content: t.string({ required: true, description: '1-32,768 characters.' }),
    metadata: t.field({ type: 'JSONObject', required: false, description: 'At most 16 KiB of JSON.' }),
    tags: t.stringList({ required: false, description: 'At most 32 tags of 1-64 characters.' }),
    expiresAt: t.field({ type: 'DateTime', required: false, description: 'After this instant the memory is no longer returned.' }),
    occurredAt: t.field({ type: 'DateTime', required: false, description: OCCURRED_AT }),
  }),
});

const AddMemoryInput = builder.inputType('AddMemoryInput', {
  fields: (t) => ({
    externalUserId: t.string(userIdOptions),
    content: t.string({ required: true, description: '1-32,768 characters.' }),
    metadata: t.field({ type: 'JSONObject', required: false, description: 'At most 16 KiB of JSON.' }),
    tags: t.stringList({ required: false, description: 'At most 32 tags of 1-64 characters.' }),
    expiresAt: t.field({ type: 'DateTime', required: false }),
    occurredAt: t.field({ type: 'DateTime', required: false, description: OCCURRED_AT }),
    idempotencyKey: t.string({
      required: false,
      description: 'Retrying with the same key and payload returns the first result and writes nothing.',
    }),
  }),
});

const AddMemoriesInput = builder.inputType('AddMemoriesInput', {
  fields: (t) => ({
    externalUserId: t.string(userIdOptions),
    memories: t.field({ type: [MemoryInput], required: true, description: '1-100 memories, stored all or none.' }),
    idempotencyKey: t.string({ required: false }),
  }),
});

const UpdateMemoryInput = builder.inputType('UpdateMemoryInput', {
  fields: (t) => ({
    externalUserId: t.string(userIdOptions),
    id: t.id({ required: true }),
    content: t.string({ required: false, description: 'New text; the memory is re-embedded.' }),
    metadata: t.field({ type: 'JSONObject', required: false, description: 'Replaces the metadata.' }),
    tags: t.stringList({ required: false, description: 'Replaces the tags.' }),
    expiresAt: t.field({ type: 'DateTime', required: false, description: 'Pass null to remove the expiry.' }),
    occurredAt: t.field({ type: 'DateTime', required: false, description: 'When the fact was said or happened.' }),
    reason: t.string({ required: false, description: 'Why, kept in the history.' }),
  }),
});

const DeleteMemoryInput = builder.inputType('DeleteMemoryInput', {
  fields: (t) => ({
    externalUserId: t.string(userIdOptions),
    id: t.id({ required: true }),
    reason: t.string({ required: false, description: 'Why, kept in the history.' }),
  }),
});

const AddedMemoryType = builder.objectRef<AddedMemory>('AddedMemory').implement({
  authScopes: { public: true },
  fields: (t) => ({
    memory: t.field({ type: Memory, resolve: (added) => added.memory }),
    created: t.exposeBoolean('created', {
      description: 'False when this exact content was already stored for the user: the existing memory is returned.',
    }),
  }),
});

const AddedMemories = builder.objectRef<{ results: AddedMemory[] }>('AddedMemories').implement({
  authScopes: { public: true },
  fields: (t) => ({
    results: t.field({ type: [AddedMemoryType], resolve: (added) => added.results, description: 'In input order.' }),
  }),
});

const DeletedMemory = builder.objectRef<MemoryRecord>('DeletedMemory').implement({
  authScopes: { public: true },
  description: 'The memory is retired: no longer listed or searched, kept in its history.',
  fields: (t) => ({
    deletedMemoryId: t.field({ type: 'ID', resolve: (memory) => memoryGlobalId(memory.id) }),
    history: t.field({
      type: [MemoryEvent],
      resolve: (memory, _args, ctx) => historyOf(memory, ctx),
    }),
  }),
});

const ErasedTable = builder.objectRef<{ table: string; rows: number }>('ErasedTable').implement({
  authScopes: { public: true },
  fields: (t) => ({ table: t.exposeString('table'), rows: t.exposeInt('rows') }),
});

const EndUserErasure = builder.objectRef<ErasureReceipt>('EndUserErasure').implement({
  authScopes: { public: true },
  description: 'Receipt of a GDPR erasure: every row of this end user was removed.',
  fields: (t) => ({
    externalUserId: t.exposeString('externalUserId'),
    memoriesDeleted: t.exposeInt('memoriesDeleted'),
    historyEventsDeleted: t.exposeInt('historyEventsDeleted'),
    idempotencyKeysDeleted: t.exposeInt('idempotencyKeysDeleted'),
    tables: t.field({ type: [ErasedTable], resolve: (receipt) => receipt.tables, description: 'Rows removed per table.' }),
    erasedAt: t.expose('erasedAt', { type: 'DateTime' }),
  }),
});

builder.mutationFields((t) => ({
  addMemory: t.field({
    authScopes: { WRITE: true },
    type: AddedMemoryType,
    errors: { types: [ValidationError, ConflictError, EmbeddingUnavailableError] },
    args: { input: t.arg({ type: AddMemoryInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      return (await ctx.forUser(input.externalUserId)).add(input, input.idempotencyKey);
    },
  }),
  addMemories: t.field({
    authScopes: { WRITE: true },
    type: AddedMemories,
    errors: { types: [ValidationError, ConflictError, EmbeddingUnavailableError] },
    args: { input: t.arg({ type: AddMemoriesInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      return { results: await (await ctx.forUser(input.externalUserId)).addMany(input.memories, input.idempotencyKey) };
    },
  }),
  updateMemory: t.field({
    authScopes: { WRITE: true },
    type: Memory,
    errors: { types: [ValidationError, NotFoundError, ConflictError, EmbeddingUnavailableError] },
    args: { input: t.arg({ type: UpdateMemoryInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { externalUserId, id, ...patch } = input;
      return (await ctx.forUser(externalUserId)).update(memoryIdFromGlobalId(id), patch);
    },
  }),
  deleteMemory: t.field({
    authScopes: { WRITE: true },
    type: DeletedMemory,
    errors: { types: [ValidationError, NotFoundError] },
    args: { input: t.arg({ type: DeleteMemoryInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      return (await ctx.forUser(input.externalUserId)).delete(memoryIdFromGlobalId(input.id), input.reason);
    },
  }),
  deleteEndUser: t.field({
    authScopes: { WRITE: true },
    type: EndUserErasure,
    errors: { types: [ValidationError] },
    description: 'GDPR erasure: removes every memory and history event of this end user. Running it twice is harmless.',
    args: { externalUserId: t.arg.string(userIdOptions) },
    resolve: async (_root, args, ctx) => {
      return (await ctx.forUser(args.externalUserId)).erase();
    },
  }),
}));
