import type { Embedder } from './embedder.js';
import { EmbeddingUnavailableError } from '../errors.js';

interface Waiting {
  texts: string[];
  resolve: (vectors: number[][]) => void;
  reject: (error: unknown) => void;
}

/**
 * Sends the texts of concurrent callers to a model together: while `maxConcurrency` batches are
 * running, new texts wait and leave with the next batch (up to `maxBatchSize` texts), so a busy
 * gateway makes few large model calls instead of many small ones.
 */
export class CoalescingEmbedder implements Embedder {
  private readonly waiting: Waiting[] = [];
  private running = 0;

  constructor(
    private readonly model: Embedder,
    private readonly options: { maxBatchSize: number; maxConcurrency: number },
  ) {}

  get modelId(): string {
    return this.model.modelId;
  }

  get dimensions(): number {
    return this.model.dimensions;
  }

  embed(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.waiting.push({ texts, resolve, reject });
      this.dispatch();
    });
  }

  async warmUp(): Promise<void> {
    await this.model.warmUp?.();
  }

  close(): Promise<void> {
    return this.model.close?.() ?? Promise.resolve();
  }

  private dispatch(): void {
    while (this.running < this.options.maxConcurrency && this.waiting.length > 0) {
      const batch = this.takeBatch();
      this.running++;
      // run() settles every request of the batch itself: nothing is left to handle here.
      void this.run(batch).finally(() => {
        this.running--;
        this.dispatch();
      });
    }
  }

  /** Whole callers, in arrival order, up to the batch size (a larger caller goes alone). */
  private takeBatch(): Waiting[] {
    const batch = [this.waiting.shift()!];
    let size = batch[0].texts.length;
    while (this.waiting.length > 0 && size + this.waiting[0].texts.length <= this.options.maxBatchSize) {
      size += this.waiting[0].texts.length;
      batch.push(this.waiting.shift()!);
    }
    return batch;
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const vectors = await this.embedInChunks(batch.flatMap((caller) => caller.texts));
      let offset = 0;
      for (const caller of batch) {
        caller.resolve(vectors.slice(offset, offset + caller.texts.length));
        offset += caller.texts.length;
      }
    } catch (error) {
      // A text the model refuses must not fail the other callers it travelled with.
      if (batch.length > 1 && error instanceof EmbeddingUnavailableError && error.rejectedInput) {
        await Promise.all(batch.map((caller) => this.run([caller])));
        return;
      }
      for (const caller of batch) caller.reject(error);
    }
  }

  private async embedInChunks(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += this.options.maxBatchSize) {
      vectors.push(...(await this.model.embed(texts.slice(i, i + this.options.maxBatchSize))));
    }
    return vectors;
  }
}
