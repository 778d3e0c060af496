import {
  APPROXIMATE_SEARCH_SETTINGS,
  hybridCandidatesSql,
  KEYWORD_SEARCH_SETTINGS,
  keywordCandidatesSql,
  semanticCandidatesSql,
  type Candidate,
  type UserKey,
} from '../db/memorySql.js';
import type { ScopedDatabase } from '../db/scope.js';
import type { ScoredMemory } from '../model.js';
import { LIMITS } from './limits.js';
import { rankHits } from './ranking.js';
import { checkSearch, type SearchOptions } from './searchOptions.js';

/** Turns texts into vectors of one model (batched across a request by the caller). */
export interface EmbedFunction {
  (texts: string[]): Promise<number[][]>;
  modelId: string;
}

export interface SearchDeps {
  db: ScopedDatabase;
  key: UserKey;
  embed: EmbedFunction;
  /** Whether an HNSW index serves this model and vector size (see src/db/annIndex.ts). */
  hasAnnIndex: (model: string, dimensions: number) => boolean;
}

/** One end user's memories ranked for `query`: candidates from one pipelined read, then ranked here. */
export async function searchMemories(
  { db, key, embed, hasAnnIndex }: SearchDeps,
  query: string,
  options: SearchOptions = {},
): Promise<ScoredMemory[]> {
  const search = checkSearch(query, options);
  const { mode, limit, filter } = search;
  // Fusion and recency re-rank, so they look further down each ranking than the page asks for.
  const reranked = mode === 'HYBRID' || search.halfLifeDays !== undefined;
  const depth = reranked ? Math.max(LIMITS.searchLimit.max, limit * 4) : limit;
  if (mode === 'KEYWORD') {
    const [candidates] = await db.read<[Candidate[]]>(
      [keywordCandidatesSql(key, { text: query, limit: depth, filter })],
      KEYWORD_SEARCH_SETTINGS,
    );
    return rankHits(search, candidates, new Date());
  }
  const [embedding] = await embed([query]);
  const vector = {
    embedding,
    embeddingModel: embed.modelId,
    approximate: hasAnnIndex(embed.modelId, embedding.length),
  };
  const sql =
    mode === 'SEMANTIC'
      ? semanticCandidatesSql(key, { ...vector, limit: depth, filter })
      : hybridCandidatesSql(key, { ...vector, text: query, limit: depth, filter });
  // An approximate search needs a plan made for its user (HNSW for a large scope only).
  const settings = vector.approximate
    ? APPROXIMATE_SEARCH_SETTINGS
    : mode === 'HYBRID'
      ? KEYWORD_SEARCH_SETTINGS
      : undefined;
  const [candidates] = await db.read<[Candidate[]]>([sql], settings);
  return rankHits(search, candidates, new Date());
}
