import { createApiKey } from '../src/db/admin.js';
import { pendingMigrations } from '../src/db/migrate.js';
import { Claude } from '../src/llm/claude.js';
import { instrumentedEmbedder } from '../src/observability/instrumentedEmbedder.js';
import { createLogger } from '../src/observability/logger.js';
import { readableLine, readableLines } from '../src/observability/readableLog.js';
import { Metrics, observeLlmCalls } from '../src/observability/metrics.js';
import { Readiness } from '../src/observability/readiness.js';
import { databaseCheck, embedderCheck, migrationsCheck } from '../src/observability/readinessChecks.js';
import { OpenAICompatibleEmbedder } from '../src/embeddings/openaiCompatible.js';
import { FakeEmbeddings } from './support/fakeEmbeddings.js';
import { databaseKinds, openTestDatabase } from './support/databases.js';
import { FakeAnthropic } from './support/fakeAnthropic.js';
import { ADD, SEARCH } from './support/operations.js';
import { logSink } from './support/logSink.js';
import { localEmbedder, startTestGateway, type TestGateway } from './support/gateway.js';

describe.each(databaseKinds)('logs, metrics and readiness on %s', (kind) => {
  let t: TestGateway;
  const log = logSink();
  const metrics = new Metrics(() => ({ total: 3, idle: 2, waiting: 0 }));
  let databaseUp = true;
  const readiness = new Readiness({
    database: async () => {
      if (!databaseUp) throw new Error('connection refused');
    },
  });

  beforeAll(async () => {
    t = await startTestGateway(kind, {
      embedder: instrumentedEmbedder(localEmbedder(), metrics),
      extra: { logger: createLogger('info', log.stream), metrics, readiness, metricsToken: 'scrape-token' },
    });
  });
  afterAll(() => t.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    t.gateway.fetch('http://memgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tenants.acme.apiKey}`, ...headers },
      body: JSON.stringify(body),
    });

  test("every request gets an id (the caller's when sane), echoed in a header and in its one log line", async () => {
    const given = await post(
      { query: '{ viewer { tenant { name } } }', operationName: null },
      { 'x-request-id': 'trace-42' },
    );
    expect(given.headers.get('x-request-id')).toBe('trace-42');
    const generated = await post({ query: '{ viewer { tenant { name } } }' }, { 'x-request-id': 'not ok\nforged' });
    const id = generated.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const lines = log.entries().filter((entry) => entry.msg === 'request');
    expect(lines.find((entry) => entry.requestId === 'trace-42')).toMatchObject({
      status: 200,
      method: 'POST',
      path: '/graphql',
      tenantId: t.tenants.acme.tenantId,
    });
    expect(lines.find((entry) => entry.requestId === id)).toMatchObject({ status: 200 });
  });

  test('info logs carry no API key, token or memory content', async () => {
    const content = 'Secret-diagnosis-7731 must never reach a log';
    const added = await post({
      query: ADD,
      variables: { input: { externalUserId: 'log-user', content } },
      operationName: 'Add',
    });
    expect(added.status).toBe(200);
    await post({ query: SEARCH, variables: { user: 'log-user', query: 'diagnosis 7731' } });
    await post(
      { query: '{ viewer { tenant { name } } }' },
      { authorization: 'Bearer mgk_wrongwrongwrongwrongwrongwrongwrong' },
    );
    const text = log.text();
    expect(text).toContain('"operationName":"Add"');
    // The memory's words, not its number: digits alone can turn up in a timestamp.
    expect(text).not.toMatch(/diagnosis|Secret/i);
    expect(text).not.toContain('log-user');
    expect(text).not.toContain(t.tenants.acme.apiKey);
    expect(text).not.toContain('mgk_wrong');
  });

  test('/metrics reports per-operation latency and errors, embedding time and the pool, behind its token', async () => {
    const readOnly = await createApiKey(t.db.prisma, t.tenants.acme.tenantId, 'reader', ['READ']);
    await post(
      { query: ADD, variables: { input: { externalUserId: 'metrics-user', content: 'A memory' } } },
      { authorization: `Bearer ${readOnly}` },
    );
    await post({ query: SEARCH, variables: { user: 'metrics-user', query: 'memory' } });

    expect((await t.gateway.fetch('http://memgate.test/metrics')).status).toBe(401);
    const scraped = await t.gateway.fetch('http://memgate.test/metrics', {
      headers: { authorization: 'Bearer scrape-token' },
    });
    expect(scraped.status).toBe(200);
    const text = await scraped.text();
    expect(text).toMatch(
      /memgate_graphql_operation_duration_seconds_count\{type="query",operation="searchMemories"\} [1-9]/,
    );
    expect(text).toMatch(
      /memgate_graphql_operation_duration_seconds_count\{type="mutation",operation="addMemory"\} [1-9]/,
    );
    expect(text).toMatch(/memgate_graphql_errors_total\{type="mutation",operation="addMemory",code="FORBIDDEN"\} 1/);
    expect(text).toMatch(/memgate_http_requests_total\{status="401"\} [1-9]/);
    expect(text).toMatch(/memgate_embedding_duration_seconds_count\{model="use-lite-512",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/memgate_embedded_texts_total\{model="use-lite-512"\} [1-9]/);
    expect(text).toContain('memgate_db_pool_connections{state="idle"} 2');
    expect(text).toContain('process_resident_memory_bytes');
    // Labels are the schema's root fields, never what a client names its operations or users.
    expect(text).not.toContain('metrics-user');
  });

  test('/ready says which dependency is missing, and turns 503 while draining; /health answers', async () => {
    const ready = await t.gateway.fetch('http://memgate.test/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { database: { ok: true } } });
    databaseUp = false;
    const down = await t.gateway.fetch('http://memgate.test/ready');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      ready: false,
      checks: { database: { ok: false, error: 'connection refused' } },
    });
    databaseUp = true;
    expect((await t.gateway.fetch('http://memgate.test/health')).status).toBe(200);
    readiness.drain();
    const draining = await t.gateway.fetch('http://memgate.test/ready');
    expect(draining.status).toBe(503);
    expect((await draining.json()).checks.shutdown.ok).toBe(false);
  });
});

describe('LLM metrics', () => {
  const fake = new FakeAnthropic();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());

  test('Claude calls are timed by outcome and their tokens counted', async () => {
    const metrics = new Metrics();
    const claude = new Claude(
      { apiKey: 'k', baseURL: fake.url, model: 'claude-test', maxTokens: 100, timeoutMs: 2000, maxRetries: 0 },
      observeLlmCalls(metrics),
    );
    const tool = {
      name: 'echo',
      description: 'echo',
      inputSchema: { type: 'object' },
      parse: (input: unknown) => input,
    };
    fake.answer({ tool: 'echo', input: { ok: true } }, { status: 400, errorType: 'invalid_request_error' });
    await claude.callTool({ system: 's', prompt: 'hello' }, tool, []);
    await expect(claude.callTool({ system: 's', prompt: 'hello' }, tool, [])).rejects.toThrow();
    const text = await metrics.registry.metrics();
    expect(fake.spent.outputTokens).toBeGreaterThan(0);
    expect(text).toContain(
      `memgate_llm_tokens_total{model="claude-test",direction="output"} ${fake.spent.outputTokens}`,
    );
    expect(text).toMatch(/memgate_llm_tokens_total\{model="claude-test",direction="input"\} [1-9]/);
    expect(text).toContain('memgate_llm_request_duration_seconds_count{model="claude-test",outcome="ok"} 1');
    expect(text).toContain('memgate_llm_request_duration_seconds_count{model="claude-test",outcome="error"} 1');
  });
});

describe.each(databaseKinds)('the checks behind /ready on %s', (kind) => {
  test('migrations: pending ones are named until applied; the database: fails once it is gone', async () => {
    const db = await openTestDatabase(kind);
    try {
      expect(await pendingMigrations(db)).toEqual([]);
      const [{ name }] = await db.prisma.$queryRaw<
        { name: string }[]
      >`SELECT max(migration_name) AS name FROM "_prisma_migrations"`;
      await db.prisma.$executeRaw`DELETE FROM "_prisma_migrations" WHERE migration_name = ${name}`;
      expect(await pendingMigrations(db)).toEqual([name]);
      await expect(migrationsCheck(db)()).rejects.toThrow(`Migrations not applied: ${name}`);
      await expect(databaseCheck(db)()).resolves.toBeUndefined();
    } finally {
      await db.destroy();
    }
    await expect(databaseCheck(db)()).rejects.toThrow();
  });
});

describe('the embedder check behind /ready', () => {
  const provider = new FakeEmbeddings(8);
  beforeAll(() => provider.start());
  afterAll(() => provider.stop());

  test('fails while the provider is down, passes once it answered, then asks it nothing more', async () => {
    const embedder = new OpenAICompatibleEmbedder({
      url: provider.url,
      model: 'fake',
      batchSize: 8,
      timeoutMs: 1000,
      maxRetries: 0,
    });
    const check = embedderCheck(embedder);
    provider.fail({ status: 503 });
    await expect(check()).rejects.toThrow();
    await expect(check()).resolves.toBeUndefined();
    const asked = provider.requests.length;
    await check();
    expect(provider.requests.length).toBe(asked);
  });
});

describe('the log in a development terminal', () => {
  test('reads as time, level, message and key=value fields, with an error stack below; keys stay redacted', () => {
    const lines: string[] = [];
    const logger = createLogger('info', readableLines({ write: (line: string) => void lines.push(line) }));
    logger.info({ port: 4000, database: 'embedded PGlite in ./.memgate', apiKey: 'mgk_secret' }, 'Memgate listening');
    logger.error({ err: new Error('boom') }, 'webhook dispatch failed');
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d INFO {2}Memgate listening {2}port=4000 database="embedded PGlite in \.\/\.memgate" apiKey=\[redacted\]\n$/,
    );
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d ERROR webhook dispatch failed\n {2}Error: boom\n/);
    expect(readableLine('not json')).toBe('not json');
  });
});
