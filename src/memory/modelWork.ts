import { LlmAnswerTooLongError } from '../errors.js';

/**
 * Work for the model is cut into batches whose answers should fit in max_tokens: by an estimate
 * of what each item's answer needs, and at most `maxItems` items a batch.
 */
export function batchesWithin<T>(
  items: readonly T[],
  cost: (item: T) => number,
  budget: number,
  maxItems: number,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let spent = 0;
  for (const item of items) {
    const itemCost = cost(item);
    if (current.length > 0 && (spent + itemCost > budget || current.length >= maxItems)) {
      batches.push(current);
      current = [];
      spent = 0;
    }
    current.push(item);
    spent += itemCost;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Runs one batch; when its answer is cut off at max_tokens anyway, runs each half instead (and so
 * on). A single item whose answer does not fit fails with LlmAnswerTooLongError: no partial
 * answer is ever used.
 */
export async function runHalving<T, R>(batch: T[], run: (batch: T[]) => Promise<R>): Promise<R[]> {
  try {
    return [await run(batch)];
  } catch (error) {
    if (!(error instanceof LlmAnswerTooLongError) || batch.length < 2) throw error;
    const middle = Math.ceil(batch.length / 2);
    return [...(await runHalving(batch.slice(0, middle), run)), ...(await runHalving(batch.slice(middle), run))];
  }
}
