import {
  APPROXIMATE_SEARCH_SETTINGS,
  hybridCandidatesSql,
  semanticCandidatesSql,
  windowCandidatesSql,
  type Candidate,
  type UserKey,
  type VectorQuery,
} from '../db/memorySql.js';
import { KEYWORD_SEARCH_SETTINGS, keywordCandidatesSql } from '../db/keywordSql.js';
import type { ScopedDatabase } from '../db/scope.js';
import type { ScoredMemory } from '../model.js';
import { LIMITS } from './limits.js';
import { rankHits } from './ranking.js';
import { checkSearch, type SearchOptions } from './searchOptions.js';
import type { TimeWindow } from './timeWindow.js';

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

/** The hits of a search, best first, and the span of time its query named (null: none). */
export interface SearchResult {
  hits: ScoredMemory[];
  window: TimeWindow | null;
}

/** One end user's memories ranked for `query`: candidates from one pipelined read, then ranked here. */
export async function searchMemories(
  { db, key, embed, hasAnnIndex }: SearchDeps,
  query: string,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const search = checkSearch(query, options);
  const { mode, limit, filter, window, content, words, entityKeys } = search;
  // Fusion, recency and a named time re-rank, so they look further down each ranking than the page asks for.
  const reranked = mode === 'HYBRID' || search.halfLifeDays !== undefined || window !== null;
  const depth = reranked ? Math.max(LIMITS.searchLimit.max, limit * 4) : limit;
  const windowed = (vector?: VectorQuery) =>
    window ? [windowCandidatesSql(key, { window, vector, limit: depth, filter })] : [];
  if (mode === 'KEYWORD') {
    const lists = await db.read<Candidate[][]>(
      [keywordCandidatesSql(key, { text: words, limit: depth, filter }), ...windowed()],
      KEYWORD_SEARCH_SETTINGS,
    );
    return { hits: rankHits(search, merged(lists)), window };
  }
  const [embedding] = await embed([content]);
  const vector = {
    embedding,
    embeddingModel: embed.modelId,
    approximate: hasAnnIndex(embed.modelId, embedding.length),
  };
  const sql =
    mode === 'SEMANTIC'
      ? semanticCandidatesSql(key, { ...vector, limit: depth, filter })
      : hybridCandidatesSql(key, { ...vector, text: words, entityKeys, limit: depth, filter });
  // An approximate search needs a plan made for its user (HNSW for a large scope only).
  const settings = vector.approximate
    ? APPROXIMATE_SEARCH_SETTINGS
    : mode === 'HYBRID'
      ? KEYWORD_SEARCH_SETTINGS
      : undefined;
  const lists = await db.read<Candidate[][]>([sql, ...windowed(vector)], settings);
  return { hits: rankHits(search, merged(lists)), window };
}

/** Candidates of several lists, each once (the first list's scores win: they hold both). */
function merged([first, ...others]: Candidate[][]): Candidate[] {
  const seen = new Set(first.map((candidate) => candidate.id));
  return [...first, ...others.flat().filter((candidate) => !seen.has(candidate.id) && seen.add(candidate.id))];
}
