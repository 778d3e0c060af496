import { setTimeout as sleep } from 'node:timers/promises';
import type { Embedder } from './embedder.js';
import { postJson, type PostAnswer } from './httpPost.js';
import { EmbeddingUnavailableError } from '../errors.js';

export interface RemoteEmbeddingsConfig {
  /** Base URL of an OpenAI-style API, e.g. https://api.openai.com/v1 or http://localhost:11434/v1. */
  url: string;
  model: string;
  apiKey?: string;
  /** Asks the provider for vectors of this size (OpenAI's `dimensions`); unset: the model's own. */
  dimensions?: number;
  /** Texts per HTTP call. */
  batchSize: number;
  timeoutMs: number;
  maxRetries: number;
}

const RETRYABLE_STATUS = new Set([408, 409, 425, 429, 500, 502, 503, 504, 529]);

/**
 * POST /embeddings in the OpenAI format, which OpenAI, Ollama, vLLM, LM Studio and
 * text-embeddings-inference all speak. Timeouts, 429 and 5xx are retried with jittered
 * exponential backoff; what still fails becomes EmbeddingUnavailableError before anything is written.
 */
export class OpenAICompatibleEmbedder implements Embedder {
  readonly modelId: string;
  private learnedDimensions?: number;
  private readonly endpoint: URL;

  constructor(
    private readonly config: RemoteEmbeddingsConfig,
    private readonly backoffBaseMs = 250,
  ) {
    // The requested size is part of the identity: 256-d and 1536-d vectors of one model never mix.
    this.modelId = config.dimensions ? `${config.model}@${config.dimensions}` : config.model;
    const base = config.url.replace(/\/+$/, '');
    this.endpoint = new URL(base.endsWith('/embeddings') ? base : `${base}/embeddings`);
  }

  /** The configured size, or the one the provider answered with (0 before the first answer). */
  get dimensions(): number {
    return this.config.dimensions ?? this.learnedDimensions ?? 0;
  }

  async embed(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += this.config.batchSize) {
      vectors.push(...(await this.embedBatch(texts.slice(i, i + this.config.batchSize))));
    }
    return vectors;
  }

  private async embedBatch(texts: string[]): Promise<number[][]> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.call(texts);
      if ('vectors' in outcome) return outcome.vectors;
      if (!outcome.retryable || attempt >= this.config.maxRetries) throw outcome.error;
      const backoff = Math.min(8_000, this.backoffBaseMs * 2 ** attempt);
      await sleep(Math.max(outcome.retryAfterMs ?? 0, backoff / 2 + Math.random() * (backoff / 2)));
    }
  }

  private async call(
    texts: string[],
  ): Promise<
    { vectors: number[][] } | { error: EmbeddingUnavailableError; retryable: boolean; retryAfterMs?: number }
  > {
    const where = `The embedding provider (${this.endpoint.host}, model ${this.config.model})`;
    let response: PostAnswer;
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (this.config.apiKey) headers.authorization = `Bearer ${this.config.apiKey}`;
      const request = {
        model: this.config.model,
        input: texts,
        ...(this.config.dimensions ? { dimensions: this.config.dimensions } : {}),
      };
      response = await postJson(this.endpoint, headers, JSON.stringify(request), this.config.timeoutMs);
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `timed out after ${this.config.timeoutMs} ms`
          : 'is unreachable';
      return { error: new EmbeddingUnavailableError(`${where} ${reason}.`), retryable: true };
    }
    const { status, body } = response;
    if (status < 200 || status > 299) {
      const retryable = RETRYABLE_STATUS.has(status);
      const retryAfter = Number(response.retryAfter);
      const detail = providerMessage(body);
      const rejected = !retryable && status !== 401 && status !== 403 && status !== 404;
      return {
        error: new EmbeddingUnavailableError(`${where} answered ${status}${detail ? `: ${detail}` : ''}.`, rejected),
        retryable,
        retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 30) * 1000 : undefined,
      };
    }
    const vectors = this.parse(body, texts.length);
    if (!vectors)
      return {
        error: new EmbeddingUnavailableError(`${where} sent an answer that is not a list of ${texts.length} vectors.`),
        retryable: false,
      };
    return { vectors };
  }

  private parse(body: string, expected: number): number[][] | null {
    let data: unknown;
    try {
      data = (JSON.parse(body) as { data?: unknown }).data;
    } catch {
      return null;
    }
    if (!Array.isArray(data) || data.length !== expected) return null;
    const ordered = [...data].sort((a, b) => (a?.index ?? 0) - (b?.index ?? 0));
    const vectors = ordered.map((item) => item?.embedding);
    const size = this.config.dimensions ?? this.learnedDimensions ?? vectors[0]?.length;
    const valid = vectors.every(
      (vector): vector is number[] =>
        Array.isArray(vector) &&
        vector.length === size &&
        size > 0 &&
        vector.every((x) => typeof x === 'number' && Number.isFinite(x)),
    );
    if (!valid) return null;
    this.learnedDimensions ??= size;
    return vectors;
  }
}

/** The provider's error message, short, for the operator (never echoes our request). */
function providerMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message);
    return typeof message === 'string' ? message.slice(0, 200) : '';
  } catch {
    return body.slice(0, 200);
  }
}
