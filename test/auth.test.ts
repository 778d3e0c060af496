import { displayPrefix, generateApiKey, hashApiKey, isWellFormedApiKey } from '../src/auth/apiKey.js';
import { createApiKey } from '../src/db/admin.js';
import { ADD, SEARCH } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

describe('API key format', () => {
  test('keys carry a prefix, 178 bits of randomness and a checksum', () => {
    const keys = new Set(Array.from({ length: 1000 }, generateApiKey));
    expect(keys.size).toBe(1000);
    for (const key of keys) {
      expect(key).toMatch(/^mgk_[0-9A-Za-z]{36}$/);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
  });

  test('a changed character breaks the checksum', () => {
    const key = generateApiKey();
    for (const position of [4, 20, 34, 39]) {
      const swapped = key[position] === 'a' ? 'b' : 'a';
      expect(isWellFormedApiKey(key.slice(0, position) + swapped + key.slice(position + 1))).toBe(false);
    }
    expect(isWellFormedApiKey(`${key}x`)).toBe(false);
    expect(isWellFormedApiKey(key.replace('mgk_', 'sk_'))).toBe(false);
  });

  test('only a SHA-256 hash and a short prefix derive from the key', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toHaveLength(32);
    expect(displayPrefix(key)).toBe(key.slice(0, 12));
  });
});

describe.each(databaseKinds)('authentication on %s', (kind) => {
  let t: TestGateway;
  let statements = 0;
  beforeAll(async () => {
    t = await startTestGateway(kind, { onQuery: () => statements++ });
  });
  afterAll(() => t.close());

  async function expectUnauthenticated(authorization: string | null) {
    const response = await t.gateway.fetch('http://memgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization === null ? {} : { authorization }) },
      body: JSON.stringify({ query: '{ viewer { keyPrefix } }' }),
    });
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: expect.any(String) });
  }

  test('a missing or malformed key is refused without a database lookup', async () => {
    const before = statements;
    await expectUnauthenticated(null);
    await expectUnauthenticated('Basic dXNlcjpwYXNz');
    await expectUnauthenticated('Bearer ');
    await expectUnauthenticated('Bearer mgk_short');
    const key = t.tenants.acme.apiKey;
    await expectUnauthenticated(`Bearer ${key.slice(0, -1)}${key.at(-1) === 'a' ? 'b' : 'a'}`);
    expect(statements).toBe(before);
  });

  test('a well-formed unknown key is refused', async () => {
    await expectUnauthenticated(`Bearer ${generateApiKey()}`);
  });

  test('a revoked key is refused', async () => {
    const key = await createApiKey(t.db.prisma, t.tenants.acme.tenantId, 'temp', ['READ', 'WRITE']);
    expect((await t.request('{ viewer { keyPrefix } }', {}, key)).status).toBe(200);
    await t.db.prisma.apiKey.updateMany({ where: { prefix: displayPrefix(key) }, data: { revokedAt: new Date() } });
    await expectUnauthenticated(`Bearer ${key}`);
  });

  test('the tenant comes from the key alone', async () => {
    const acme = await t.request('{ viewer { tenant { name } } }');
    const globex = await t.request('{ viewer { tenant { name } } }', {}, t.tenants.globex.apiKey);
    expect([acme.data.viewer.tenant.name, globex.data.viewer.tenant.name]).toEqual(['acme', 'globex']);
  });

  test('a read-only key may search but not write', async () => {
    const key = await createApiKey(t.db.prisma, t.tenants.acme.tenantId, 'reader', ['READ']);
    const search = await t.request(SEARCH, { user: 'zoe', query: 'anything' }, key);
    expect(search.data.searchMemories.__typename).toBe('MemorySearch');
    const write = await t.request(ADD, { input: { externalUserId: 'zoe', content: 'nope' } }, key);
    expect(write.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
    const rows = await t.db.prisma.memory.count({ where: { externalUserId: 'zoe' } });
    expect(rows).toBe(0);
  });

  test('keys are stored hashed, never in plain text, and lastUsedAt is recorded', async () => {
    await t.request('{ viewer { keyPrefix } }');
    const dump = JSON.stringify(
      await t.db.prisma.$queryRawUnsafe<unknown[]>(`SELECT row_to_json(k)::text AS row FROM api_keys k`),
    );
    for (const key of [t.tenants.acme.apiKey, t.tenants.globex.apiKey]) {
      expect(dump).not.toContain(key);
      expect(dump).not.toContain(key.slice(12));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stored = await t.db.prisma.apiKey.findFirst({ where: { prefix: displayPrefix(t.tenants.acme.apiKey) } });
    expect(stored?.lastUsedAt).toBeInstanceOf(Date);
  });
});
