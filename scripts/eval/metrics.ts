/** How one question went: the ranks (1-based, top 10) of its evidence memories, and what else came back. */
export interface Outcome {
  kind: string;
  /** How many memories answer it (0: unanswerable). */
  evidence: number;
  /** Rank of each evidence memory found in the top 10. */
  ranks: number[];
  /** The first hit's score, when there was one. */
  topScore?: number;
  /** Results that belong to another end user or tenant. */
  foreign: number;
  ms: number;
}

export interface Metrics {
  questions: number;
  recallAt1: number;
  recallAt5: number;
  recallAt10: number;
  mrr: number;
  p50Ms: number;
  p95Ms: number;
  foreign: number;
}

/**
 * recall@k: the share of a question's evidence memories found in the top k (at most k of them
 * count: recall@1 is whether the first hit answers), averaged over the answerable questions; MRR:
 * 1 / rank of the first evidence memory in the top 10 (0 when none is there).
 */
export function summarise(all: Outcome[]): Metrics {
  const outcomes = all.filter((o) => o.evidence > 0);
  const mean = (value: (o: Outcome) => number) =>
    outcomes.reduce((sum, o) => sum + value(o), 0) / Math.max(1, outcomes.length);
  const recall = (k: number) => mean((o) => o.ranks.filter((rank) => rank <= k).length / Math.min(k, o.evidence));
  const times = all.map((o) => o.ms).sort((a, b) => a - b);
  const percentile = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  return {
    questions: all.length,
    recallAt1: recall(1),
    recallAt5: recall(5),
    recallAt10: recall(10),
    mrr: mean((o) => (o.ranks.length ? 1 / Math.min(...o.ranks) : 0)),
    p50Ms: percentile(0.5),
    p95Ms: percentile(0.95),
    foreign: all.reduce((sum, o) => sum + o.foreign, 0),
  };
}

export interface ThresholdRow {
  minScore: number;
  /** Of the answerable questions whose first hit is right, the share whose first hit scores at least minScore. */
  rightTopHitsKept: number;
  /** Of the unanswerable questions, the share with no hit at or above minScore. */
  unanswerableEmpty: number;
}

/** What a minScore would keep and drop: one row per threshold. */
export function thresholds(outcomes: Outcome[], minScores: number[]): ThresholdRow[] {
  const right = outcomes.filter((o) => o.evidence > 0 && o.ranks.includes(1));
  const unanswerable = outcomes.filter((o) => o.evidence === 0);
  return minScores.map((minScore) => ({
    minScore,
    rightTopHitsKept: right.filter((o) => (o.topScore ?? -Infinity) >= minScore).length / Math.max(1, right.length),
    unanswerableEmpty:
      unanswerable.filter((o) => (o.topScore ?? -Infinity) < minScore).length / Math.max(1, unanswerable.length),
  }));
}
