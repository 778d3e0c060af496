import type { Config } from '../config.js';
import { CoalescingEmbedder } from './coalescing.js';
import type { Embedder } from './embedder.js';
import { LocalEmbedder } from './local.js';
import { OpenAICompatibleEmbedder } from './openaiCompatible.js';

/** The active model: the remote provider when EMBEDDINGS_URL is set, else the offline local one. */
export function createEmbedder(config: Pick<Config, 'embeddings'>): Embedder {
  if (config.embeddings) {
    return new CoalescingEmbedder(new OpenAICompatibleEmbedder(config.embeddings), {
      maxBatchSize: config.embeddings.batchSize,
      maxConcurrency: 4,
    });
  }
  // One worker thread: batches queue behind each other rather than compete for the CPU.
  return new CoalescingEmbedder(new LocalEmbedder(), { maxBatchSize: 64, maxConcurrency: 1 });
}
