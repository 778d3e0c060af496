import { createHash } from 'node:crypto';
import type { Embedder } from '../src/embeddings/embedder.js';

/**
 * Benchmark-only vectors: a deterministic pseudo-random unit vector per text, so the bench can
 * take embedding out of the measured path and the `pg` floor can use the very same query vectors.
 */
export function syntheticVector(text: string, dimensions: number): Float32Array {
  let state = createHash('sha256').update(text).digest().readUInt32LE(0) || 1;
  const vector = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    // xorshift32: fast and good enough for spreading vectors around the sphere.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    vector[i] = (state >>> 0) / 4294967296 - 0.5;
    norm += vector[i] * vector[i];
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vector[i] /= norm;
  return vector;
}

/** Answers at once with synthetic vectors, under the local model's id and size. */
export class SyntheticEmbedder implements Embedder {
  constructor(
    readonly modelId = 'use-lite-512',
    readonly dimensions = 512,
  ) {}

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((text) => Array.from(syntheticVector(text, this.dimensions)));
  }
}
