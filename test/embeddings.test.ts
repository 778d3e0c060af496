import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { CoalescingEmbedder } from '../src/embeddings/coalescing.js';
import type { Embedder } from '../src/embeddings/embedder.js';
import { LocalEmbedder } from '../src/embeddings/local.js';
import { OpenAICompatibleEmbedder, type RemoteEmbeddingsConfig } from '../src/embeddings/openaiCompatible.js';
import { bagOfWords, FakeEmbeddings } from './support/fakeEmbeddings.js';
import { EmbeddingUnavailableError } from '../src/errors.js';

const fake = new FakeEmbeddings(64);
beforeAll(() => fake.start());
afterAll(() => fake.stop());
beforeEach(() => {
  fake.fail();
  fake.requests.length = 0;
});

function remote(overrides: Partial<RemoteEmbeddingsConfig> = {}) {
  return new OpenAICompatibleEmbedder(
    {
      url: fake.url,
      model: 'fake-embed',
      apiKey: 'sk-test',
      batchSize: 3,
      timeoutMs: 500,
      maxRetries: 2,
      ...overrides,
    },
    5, // backoff base: keeps the retries fast
  );
}

async function failure(promise: Promise<unknown>): Promise<EmbeddingUnavailableError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EmbeddingUnavailableError);
  return error as EmbeddingUnavailableError;
}

describe('OpenAI-compatible provider', () => {
  test('sends the model, the key and batches of batchSize, and keeps the texts in order', async () => {
    const texts = ['one apple', 'two pears', 'three plums', 'four figs', 'five limes', 'six kiwis', 'seven dates'];
    const vectors = await remote().embed(texts);
    expect(vectors).toEqual(texts.map((text) => bagOfWords(text, 64)));
    expect(fake.requests.map((request) => request.body.input.length)).toEqual([3, 3, 1]);
    expect(fake.requests[0].body.model).toBe('fake-embed');
    expect(fake.requests[0].body.dimensions).toBeUndefined();
    expect(fake.requests[0].authorization).toBe('Bearer sk-test');
  });

  test('asks for the configured dimensions, and the size is part of the model id', async () => {
    const embedder = remote({ dimensions: 16 });
    const [vector] = await embedder.embed(['hello']);
    expect(vector).toHaveLength(16);
    expect(fake.requests[0].body.dimensions).toBe(16);
    expect(embedder.modelId).toBe('fake-embed@16');
    expect(remote().modelId).toBe('fake-embed');
  });

  test('learns the native size from the first answer', async () => {
    const embedder = remote();
    expect(embedder.dimensions).toBe(0);
    await embedder.embed(['hello']);
    expect(embedder.dimensions).toBe(64);
  });

  test('retries 429, 5xx and timeouts, then succeeds', async () => {
    fake.fail({ status: 429, retryAfter: '0' }, { status: 503 }, { delayMs: 800 });
    const embedder = remote({ maxRetries: 3 });
    await expect(embedder.embed(['retried text'])).resolves.toEqual([bagOfWords('retried text', 64)]);
    expect(fake.requests).toHaveLength(4);
  });

  test('gives up after maxRetries with a clear error', async () => {
    fake.fail({ status: 500 }, { status: 502 }, { status: 529 }, { status: 500 });
    const error = await failure(remote({ maxRetries: 2 }).embed(['x']));
    expect(fake.requests).toHaveLength(3);
    expect(error.message).toMatch(/answered 529: scripted failure/);
    expect(error.rejectedInput).toBe(false);
  });

  test('a refused input (400) is not retried, and is marked as rejected', async () => {
    fake.fail({ status: 400, message: 'input too long' });
    const error = await failure(remote().embed(['x']));
    expect(fake.requests).toHaveLength(1);
    expect(error.message).toMatch(/400: input too long/);
    expect(error.rejectedInput).toBe(true);
  });

  test('a refused credential (401) is not retried and does not echo the key', async () => {
    fake.fail({ status: 401, message: 'bad key' });
    const error = await failure(remote().embed(['x']));
    expect(fake.requests).toHaveLength(1);
    expect(error.message).not.toContain('sk-test');
    expect(error.rejectedInput).toBe(false);
  });

  test('answers of the wrong shape are refused', async () => {
    fake.fail({ malformed: 'count' });
    expect((await failure(remote().embed(['a', 'b']))).message).toMatch(/not a list of 2 vectors/);
    const embedder = remote({ dimensions: 16 });
    fake.fail({ malformed: 'dimensions' });
    await failure(embedder.embed(['a']));
  });

  test('an unreachable provider fails cleanly after its retries', async () => {
    const down = remote({ url: 'http://127.0.0.1:9/v1', maxRetries: 1 });
    expect((await failure(down.embed(['x']))).message).toMatch(/127\.0\.0\.1:9.*unreachable/);
  });
});

describe('coalescing concurrent callers', () => {
  test('callers waiting behind a running batch share the next one', async () => {
    const embedder = new CoalescingEmbedder(remote({ batchSize: 64 }), { maxBatchSize: 64, maxConcurrency: 1 });
    fake.fail({ delayMs: 100 });
    const texts = Array.from({ length: 10 }, (_, i) => [`caller ${i} first`, `caller ${i} second`]);
    const results = await Promise.all(texts.map((pair) => embedder.embed(pair)));
    expect(results).toEqual(texts.map((pair) => pair.map((text) => bagOfWords(text, 64))));
    // The first caller goes alone; the nine that queued behind it travel together.
    expect(fake.requests.map((request) => request.body.input.length)).toEqual([2, 18]);
  });

  test('a text the provider refuses fails only its own caller', async () => {
    const refusing: Embedder = {
      modelId: 'picky',
      dimensions: 1,
      async embed(texts) {
        if (texts.includes('poison')) throw new EmbeddingUnavailableError('refused', true);
        return texts.map(() => [1]);
      },
    };
    const embedder = new CoalescingEmbedder(refusing, { maxBatchSize: 10, maxConcurrency: 1 });
    const [first, poisoned, healthy] = await Promise.allSettled([
      embedder.embed(['a']),
      embedder.embed(['poison']),
      embedder.embed(['b']),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(poisoned.status).toBe('rejected');
    expect(healthy).toEqual({ status: 'fulfilled', value: [[1]] });
  });
});

describe('the local model', () => {
  test('runs in a worker thread: 512-d unit vectors, deterministic, concurrent calls answered', async () => {
    const local = new LocalEmbedder();
    try {
      const [a, b] = await Promise.all([
        local.embed(['The cat sleeps on the sofa.']),
        local.embed(['The cat sleeps on the sofa.', 'Stocks fell today.']),
      ]);
      expect(a[0]).toHaveLength(512);
      expect(Math.hypot(...a[0])).toBeCloseTo(1, 3);
      expect(b[0]).toEqual(a[0]);
      expect(b[1]).not.toEqual(a[0]);
    } finally {
      await local.close();
    }
    await expect(local.embed(['after close'])).resolves.toHaveLength(1);
    await local.close();
  });

  test('a pool of threads splits a large call and puts the vectors back in order', async () => {
    const texts = Array.from(
      { length: 40 },
      (_, i) => `Turn ${i}: ${i % 2 ? 'we talked about the garden' : 'she moved to a new city'} number ${i}.`,
    );
    const single = new LocalEmbedder(1);
    const pool = new LocalEmbedder(3);
    try {
      const one = await single.embed(texts);
      const [split] = await Promise.all([pool.embed(texts), pool.embed(['a concurrent caller'])]);
      expect(split).toHaveLength(40);
      split.forEach((vector, i) => vector.forEach((value, j) => expect(value).toBeCloseTo(one[i][j], 5)));
      expect(() => new LocalEmbedder(0)).toThrow(/bad thread count/);
    } finally {
      await Promise.all([single.close(), pool.close()]);
    }
  });

  test('fresh models answer their first requests at once, on every thread (no start-up race)', async () => {
    const texts = Array.from({ length: 64 }, (_, i) => `First request ${i} right after the start.`);
    const failures: string[] = [];
    // Eight threads on this machine's cores: their runtimes start slowly, as on a busy host.
    for (let start = 0; start < 3; start++) {
      const fresh = new LocalEmbedder(8);
      try {
        const answers = await Promise.allSettled([fresh.embed(texts), fresh.embed(['and another at once'])]);
        for (const answer of answers) if (answer.status === 'rejected') failures.push(String(answer.reason));
      } finally {
        await fresh.close();
      }
    }
    expect(failures).toEqual([]);
  });

  test('warmUp loads the model in every thread before it resolves (what /ready waits for)', async () => {
    const local = new LocalEmbedder(2);
    try {
      expect(local.loadedThreads).toBe(0);
      await local.warmUp();
      expect(local.loadedThreads).toBe(2);
    } finally {
      await local.close();
    }
  });
});
