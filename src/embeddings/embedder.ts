/** Turns texts into vectors. Vectors of different models never mix: every memory records `modelId`. */
export interface Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  /** One vector per text, in order. */
  embed(texts: string[]): Promise<number[][]>;
}
