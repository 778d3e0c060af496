/** Turns texts into vectors. Vectors of different models never mix: every memory records `modelId`. */
export interface Embedder {
  /** Names the model and, where it can vary, the vector size: equal ids mean comparable vectors. */
  readonly modelId: string;
  readonly dimensions: number;
  /** One vector per text, in order. Fails with EmbeddingUnavailableError when the model cannot answer. */
  embed(texts: string[]): Promise<number[][]>;
  /** Loads what the first call would (a local model in every thread): the gateway is ready once it resolves. */
  warmUp?(): Promise<void>;
  /** Releases threads and sockets. */
  close?(): Promise<void>;
}
