import type { ScoredMemory, SearchMode } from '../model.js';
import { DEFAULT_SEARCH_MODE } from '../memory/searchOptions.js';
import { EmbeddingUnavailableError, ValidationError } from '../errors.js';
import { builder } from './builder.js';
import { Memory, MemoryFilterInput, toFilter } from './memory.js';
import { operation } from './operations.js';
import { userIdOptions } from './userArgument.js';

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
      description: 'Both scores of every candidate of either ranking, combined as a weighted mean. The default.',
    },
  } as const,
});

const HybridWeightsInput = builder.inputType('HybridWeights', {
  description: 'How much each score counts in HYBRID mode (0-100 each; default semantic 1, keyword 2).',
  fields: (t) => ({
    semantic: t.float({ required: false }),
    keyword: t.float({ required: false }),
  }),
});

const MemorySearch = builder
  .objectRef<{ hits: ScoredMemory[]; embeddingModel: string; mode: SearchMode }>('MemorySearch')
  .implement({
    authScopes: { READ: true },
    fields: (t) => ({
      hits: t.field({ type: [MemoryHit], resolve: (search) => search.hits, description: 'Best match first.' }),
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
          'Leave out hits whose final score is below this (-1 to 1; see MemoryHit.score). For HYBRID, 0.1 drops what is unrelated.',
      }),
      weights: t.arg({ type: HybridWeightsInput }),
      recencyHalfLifeDays: t.arg.float({
        description:
          'Favour recent memories: a score halves every this many days since the memory occurred (occurredAt).',
      }),
      filter: t.arg({ type: MemoryFilterInput }),
    },
    resolve: (_root, args, ctx) =>
      ctx.memories.search(args.externalUserId, args.query, {
        mode: args.mode ?? DEFAULT_SEARCH_MODE,
        limit: args.limit,
        minScore: args.minScore,
        weights: args.weights,
        recencyHalfLifeDays: args.recencyHalfLifeDays,
        filter: toFilter(args.filter),
      }),
  }),
}));
