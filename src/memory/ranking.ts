import type { Candidate } from '../db/memorySql.js';
import type { MemoryRecord, ScoredMemory } from '../model.js';
import type { CheckedSearch } from './searchOptions.js';

/**
 * How search scores are made, per mode (documented in the README):
 * - SEMANTIC: cosine similarity of the query's and the memory's vectors, -1 to 1.
 * - KEYWORD: BM25 inside the end user's memories, as the IDF-weighted share of the query's words
 *   the memory holds, 0 to 1 (see bm25Ctes in src/db/memorySql.ts).
 * - HYBRID: the weighted mean of both, each candidate scored by both rankings.
 * With a recency half-life every score is multiplied by 0.5^(age / halfLife), age counted from
 * when the memory's fact occurred; minScore applies to that final score.
 */

export interface HybridWeights {
  semantic: number;
  keyword: number;
}

/** The HYBRID score of one candidate: a weighted mean of its two scores (a missing score counts 0). */
export function fuse(candidate: Pick<Candidate, 'semanticScore' | 'keywordScore'>, weights: HybridWeights): number {
  const semantic = Math.max(0, candidate.semanticScore ?? 0);
  const keyword = candidate.keywordScore ?? 0;
  return (weights.semantic * semantic + weights.keyword * keyword) / (weights.semantic + weights.keyword);
}

function scoreOf(search: CheckedSearch, candidate: Candidate): number {
  switch (search.mode) {
    case 'SEMANTIC':
      return candidate.semanticScore ?? -1;
    case 'KEYWORD':
      return candidate.keywordScore ?? 0;
    case 'HYBRID':
      return fuse(candidate, search.weights);
  }
}

/** The hits of one search from its candidates: the mode's scores, recency, minScore, then the page. */
export function rankHits(search: CheckedSearch, candidates: Candidate[], now: Date): ScoredMemory[] {
  const halfLifeMs = search.halfLifeDays === undefined ? undefined : search.halfLifeDays * 86_400_000;
  const hits: ScoredMemory[] = candidates.map((candidate) => {
    let score = scoreOf(search, candidate);
    if (halfLifeMs !== undefined)
      score *= 0.5 ** (Math.max(0, now.getTime() - candidate.occurredAt.getTime()) / halfLifeMs);
    return {
      memory: toMemory(candidate),
      score,
      semanticScore: candidate.semanticScore,
      keywordScore: candidate.keywordScore,
    };
  });
  const { minScore } = search;
  // Ties go to the closer meaning, then keep the database's order (KEYWORD: plain BM25, then recency).
  return hits
    .filter((hit) => minScore === undefined || hit.score >= minScore)
    .sort((a, b) => b.score - a.score || (b.semanticScore ?? -2) - (a.semanticScore ?? -2))
    .slice(0, search.limit);
}

/** A candidate row as its memory (without the score columns). */
function toMemory(row: Candidate): MemoryRecord {
  const { id, externalUserId, content, metadata, tags, embeddingModel, createdAt, updatedAt, occurredAt, expiresAt } =
    row;
  return { id, externalUserId, content, metadata, tags, embeddingModel, createdAt, updatedAt, occurredAt, expiresAt };
}
