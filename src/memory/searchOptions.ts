import { LIMITS } from './limits.js';
import type { MemoryFilter, SearchMode } from '../model.js';
import type { HybridWeights } from './ranking.js';
import { checkContent, checkRange } from './validate.js';
import { ValidationError } from '../errors.js';

export interface SearchOptions {
  mode?: SearchMode | null;
  limit?: number | null;
  minScore?: number | null;
  filter?: MemoryFilter;
  /** HYBRID only: how much each score counts (default DEFAULT_WEIGHTS). */
  weights?: { [K in keyof HybridWeights]?: number | null } | null;
  /** Halves a memory's score every this many days since its last update. */
  recencyHalfLifeDays?: number | null;
}

/** The mode used when none is asked for: the winner of `npm run eval:retrieval`. */
export const DEFAULT_SEARCH_MODE: SearchMode = 'HYBRID';

/**
 * HYBRID's default: the keyword score counts twice as much as the cosine. On the conversational
 * set 1:1 ranks a little better (recall@5 0.668 against 0.651), but with a weaker embedding — the
 * cosines degraded by noise until SEMANTIC falls to 0.312 or 0.204 — 1:1 drops to 0.612 and 0.507
 * while 1:2 keeps 0.639 and 0.586, above KEYWORD alone (0.577); the paraphrase set is 0.948 either
 * way (`npm run eval:retrieval`). Real conversations are where the local model is weakest, so the
 * default leans on words.
 */
export const DEFAULT_WEIGHTS: HybridWeights = { semantic: 1, keyword: 2 };

export interface CheckedSearch {
  query: string;
  mode: SearchMode;
  limit: number;
  minScore?: number;
  filter?: MemoryFilter;
  weights: HybridWeights;
  halfLifeDays?: number;
}

/** Validates a search request (ValidationError names the offending field) and fills defaults. */
export function checkSearch(query: string, options: SearchOptions): CheckedSearch {
  if (query.trim().length === 0) throw new ValidationError('query', 'query must not be empty.');
  checkContent(query, 'query');
  const { min, max } = LIMITS.searchLimit;
  const limit = checkRange(options.limit ?? LIMITS.searchLimit.default, min, max, 'limit');
  const minScore = options.minScore ?? undefined;
  if (minScore !== undefined && !(minScore >= -1 && minScore <= 1)) {
    throw new ValidationError('minScore', 'minScore must be from -1 to 1.');
  }
  const weights = {
    semantic: options.weights?.semantic ?? DEFAULT_WEIGHTS.semantic,
    keyword: options.weights?.keyword ?? DEFAULT_WEIGHTS.keyword,
  };
  for (const [name, weight] of Object.entries(weights)) {
    if (!(weight >= 0 && weight <= 100)) throw new ValidationError(`weights.${name}`, 'Weights must be from 0 to 100.');
  }
  if (weights.semantic + weights.keyword === 0)
    throw new ValidationError('weights', 'At least one weight must be above 0.');
  const halfLifeDays = options.recencyHalfLifeDays ?? undefined;
  if (halfLifeDays !== undefined && !(halfLifeDays > 0 && halfLifeDays <= 36_500)) {
    throw new ValidationError('recencyHalfLifeDays', 'recencyHalfLifeDays must be above 0 and at most 36500.');
  }
  return {
    query,
    mode: options.mode ?? DEFAULT_SEARCH_MODE,
    limit,
    minScore,
    filter: options.filter,
    weights,
    halfLifeDays,
  };
}
