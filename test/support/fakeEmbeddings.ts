import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A scripted failure for the next request; requests beyond the script are answered normally. */
export type Failure =
  | { status: number; message?: string; retryAfter?: string }
  | { delayMs: number }
  | { malformed: 'count' | 'dimensions' };

export interface RecordedEmbeddingsRequest {
  authorization?: string;
  body: { model: string; input: string[]; dimensions?: number };
}

/**
 * A local stand-in for an OpenAI-style embeddings API (POST /v1/embeddings), so the real provider
 * code runs over HTTP. Its vectors are hashed bags of words: texts sharing words are close, which
 * is enough for search to behave predictably in tests.
 */
export class FakeEmbeddings {
  readonly requests: RecordedEmbeddingsRequest[] = [];
  private failures: Failure[] = [];
  private server?: Server;

  constructor(private readonly nativeDimensions = 64) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', async () => {
        if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
          res.writeHead(404).end();
          return;
        }
        const body = JSON.parse(raw);
        this.requests.push({ authorization: req.headers.authorization, body });
        const failure = this.failures.shift();
        if (failure && 'delayMs' in failure) await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
        if (res.destroyed) return;
        if (failure && 'status' in failure) {
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (failure.retryAfter) headers['retry-after'] = failure.retryAfter;
          res
            .writeHead(failure.status, headers)
            .end(JSON.stringify({ error: { message: failure.message ?? 'scripted failure' } }));
          return;
        }
        const size = body.dimensions ?? this.nativeDimensions;
        let data = (body.input as string[]).map((text, index) => ({
          object: 'embedding',
          index,
          embedding: bagOfWords(text, size),
        }));
        if (failure && 'malformed' in failure) {
          data =
            failure.malformed === 'count'
              ? data.slice(1)
              : data.map((item) => ({ ...item, embedding: item.embedding.slice(1) }));
        }
        // Real providers may answer out of order; the index says which text each vector is for.
        data.reverse();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ object: 'list', model: body.model, data, usage: { prompt_tokens: 1, total_tokens: 1 } }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  /** The next requests fail like this, in order. */
  fail(...failures: Failure[]): void {
    this.failures = failures;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

export function bagOfWords(text: string, size: number): number[] {
  const vector = new Array<number>(size).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    vector[createHash('sha256').update(word).digest().readUInt32BE(0) % size] += 1;
  }
  if (!vector.some((x) => x !== 0)) vector[0] = 1;
  const norm = Math.hypot(...vector);
  return vector.map((x) => x / norm);
}
