/** How one question went: the ranks (1-based, top 10) of its evidence memories, and what else came back. */
export interface Outcome {
  kind: string;
  evidence: number;
  /** Rank of each evidence memory found in the top 10. */
  ranks: number[];
  /** Results that belong to another end user or tenant. */
  foreign: number;
  ms: number;
}

export interface Metrics {
  questions: number;
  recallAt5: number;
  recallAt10: number;
  mrr: number;
  p50Ms: number;
  p95Ms: number;
  foreign: number;
}

/**
 * recall@k: the share of a question's evidence memories found in the top k, averaged over the
 * questions; MRR: 1 / rank of the first evidence memory in the top 10 (0 when none is there).
 */
export function summarise(outcomes: Outcome[]): Metrics {
  const mean = (value: (o: Outcome) => number) =>
    outcomes.reduce((sum, o) => sum + value(o), 0) / Math.max(1, outcomes.length);
  const recall = (k: number) => mean((o) => o.ranks.filter((rank) => rank <= k).length / o.evidence);
  const times = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const percentile = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  return {
    questions: outcomes.length,
    recallAt5: recall(5),
    recallAt10: recall(10),
    mrr: mean((o) => (o.ranks.length ? 1 / Math.min(...o.ranks) : 0)),
    p50Ms: percentile(0.5),
    p95Ms: percentile(0.95),
    foreign: outcomes.reduce((sum, o) => sum + o.foreign, 0),
  };
}
