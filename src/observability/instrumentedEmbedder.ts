import type { Embedder } from '../embeddings/embedder.js';
import type { Metrics } from './metrics.js';

/** The same embedder, timing every call (as a request sees it, batching wait included). */
export function instrumentedEmbedder(embedder: Embedder, metrics: Metrics): Embedder {
  return {
    get modelId() {
      return embedder.modelId;
    },
    get dimensions() {
      return embedder.dimensions;
    },
    async embed(texts) {
      const stop = metrics.embeddingDuration.startTimer({ model: embedder.modelId });
      try {
        const vectors = await embedder.embed(texts);
        stop({ outcome: 'ok' });
        metrics.embeddedTexts.inc({ model: embedder.modelId }, texts.length);
        return vectors;
      } catch (error) {
        stop({ outcome: 'error' });
        throw error;
      }
    },
    warmUp: async () => {
      await embedder.warmUp?.();
    },
    close: () => embedder.close?.() ?? Promise.resolve(),
  };
}
