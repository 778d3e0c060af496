import { queryEntityKeys } from './entities.js';
import { LIMITS } from './limits.js';
import type { MemoryFilter, SearchMode } from '../model.js';
import type { HybridWeights } from './ranking.js';
import { namesDate, timeWindowOf, withoutTime, type TimeWindow } from './timeWindow.js';
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
  /** When the question is asked: what "last month" is read against (default: the server's clock). */
  now?: Date | null;
}

/** The mode used when none is asked for: the winner of `npm run eval:retrieval`. */
export const DEFAULT_SEARCH_MODE: SearchMode = 'HYBRID';

/**
 * HYBRID's default: the cosine and the keyword share (as far as the meaning agrees, see
 * ranking.ts) count alike. Measured by `npm run eval:retrieval` against the weighted mean it
 * replaced (1:2): short facts recall@1 0.56 → 0.69 (SEMANTIC 0.67), conversations recall@5
 * 0.64 → 0.67, paraphrases unchanged (0.95). The entity score (the query names an entity the
 * memory is linked to) counts 0.2: on the conversations, multi-hop recall@5 0.447 → 0.455, single
 * 0.812 → 0.804, temporal 0.796 → 0.806; at 0.4 multi-hop rose to 0.476 but single and temporal
 * fell by 0.02. The reply to a question in a thread gets 0.2 of the question's evidence: multi-hop
 * 0.455 → 0.515, single 0.812 → 0.864, temporal 0.827 → 0.837, paraphrase 0.598 → 0.609 (short
 * facts and paraphrases, outside threads, unchanged); at 0.3 (the same candidates re-ranked)
 * multi-hop reached 0.541 but temporal fell by 0.011.
 */
export const DEFAULT_WEIGHTS: HybridWeights = { semantic: 1, keyword: 1, entity: 0.2, question: 0.2 };

export interface CheckedSearch {
  query: string;
  /** The query without the words that named a time: what its meaning is matched against. */
  content: string;
  /** The keys of the entities the query may name (see entities.ts). */
  entityKeys: string[];
  /**
   * What keyword search matches: the content, or the whole query when it names a date as a memory
   * would write it ("on 14 June 2025": "Ada's wedding is on 14 June 2025" holds those words).
   */
  words: string;
  /** The span of time the query named, if any (see timeWindow.ts). */
  window: TimeWindow | null;
  now: Date;
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
    entity: options.weights?.entity ?? DEFAULT_WEIGHTS.entity,
    question: options.weights?.question ?? DEFAULT_WEIGHTS.question,
  };
  for (const [name, weight] of Object.entries(weights)) {
    if (!(weight >= 0 && weight <= 100)) throw new ValidationError(`weights.${name}`, 'Weights must be from 0 to 100.');
  }
  if (weights.semantic + weights.keyword + weights.entity === 0)
    throw new ValidationError('weights', 'At least one weight must be above 0.');
  const halfLifeDays = options.recencyHalfLifeDays ?? undefined;
  if (halfLifeDays !== undefined && !(halfLifeDays > 0 && halfLifeDays <= 36_500)) {
    throw new ValidationError('recencyHalfLifeDays', 'recencyHalfLifeDays must be above 0 and at most 36500.');
  }
  const now = options.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw new ValidationError('now', 'now must be a valid date.');
  const window = timeWindowOf(query, now);
  return {
    query,
    content: withoutTime(query, window),
    entityKeys: queryEntityKeys(query),
    words: window && namesDate(window.text) ? query : withoutTime(query, window),
    window,
    now,
    mode: options.mode ?? DEFAULT_SEARCH_MODE,
    limit,
    minScore,
    filter: options.filter,
    weights,
    halfLifeDays,
  };
}
