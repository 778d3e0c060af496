import { randomUUID } from 'node:crypto';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from '../src/app/rateLimit.js';
import { databaseKinds } from './support/databases.js';
import { ADD, LIST } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/** Redis suites run when TEST_REDIS_URL is set (CI sets it), like PostgreSQL with TEST_DATABASE_URL. */
const redisUrl = process.env.TEST_REDIS_URL;
const counterKinds: ('memory' | 'redis')[] = redisUrl ? ['memory', 'redis'] : ['memory'];

describe.each(counterKinds.flatMap((counters) => databaseKinds.map((db) => [counters, db] as const)))(
  'rate limits (%s counters) on %s',
  (kind, db) => {
    let t: TestGateway;
    let limiter: RateLimiter;
    beforeAll(async () => {
      limiter = kind === 'redis' ? new RedisRateLimiter(redisUrl!) : new MemoryRateLimiter();
      t = await startTestGateway(db, { rateLimiter: limiter, rateLimits: { perCredential: 8, perEndUser: 3 } });
    });
    afterAll(async () => {
      await t.close();
      await limiter.close();
    });

    test('per end user: past the limit a RATE_LIMITED error with retryAfter, other users unaffected', async () => {
      const user = `user-${randomUUID()}`;
      for (let i = 0; i < 3; i++) expect((await t.request(LIST, { user })).errors).toBeUndefined();
      const limited = await t.request(ADD, { input: { externalUserId: user, content: 'one too many' } });
      expect(limited.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
      expect(limited.errors?.[0].extensions?.retryAfter).toBeGreaterThan(0);
      expect(limited.errors?.[0].extensions?.retryAfter).toBeLessThanOrEqual(60);
      expect(await t.db.prisma.memory.count({ where: { externalUserId: user } })).toBe(0);
      expect((await t.request(LIST, { user: `${user}-other` })).errors).toBeUndefined();
    });

    test('per credential: past the limit HTTP 429 with Retry-After, other keys unaffected', async () => {
      let status = 0;
      let retryAfter: string | null = null;
      for (let i = 0; i < 12 && status !== 429; i++) {
        const response = await t.gateway.fetch('http://memgate.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tenants.globex.apiKey}` },
          body: JSON.stringify({ query: '{ viewer { keyPrefix } }' }),
        });
        status = response.status;
        retryAfter = response.headers.get('retry-after');
        if (status === 429) expect((await response.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
      }
      expect(status).toBe(429);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect((await t.request('{ viewer { keyPrefix } }')).status).toBe(200);
    });
  },
);

(redisUrl ? test : test.skip)('Redis counters are shared by two gateways', async () => {
  const [a, b] = [new RedisRateLimiter(redisUrl!), new RedisRateLimiter(redisUrl!)];
  try {
    const bucket = `shared-${randomUUID()}`;
    expect((await a.hit(bucket, 2, 60_000)).allowed).toBe(true);
    expect((await b.hit(bucket, 2, 60_000)).allowed).toBe(true);
    const third = await a.hit(bucket, 2, 60_000);
    expect(third.allowed).toBe(false);
    expect(third.retryAfterMs).toBeGreaterThan(0);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

describe.each(databaseKinds)('what one request may cost, on %s', (db) => {
  let t: TestGateway;
  let queries: string[] = [];
  beforeAll(async () => {
    t = await startTestGateway(db, {
      rateLimits: { perCredential: 12, perEndUser: 0, authFailuresPerAddress: 5 },
      onQuery: (sql) => queries.push(sql),
    });
  });
  afterAll(() => t.close());

  const search = (alias: string) =>
    `${alias}: searchMemories(externalUserId: "ann", query: "x", mode: KEYWORD) { __typename }`;

  test('every root field counts against the credential, aliases included', async () => {
    const key = (
      await t.request(`mutation { createApiKey(name: "aliases", scopes: [READ]) { ... on NewApiKey { apiKey } } }`)
    ).data.createApiKey.apiKey;
    const ten = await t.request(`{ ${Array.from({ length: 10 }, (_, i) => search(`s${i}`)).join(' ')} }`, {}, key);
    expect(ten.errors).toBeUndefined();
    // 10 of 12 units are spent: three more root fields cross the limit.
    const three = await t.request(`{ ${search('a')} ${search('b')} ${search('c')} }`, {}, key);
    expect(three.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
  });

  test('one HTTP request may ask for at most 20 searches, writes and model calls, batched operations included', async () => {
    const unlimited = await startTestGateway(db, { rateLimits: { perCredential: 0, perEndUser: 0 } });
    try {
      const operation = { query: `{ ${Array.from({ length: 3 }, (_, i) => search(`s${i}`)).join(' ')} }` };
      const response = await unlimited.gateway.fetch('http://memgate.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${unlimited.tenants.acme.apiKey}` },
        body: JSON.stringify(Array.from({ length: 10 }, () => operation)),
      });
      const results = (await response.json()) as any[];
      const refused = results.filter((result) => result.errors?.[0]?.extensions?.code === 'COST_LIMIT_EXCEEDED');
      // 3 searches per operation: operations 1-6 (18 searches) run, 7-10 are refused.
      expect(results.length - refused.length).toBe(6);
      expect(refused).toHaveLength(4);
    } finally {
      await unlimited.close();
    }
  });

  test('failed authentications are limited per client address; past the limit no key is even looked up', async () => {
    const { generateApiKey } = await import('../src/auth/apiKey.js');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await t.request('{ viewer { credential } }', {}, generateApiKey())).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    queries = [];
    const blocked = await t.request('{ viewer { credential } }', {}, generateApiKey());
    expect(blocked.status).toBe(429);
    expect(blocked.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(queries.filter((sql) => /api_keys/.test(sql))).toEqual([]);
  });
});
