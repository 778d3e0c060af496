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

/**
 * "cluster <topic> <tag>" gives a vector near its topic's centre (cosine ≈ 0.78 to it, ≈ 0.6 to
 * its neighbours), the way real embeddings of related sentences cluster; any other text gives a
 * uniformly random one. Uniform vectors have no neighbourhoods at all — the worst case for an
 * approximate index — so the large-scope benchmark uses clusters.
 */
export function benchVector(text: string, dimensions: number): Float32Array {
  const match = /^cluster (\d+) (.+)$/.exec(text);
  if (!match) return syntheticVector(text, dimensions);
  const centre = syntheticVector(`topic ${match[1]}`, dimensions);
  const noise = syntheticVector(`noise ${match[2]}`, dimensions);
  const vector = centre.map((x, i) => x + 0.8 * noise[i]);
  const norm = Math.hypot(...vector);
  return vector.map((x) => x / norm);
}

/**
 * Answers at once with synthetic vectors, under the local model's id and size: a stand-in for
 * precomputed query vectors, so it remembers the last few thousand it made.
 */
export class SyntheticEmbedder implements Embedder {
  private readonly made = new Map<string, number[]>();

  constructor(
    readonly modelId = 'use-lite-512',
    readonly dimensions = 512,
  ) {}

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((text) => {
      let vector = this.made.get(text);
      if (!vector) {
        vector = Array.from(benchVector(text, this.dimensions));
        if (this.made.size >= 5_000) this.made.clear();
        this.made.set(text, vector);
      }
      return vector;
    });
  }
}
