import type { Candidate } from '../db/memorySql.js';
import type { MemoryRecord, ScoredMemory } from '../model.js';
import type { CheckedSearch } from './searchOptions.js';
import { preferNewerFacts } from './supersession.js';

/**
 * How search scores are made (documented in the README and the schema). Each mode first weighs
 * the evidence that a memory answers the query:
 * - SEMANTIC: the cosine similarity of the query's and the memory's vectors;
 * - KEYWORD: BM25 inside the end user's memories, as the IDF-weighted share of the query's words
 *   the memory holds (see bm25Ctes in src/db/keywordSql.ts);
 * - HYBRID: the cosine, plus the keyword share as far as the meaning agrees (the keyword part
 *   counts nothing below a cosine of 0.1 and fully from 0.6): a memory that merely shares an
 *   ordinary word ("work" in "was off work with the flu" for "where does she work?") no longer
 *   outranks the one that means the answer. Plus the entity score, and, for the reply to a
 *   question in a thread, a part of that question's evidence: "And your blood pressure?" matches
 *   "how did he bring his blood pressure down?", its reply "Back to normal, Mondays off did it"
 *   answers it.
 * When the query names a span of time ("last month", "on 8 May"), a memory that occurred in it
 * gets TIME_BOOST more and any other half its evidence: the named time comes first, and a misread
 * date still hides nothing (measured against a filter and a boost alone: see README "Dates").
 * The evidence is then calibrated into a score from 0 to 1, the same for every mode: 0.5 where it
 * is as likely as not that the memory answers (CALIBRATION, measured by `npm run eval:retrieval`),
 * so that `minScore: 0.5` keeps what is probably relevant. With a recency half-life the score is
 * multiplied by 0.5^(age / halfLife), age counted from when the memory's fact occurred. A newer
 * fact that changes an older one comes before it when it scores near it (see supersession.ts).
 */

export interface HybridWeights {
  semantic: number;
  keyword: number;
  entity: number;
  question: number;
}

/** Evidence added for a memory that occurred in the span of time the query named… */
export const TIME_BOOST = 0.5;
/** …and what is left of the evidence of one that did not. */
export const OUTSIDE_TIME = 0.5;

/** The keyword part counts from this cosine, fully from GATE_FULL. */
const GATE_FROM = 0.1;
const GATE_FULL = 0.6;

/**
 * Per mode, the evidence at which a memory is as likely as not to answer (score 0.5), and how
 * steeply the score rises around it: fitted on the eval's sets (right first hits kept against
 * questions nothing answers, see README "Thresholds").
 */
const CALIBRATION = {
  SEMANTIC: { even: 0.45, steepness: 10 },
  KEYWORD: { even: 0.35, steepness: 8 },
  HYBRID: { even: 0.5, steepness: 8 },
} as const;

/** How far the meaning agrees, for the keyword part of HYBRID: 0 below GATE_FROM, 1 from GATE_FULL. */
function agreement(semantic: number): number {
  return Math.min(1, Math.max(0, (semantic - GATE_FROM) / (GATE_FULL - GATE_FROM)));
}

/** HYBRID's evidence for one candidate from its own scores (a missing score counts 0). */
export function fuse(
  candidate: Pick<Candidate, 'semanticScore' | 'keywordScore' | 'entityScore'>,
  weights: HybridWeights,
): number {
  const semantic = Math.max(0, candidate.semanticScore ?? 0);
  const keyword = candidate.keywordScore ?? 0;
  const entity = candidate.entityScore ?? 0;
  return weights.semantic * semantic + weights.keyword * keyword * agreement(semantic) + weights.entity * entity;
}

/** HYBRID: the evidence of the question each reply among the candidates answers, by the reply's id. */
function questionScores(candidates: Candidate[], weights: HybridWeights): Map<string, number> {
  const byId = new Map(candidates.map((candidate) => [candidate.id, candidate]));
  const scores = new Map<string, number>();
  for (const reply of candidates) {
    const question = reply.questionId ? byId.get(reply.questionId) : undefined;
    if (question) scores.set(reply.id, fuse(question, weights));
  }
  return scores;
}

function evidenceOf(search: CheckedSearch, candidate: Candidate, questionScore: number | undefined): number {
  switch (search.mode) {
    case 'SEMANTIC':
      return candidate.semanticScore ?? -1;
    case 'KEYWORD':
      return candidate.keywordScore ?? 0;
    case 'HYBRID':
      return fuse(candidate, search.weights) + search.weights.question * (questionScore ?? 0);
  }
}

/** Evidence as a score from 0 to 1 (0.5: as likely as not to answer). */
export function calibrated(mode: CheckedSearch['mode'], evidence: number): number {
  const { even, steepness } = CALIBRATION[mode];
  return 1 / (1 + Math.exp(-steepness * (evidence - even)));
}

/** The hits of one search from its candidates: evidence, the named time, calibration, recency, minScore, the page. */
export function rankHits(search: CheckedSearch, candidates: Candidate[]): ScoredMemory[] {
  const { now, window } = search;
  const halfLifeMs = search.halfLifeDays === undefined ? undefined : search.halfLifeDays * 86_400_000;
  const questions = search.mode === 'HYBRID' ? questionScores(candidates, search.weights) : new Map<string, number>();
  const hits: ScoredMemory[] = candidates.map((candidate) => {
    const questionScore = questions.get(candidate.id);
    let evidence = evidenceOf(search, candidate, questionScore);
    if (window) {
      const inWindow = candidate.occurredAt >= window.from && candidate.occurredAt < window.to;
      evidence = inWindow ? evidence + TIME_BOOST : evidence * OUTSIDE_TIME;
    }
    let score = calibrated(search.mode, evidence);
    if (halfLifeMs !== undefined)
      score *= 0.5 ** (Math.max(0, now.getTime() - candidate.occurredAt.getTime()) / halfLifeMs);
    return {
      memory: toMemory(candidate),
      score,
      semanticScore: candidate.semanticScore,
      keywordScore: candidate.keywordScore,
      entityScore: candidate.entityScore ?? null,
      questionScore: questionScore ?? null,
    };
  });
  const { minScore } = search;
  // Ties go to the closer meaning, then keep the database's order (KEYWORD: plain BM25, then recency).
  const ranked = hits.sort((a, b) => b.score - a.score || (b.semanticScore ?? -2) - (a.semanticScore ?? -2));
  return preferNewerFacts(ranked)
    .filter((hit) => minScore === undefined || hit.score >= minScore)
    .slice(0, search.limit);
}

/** A candidate row as its memory (without the score columns). */
function toMemory(row: Candidate): MemoryRecord {
  const {
    semanticScore: _semantic,
    keywordScore: _keyword,
    entityScore: _entity,
    questionId: _question,
    ...memory
  } = row;
  return memory;
}
