import { extractEntities } from '../../src/memory/entities.js';

/**
 * What the offline entity extractor costs at ingest (src/memory/entities.ts): every memory of a set
 * read for entities, as an add does (best of three passes, after a warm-up), and what the set's
 * ingest rate would be without it.
 */
export interface ExtractorCost {
  perSecond: number;
  microseconds: number;
  /** Ingest through addMemories with the extractor's time taken out. */
  ingestWithoutPerSecond: number;
}

export function extractorCost(texts: readonly string[], ingestPerSecond: number): ExtractorCost {
  for (const text of texts.slice(0, 200)) extractEntities(text);
  let best = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const start = performance.now();
    for (const text of texts) extractEntities(text);
    best = Math.min(best, performance.now() - start);
  }
  const seconds = best / 1000 / texts.length;
  return {
    perSecond: 1 / seconds,
    microseconds: seconds * 1e6,
    ingestWithoutPerSecond: 1 / (1 / ingestPerSecond - seconds),
  };
}
