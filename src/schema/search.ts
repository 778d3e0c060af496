import type { MemorySearch as MemorySearchResult } from '../app/memoryCalls.js';
import { LIMITS } from '../memory/limits.js';
import type { ThreadContext } from '../memory/threadContext.js';
import type { TimeWindow } from '../memory/timeWindow.js';
import type { ScoredMemory } from '../model.js';
import { DEFAULT_SEARCH_MODE } from '../memory/searchOptions.js';
import { EmbeddingUnavailableError, ValidationError } from '../errors.js';
import { builder } from './builder.js';
import { Memory, MemoryFilterInput, toFilter } from './memory.js';
import { operation } from './operations.js';
import { userIdOptions } from './userArgument.js';

const ThreadContextType = builder.objectRef<ThreadContext>('ThreadContext').implement({
  authScopes: { READ: true },
  description: "A memory's neighbours in its thread, in the order they occurred.",
  fields: (t) => ({
    before: t.field({ type: [Memory], resolve: (context) => context.before, description: 'Those just before it.' }),
    after: t.field({ type: [Memory], resolve: (context) => context.after, description: 'Those just after it.' }),
  }),
});

export const MemoryHit = builder.objectRef<ScoredMemory>('MemoryHit').implement({
  authScopes: { READ: true },
  fields: (t) => ({
    memory: t.field({ type: Memory, resolve: (hit) => hit.memory }),
    context: t.field({
      type: ThreadContextType,
      description:
        'The memories around this one in its thread (see Memory.threadId), e.g. the turns of a chat around the one found; empty outside a thread. 0-20 on each side.',
      args: {
        before: t.arg.int({ defaultValue: LIMITS.threadContext.default, description: 'How many before it.' }),
        after: t.arg.int({ defaultValue: LIMITS.threadContext.default, description: 'How many after it.' }),
      },
      resolve: (hit, args, ctx) => ctx.memories.threadContext(hit.memory, args.before ?? 1, args.after ?? 1),
    }),
    score: t.exposeFloat('score', {
      description:
        'From 0 to 1, comparable across queries and modes: how likely the memory answers the query, calibrated so that 0.5 is as likely as not — `minScore: 0.5` keeps what is probably relevant. Made from semanticScore (SEMANTIC), keywordScore (KEYWORD) or both (HYBRID: the cosine, plus the keyword share as far as the meaning agrees); a memory that occurred in the time the query names (see timeWindow) counts more, any other less. Multiplied by the recency factor when recencyHalfLifeDays is given.',
    }),
    semanticScore: t.float({
      nullable: true,
      description:
        'Cosine similarity to the query (-1 to 1); null when the memory was embedded by another model or SEMANTIC was not consulted.',
      resolve: (hit) => hit.semanticScore ?? null,
    }),
    keywordScore: t.float({
      nullable: true,
      description:
        "BM25 within this end user's memories as the IDF-weighted share of the query's words the memory holds (0 to 1; rare words count most); null when it holds none or KEYWORD was not consulted.",
      resolve: (hit) => hit.keywordScore ?? null,
    }),
    entityScore: t.float({
      nullable: true,
      description:
        "HYBRID: how strongly the memory is linked to the entities the query names (see Memory.entities), each weighed by how few of the end user's memories name it — about 1 for a rare one, near 0 for the end user's own name; null when it names none of them.",
      resolve: (hit) => hit.entityScore ?? null,
    }),
    questionScore: t.float({
      nullable: true,
      description:
        'HYBRID: when the memory is the reply to a question in its thread (the memory before it ends with "?") and that question was found for the query, the question\'s own evidence (its semantic, keyword and entity parts fused); the score adds `weights.question` times it. In a chat the answer is often the reply, and only the question shares words with the query. Null otherwise.',
      resolve: (hit) => hit.questionScore ?? null,
    }),
  }),
});

export const SearchModeEnum = builder.enumType('SearchMode', {
  values: {
    SEMANTIC: { description: 'Closest in meaning (vectors of the active embedding model).' },
    KEYWORD: {
      description:
        "Shares the query's informative words: BM25 within the end user's memories (English stemming, identifiers kept whole).",
    },
    HYBRID: {
      description:
        'Both scores of every candidate of either ranking: the cosine, plus the keyword share as far as the meaning agrees (a memory that merely shares an ordinary word does not outrank one that means the answer). The default.',
    },
  } as const,
});

const HybridWeightsInput = builder.inputType('HybridWeights', {
  description:
    'How much each score counts in HYBRID mode (0-100 each; default 1, 1, 0.2 and 0.2). The keyword part counts only as far as the meaning agrees (nothing below a cosine of 0.1, fully from 0.6).',
  fields: (t) => ({
    semantic: t.float({ required: false }),
    keyword: t.float({ required: false }),
    entity: t.float({ required: false, description: 'The entity score (default 0.2).' }),
    question: t.float({
      required: false,
      description: 'The evidence of the question a reply answers in its thread (questionScore, default 0.2).',
    }),
  }),
});

const TimeWindowType = builder.objectRef<TimeWindow>('TimeWindow').implement({
  authScopes: { READ: true },
  description:
    'A span of time the query named ("last month", "on 8 May", "in 2024"), read against `now`: memories that occurred in it rank higher.',
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime', description: 'Inclusive.' }),
    to: t.expose('to', { type: 'DateTime', description: 'Exclusive.' }),
    text: t.exposeString('text', { description: 'The words of the query that named it.' }),
  }),
});

/** The `now` argument of the fields that read a question's times. */
export const nowArgument = {
  type: 'DateTime',
  description:
    'When the question is asked: what the times it names are read against ("last month", "two weeks ago", "on 8 May" — the latest 8 May not after it). Default: the server\'s clock.',
} as const;

const MemorySearch = builder.objectRef<MemorySearchResult>('MemorySearch').implement({
  authScopes: { READ: true },
  fields: (t) => ({
    hits: t.field({ type: [MemoryHit], resolve: (search) => search.hits, description: 'Best match first.' }),
    timeWindow: t.field({
      type: TimeWindowType,
      nullable: true,
      description: 'The span of time the query named, as understood; null when it named none.',
      resolve: (search) => search.timeWindow,
    }),
    mode: t.field({ type: SearchModeEnum, resolve: (search) => search.mode }),
    embeddingModel: t.exposeString('embeddingModel', {
      description: 'Semantic ranking compared only memories embedded by this model (see `memgate reembed`).',
    }),
  }),
});

builder.queryFields((t) => ({
  searchMemories: t.field({
    ...operation('searchMemories'),
    type: MemorySearch,
    errors: { types: [ValidationError, EmbeddingUnavailableError] },
    description:
      "The end user's live memories that best match `query`, by meaning, by words or both (exact search within that user).",
    args: {
      externalUserId: t.arg.string(userIdOptions),
      query: t.arg.string({ required: true }),
      mode: t.arg({ type: SearchModeEnum, description: 'Default HYBRID.' }),
      limit: t.arg.int({ description: 'How many hits, 1-50 (default 10).' }),
      minScore: t.arg.float({
        description:
          'Leave out hits whose score is below this (0 to 1; see MemoryHit.score). 0.5 keeps what is probably relevant and usually nothing when the memories cannot answer.',
      }),
      weights: t.arg({ type: HybridWeightsInput }),
      recencyHalfLifeDays: t.arg.float({
        description:
          'Favour recent memories: a score halves every this many days since the memory occurred (occurredAt).',
      }),
      filter: t.arg({ type: MemoryFilterInput }),
      now: t.arg(nowArgument),
    },
    resolve: (_root, args, ctx) =>
      ctx.memories.search(args.externalUserId, args.query, {
        mode: args.mode ?? DEFAULT_SEARCH_MODE,
        limit: args.limit,
        minScore: args.minScore,
        weights: args.weights,
        recencyHalfLifeDays: args.recencyHalfLifeDays,
        filter: toFilter(args.filter),
        now: args.now,
      }),
  }),
}));
