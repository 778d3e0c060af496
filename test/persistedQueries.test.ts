import { createHash } from 'node:crypto';
import { PersistedDocuments } from '../src/app/persistedDocuments.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe.each(databaseKinds)('automatic persisted queries on %s', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind, {
      rateLimits: { perCredential: 0, perEndUser: 0, authFailuresPerAddress: 3 },
      extra: { trustProxy: true },
    });
  });
  afterAll(() => t.close());

  const post = async (body: Record<string, unknown>, key: string | null, address = '203.0.113.1') => {
    const response = await t.gateway.fetch('http://memgate.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': address,
        ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const register = (query: string, key: string | null, address?: string) =>
    post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }, key, address);
  const byHash = (query: string, key: string | null, address?: string) =>
    post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }, key, address);
  const code = (answer: { body: any }) => answer.body.errors?.[0]?.extensions?.code;

  test("a document is kept for its tenant only: another tenant's key cannot run it by hash", async () => {
    const query = '{ viewer { tenant { name } } }';
    expect((await register(query, t.tenants.acme.apiKey)).body.data.viewer.tenant.name).toBe('acme');
    expect((await byHash(query, t.tenants.acme.apiKey)).body.data.viewer.tenant.name).toBe('acme');
    expect(code(await byHash(query, t.tenants.globex.apiKey))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  test('a request refused for its credential stores nothing, and no anonymous answer tells a known hash from an unknown one', async () => {
    const guessed = '{ endUser(externalUserId: "ceo@acme.example") { __typename } }';
    const refused = await register(guessed, 'mg_wrong_key', '203.0.113.2');
    expect(refused.status).toBe(401);
    expect(code(await byHash(guessed, t.tenants.acme.apiKey))).toBe('PERSISTED_QUERY_NOT_FOUND');

    const known = '{ viewer { scopes } }';
    await register(known, t.tenants.acme.apiKey);
    const anonymousKnown = await byHash(known, null, '203.0.113.3');
    const anonymousUnknown = await byHash('{ viewer { credential } }', null, '203.0.113.3');
    expect(anonymousKnown.status).toBe(401);
    expect(anonymousKnown).toEqual(anonymousUnknown);
    expect(code(anonymousKnown)).toBe('UNAUTHENTICATED');
  });

  test('an address blocked for failed logins registers nothing, even with a valid key', async () => {
    const address = '203.0.113.9';
    for (let i = 0; i < 4; i++) await post({ query: '{ viewer { keyPrefix } }' }, 'mg_wrong_key', address);
    const query = '{ viewer { tenant { id } } }';
    const blocked = await register(query, t.tenants.acme.apiKey, address);
    expect(blocked.status).toBe(429);
    expect(code(await byHash(query, t.tenants.acme.apiKey))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  test('erasing an end user drops the documents that name them', async () => {
    const naming = '{ endUser(externalUserId: "zoe@example.com") { ... on EndUser { externalUserId } } }';
    const other = '{ viewer { tenant { name } scopes } }';
    await t.request(
      `mutation { addMemory(input: { externalUserId: "zoe@example.com", content: "Zoe rows" }) { __typename } }`,
    );
    await register(naming, t.tenants.acme.apiKey);
    await register(other, t.tenants.acme.apiKey);
    expect(code(await byHash(naming, t.tenants.acme.apiKey))).toBeUndefined();
    await t.request(`mutation { deleteEndUser(externalUserId: "Zoe@Example.com") { __typename } }`);
    expect(code(await byHash(naming, t.tenants.acme.apiKey))).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(code(await byHash(other, t.tenants.acme.apiKey))).toBeUndefined();
  });
});

describe.each(databaseKinds)('persisted queries and rate limits on %s', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind, { rateLimits: { perCredential: 5, perEndUser: 0 } });
  });
  afterAll(() => t.close());

  test('a request by hash counts once against the credential, as a plain one does', async () => {
    const key = async () =>
      (await t.request(`mutation { createApiKey(name: "k", scopes: [READ]) { ... on NewApiKey { apiKey } } }`)).data
        .createApiKey.apiKey as string;
    const send = (apiKey: string, body: Record<string, unknown>) =>
      t.gateway.fetch('http://memgate.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify(body),
      });
    const query = '{ viewer { keyPrefix } }';
    const admitted = async (apiKey: string, body: Record<string, unknown>) => {
      let count = 0;
      while (count < 20 && (await send(apiKey, body)).status === 200) count++;
      return count;
    };
    const plain = await admitted(await key(), { query });
    const hashed = await key();
    await send(hashed, { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });
    const byHash =
      1 + (await admitted(hashed, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }));
    expect(plain).toBeGreaterThan(1);
    expect(byHash).toBe(plain);
  });
});

test('a persisted document lasts its time limit from its last use; a tenant, and the instance, keep a bounded number', async () => {
  const bounded = new PersistedDocuments(60_000, 2, 3);
  bounded.put('t1', 'a', '{ a }');
  bounded.put('t2', 'b', '{ b }');
  bounded.put('t3', 'c', '{ c }');
  bounded.put('t4', 'd', '{ d }');
  expect(['a', 'b', 'c', 'd'].map((hash, i) => bounded.get(`t${i + 1}`, hash))).toEqual([
    undefined,
    '{ b }',
    '{ c }',
    '{ d }',
  ]);
  const documents = new PersistedDocuments(50, 2);
  documents.put('t1', 'a', '{ a }');
  documents.put('t1', 'b', '{ b }');
  expect(documents.get('t1', 'a')).toBe('{ a }');
  documents.put('t1', 'c', '{ c }');
  expect(documents.get('t1', 'b')).toBeUndefined();
  expect(documents.get('t2', 'a')).toBeUndefined();
  await new Promise((resolve) => setTimeout(resolve, 60));
  expect(documents.get('t1', 'a')).toBeUndefined();
});
