import { fuse, type HybridWeights } from '../../src/memory/ranking.js';

/**
 * What HYBRID would score with a weaker embedding model: each question's candidates (with both
 * scores, as the API returns them) are ranked again after Gaussian noise is added to every
 * cosine. The noise stands in for a model that tells the right memory from its neighbours less
 * well — as the local model does on long, chatty conversations — and shows whether the fusion
 * then falls below KEYWORD alone, which a default must not.
 */

export interface ScoredCandidate {
  semanticScore: number | null;
  keywordScore: number | null;
  evidence: boolean;
}

export interface CandidateList {
  candidates: ScoredCandidate[];
  evidenceCount: number;
}

export interface RobustnessRow {
  noise: number;
  /** Ranking the same candidates by their noisy cosine alone: what SEMANTIC would score. */
  semantic: number;
  hybrid: Record<string, number>;
}

/** A deterministic normal sample (Box-Muller over a linear congruential generator). */
function gaussian(seed: number): () => number {
  let state = seed;
  const uniform = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state + 1) / 2147483649;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

function recallAt5(lists: CandidateList[], score: (c: ScoredCandidate) => number): number {
  let total = 0;
  for (const { candidates, evidenceCount } of lists) {
    const top = [...candidates].sort((a, b) => score(b) - score(a)).slice(0, 5);
    total += top.filter((c) => c.evidence).length / evidenceCount;
  }
  return total / Math.max(1, lists.length);
}

export function weakerEmbedding(
  lists: CandidateList[],
  noises: number[],
  weightings: Record<string, HybridWeights>,
): RobustnessRow[] {
  return noises.map((noise) => {
    const sample = gaussian(1);
    const noisy = lists.map((list) => ({
      ...list,
      candidates: list.candidates.map((c) => ({
        ...c,
        semanticScore: c.semanticScore === null ? null : c.semanticScore + noise * sample(),
      })),
    }));
    return {
      noise,
      semantic: recallAt5(noisy, (c) => c.semanticScore ?? -2),
      hybrid: Object.fromEntries(
        Object.entries(weightings).map(([name, weights]) => [name, recallAt5(noisy, (c) => fuse(c, weights))]),
      ),
    };
  });
}
