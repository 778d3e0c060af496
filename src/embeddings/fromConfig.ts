import type { Config } from '../config.js';
import { CoalescingEmbedder } from './coalescing.js';
import type { Embedder } from './embedder.js';
import { LocalEmbedder } from './local.js';
import { OpenAICompatibleEmbedder } from './openaiCompatible.js';

/** The active model: the remote provider when EMBEDDINGS_URL is set, else the offline local one. */
export function createEmbedder(
  config: Pick<Config, 'embeddings'> & Partial<Pick<Config, 'localModelThreads'>>,
): Embedder {
  if (config.embeddings) {
    return new CoalescingEmbedder(new OpenAICompatibleEmbedder(config.embeddings), {
      maxBatchSize: config.embeddings.batchSize,
      maxConcurrency: 4,
    });
  }
  // As many batches in flight as threads: each batch is split across them, and the next one is
  // ready when a thread frees up.
  const model = new LocalEmbedder(config.localModelThreads);
  return new CoalescingEmbedder(model, { maxBatchSize: 64, maxConcurrency: model.threads });
}
