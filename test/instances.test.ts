import { createHash } from 'node:crypto';
import { createApiKey, createTenant } from '../src/db/admin.js';
import { ADD } from './support/operations.js';
import { openTestDatabase, type TestDatabase } from './support/databases.js';
import {
  killGatewayProcesses,
  postGraphQL,
  startGatewayProcess,
  type GatewayProcess,
} from './support/gatewayProcess.js';

/** Two gateway processes on one PostgreSQL and one Redis: what a deployment with replicas does. */
const shared = process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL ? describe : describe.skip;

shared('two gateway instances on one PostgreSQL and Redis', () => {
  let db: TestDatabase;
  let one: GatewayProcess;
  let two: GatewayProcess;
  let apiKey: string;
  let tenantId: string;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    ({ apiKey, tenantId } = await createTenant(db.prisma, 'replicated'));
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: db.url!,
      DATABASE_APP_URL: db.appUrl!,
      REDIS_URL: process.env.TEST_REDIS_URL!,
      MEMGATE_SECRET: 'instances-test-secret-0123456789abcdef',
      MEMGATE_RATE_LIMIT_PER_KEY: '10',
      MEMGATE_RATE_LIMIT_PER_USER: '0',
    };
    [one, two] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  });
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    killGatewayProcesses();
    await db?.destroy();
  });

  test('a subscriber on one instance sees the memory added through the other', async () => {
    const response = await fetch(`${one.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        query: 'subscription { memoryEvents(externalUserId: "ana") { kind newContent memoryId } }',
      }),
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let stream = '';
    const firstEvent = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        stream += new TextDecoder().decode(value);
        const match = /^data: (.+)$/m.exec(stream);
        if (match) return JSON.parse(match[1]);
      }
    })();
    // The subscription is live on instance one before instance two writes.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await postGraphQL(two.url, apiKey, ADD, { input: { externalUserId: 'bob', content: 'Not for Ana' } });
    const added = await postGraphQL(two.url, apiKey, ADD, {
      input: { externalUserId: 'ana', content: 'Ana added this on instance two' },
    });
    const event = await firstEvent;
    expect(event).toEqual({
      data: {
        memoryEvents: {
          kind: 'CREATED',
          newContent: 'Ana added this on instance two',
          memoryId: added.body.data.addMemory.memory.id,
        },
      },
    });
    await reader.cancel();
  });

  test('rate limits are counted across both instances', async () => {
    // A fresh key: its own counter in Redis. 10 requests a minute in all, whichever instance answers.
    const key = await createApiKey(db.prisma, tenantId, 'rate', ['READ']);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await postGraphQL(i % 2 ? two.url : one.url, key, '{ viewer { tenant { name } } }')).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  test("an end user erased through one instance is dropped from the other's persisted queries", async () => {
    const key = await createApiKey(db.prisma, tenantId, 'apq', ['READ', 'WRITE']);
    const query = '{ endUser(externalUserId: "zed@example.com") { __typename } }';
    const hash = createHash('sha256').update(query).digest('hex');
    const byHash = async (url: string) => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
      });
      return ((await response.json()) as { errors?: { extensions: { code: string } }[] }).errors?.[0]?.extensions.code;
    };
    await postGraphQL(one.url, key, ADD, { input: { externalUserId: 'zed@example.com', content: 'Zed sails' } });
    await fetch(`${one.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    });
    expect(await byHash(one.url)).toBeUndefined();
    await postGraphQL(two.url, key, 'mutation { deleteEndUser(externalUserId: "zed@example.com") { __typename } }');
    let code: string | undefined;
    for (let i = 0; i < 50 && code === undefined; i++) {
      code = await byHash(one.url);
      if (code === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
