import type { MemoryRecord, ScoredMemory } from './model.js';
import type { CheckedSearch } from './searchOptions.js';

/**
 * How search scores are made, per mode (documented in the README):
 * - SEMANTIC: cosine similarity of the query's and the memory's vectors, -1 to 1.
 * - KEYWORD: PostgreSQL's ts_rank over the words the query shares with the memory, scaled to 0-1
 *   as rank / (rank + 1).
 * - HYBRID: weighted reciprocal rank fusion of the semantic ranking and the keyword ranking of the
 *   query's exact terms (numbers, codes, names: see queryTerms.ts), divided by its maximum so that
 *   1 means "first in every ranking consulted": Σ weight / (RRF_K + rank) ÷ Σ weight / (RRF_K + 1).
 *   A query without exact terms consults the semantic ranking only.
 * With a recency half-life every score is multiplied by 0.5^(age / halfLife), age counted from
 * the memory's last update; minScore applies to that final score.
 */

/** The usual damping constant of reciprocal rank fusion: rank 1 and rank 5 stay close. */
export const RRF_K = 60;

export interface HybridWeights {
  semantic: number;
  keyword: number;
}

export interface RankedCandidate {
  memory: MemoryRecord;
  score: number;
}

/** `keyword` is null when the keyword ranking was not consulted (it then weighs nothing). */
export function fuseRankings(semantic: RankedCandidate[], keyword: RankedCandidate[] | null, weights: HybridWeights): ScoredMemory[] {
  const fused = new Map<string, ScoredMemory>();
  const add = (list: RankedCandidate[], weight: number, field: 'semanticScore' | 'keywordScore') => {
    list.forEach((candidate, index) => {
      const hit = fused.get(candidate.memory.id) ?? { memory: candidate.memory, score: 0, semanticScore: null, keywordScore: null };
      hit.score += weight / (RRF_K + index + 1);
      hit[field] = candidate.score;
      fused.set(candidate.memory.id, hit);
    });
  };
  add(semantic, weights.semantic, 'semanticScore');
  if (keyword) add(keyword, weights.keyword, 'keywordScore');
  const best = (weights.semantic + (keyword ? weights.keyword : 0)) / (RRF_K + 1);
  const hits = [...fused.values()].map((hit) => ({ ...hit, score: best > 0 ? hit.score / best : 0 }));
  // Ties (same fused score) go to the closer meaning.
  return hits.sort((a, b) => b.score - a.score || (b.semanticScore ?? -2) - (a.semanticScore ?? -2));
}

export function weighByRecency(hits: ScoredMemory[], halfLifeDays: number, now: Date): ScoredMemory[] {
  const halfLifeMs = halfLifeDays * 86_400_000;
  return hits
    .map((hit) => {
      const ageMs = Math.max(0, now.getTime() - hit.memory.updatedAt.getTime());
      return { ...hit, score: hit.score * 0.5 ** (ageMs / halfLifeMs) };
    })
    .sort((a, b) => b.score - a.score);
}

/**
 * The hits of one search from its candidate lists (null: that ranking was not consulted): the
 * mode's scores, recency, minScore, then the page.
 */
export function rankHits(
  search: CheckedSearch,
  semantic: (MemoryRecord & { score: number })[] | null,
  keyword: (MemoryRecord & { score: number })[] | null,
  now: Date,
): ScoredMemory[] {
  let hits: ScoredMemory[] =
    search.mode === 'HYBRID'
      ? fuseRankings((semantic ?? []).map(toCandidate), keyword ? keyword.map(toCandidate) : null, search.weights)
      : search.mode === 'SEMANTIC'
        ? (semantic ?? []).map(toCandidate).map(({ memory, score }) => ({ memory, score, semanticScore: score, keywordScore: null }))
        : (keyword ?? []).map(toCandidate).map(({ memory, score }) => ({ memory, score, semanticScore: null, keywordScore: score }));
  if (search.halfLifeDays !== undefined) hits = weighByRecency(hits, search.halfLifeDays, now);
  const { minScore } = search;
  if (minScore !== undefined) hits = hits.filter((hit) => hit.score >= minScore);
  return hits.slice(0, search.limit);
}

/** A candidate row as its memory (without the score column) and its score. */
function toCandidate(row: MemoryRecord & { score: number }): RankedCandidate {
  const { id, externalUserId, content, metadata, tags, embeddingModel, createdAt, updatedAt, expiresAt } = row;
  return { memory: { id, externalUserId, content, metadata, tags, embeddingModel, createdAt, updatedAt, expiresAt }, score: Number(row.score) };
}
