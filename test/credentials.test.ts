import type { YogaLogger } from 'graphql-yoga';
import { Authenticator } from '../src/auth/authenticator.js';
import { mintEndUserToken } from '../src/auth/endUserToken.js';
import { ADD, LIST, SEARCH } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, TEST_SECRET, type TestGateway } from './support/gateway.js';
import { uuidOf } from './support/ids.js';

const MINT = `mutation Mint($user: String!, $ttl: Int, $scopes: [ApiScope!]) {
  createEndUserToken(externalUserId: $user, ttlSeconds: $ttl, scopes: $scopes) {
    __typename
    ... on EndUserToken { token externalUserId scopes expiresAt }
    ... on ValidationError { field }
  }
}`;
const CREATE_KEY = `mutation Create($name: String!, $scopes: [ApiScope!]!) {
  createApiKey(name: $name, scopes: $scopes) { __typename ... on NewApiKey { apiKey key { id name prefix scopes } } ... on Error { code } }
}`;
const KEYS = `{ apiKeys { id name prefix scopes createdAt lastUsedAt revokedAt expiresAt } }`;
const REVOKE = `mutation Revoke($id: ID!) { revokeApiKey(id: $id) { __typename ... on ApiKey { revokedAt } ... on Error { code } } }`;
const ROTATE = `mutation Rotate($id: ID!, $grace: Int) {
  rotateApiKey(id: $id, gracePeriodSeconds: $grace) { __typename ... on NewApiKey { apiKey key { id name scopes } } ... on Error { code } }
}`;
const VIEWER = `{ viewer { credential externalUserId keyPrefix scopes tenant { name } } }`;

describe.each(databaseKinds)('credentials on %s', (kind) => {
  let t: TestGateway;
  const logs: string[] = [];
  const capture = (...args: unknown[]) =>
    logs.push(
      args.map((arg) => (arg instanceof Error ? `${arg.message} ${arg.stack}` : JSON.stringify(arg))).join(' '),
    );
  const logger: YogaLogger = { debug: capture, info: capture, warn: capture, error: capture };
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await startTestGateway(kind, { logging: logger });
    secrets.push(t.tenants.acme.apiKey, t.tenants.globex.apiKey);
  });
  afterAll(() => t.close());

  async function mint(user: string, extra: Record<string, unknown> = {}, key = t.tenants.acme.apiKey): Promise<string> {
    const res = await t.request(MINT, { user, ...extra }, key);
    expect(res.data.createEndUserToken.__typename).toBe('EndUserToken');
    secrets.push(res.data.createEndUserToken.token);
    return res.data.createEndUserToken.token;
  }

  describe('end-user tokens', () => {
    test('act for their one end user, who may be omitted', async () => {
      const token = await mint('Alice@Example.com');
      expect((await t.request(VIEWER, {}, token)).data.viewer).toEqual({
        credential: 'END_USER_TOKEN',
        externalUserId: 'alice@example.com',
        keyPrefix: null,
        scopes: ['READ', 'WRITE'],
        tenant: { name: 'acme' },
      });
      const added = await t.request(
        `mutation { addMemory(input: { content: "Alice via browser" }) { ... on AddedMemory { memory { externalUserId } } } }`,
        {},
        token,
      );
      expect(added.data.addMemory.memory.externalUserId).toBe('alice@example.com');
      const own = await t.request(SEARCH, { user: 'alice@example.com', query: 'browser' }, token);
      expect(own.data.searchMemories.hits).toHaveLength(1);
      const viaKey = await t.request(LIST, { user: 'alice@example.com' });
      expect(viaKey.data.memories.totalCount).toBe(1);
    });

    test('naming another end user is FORBIDDEN, and nothing is written', async () => {
      const token = await mint('alice@example.com');
      const read = await t.request(LIST, { user: 'bob@example.com' }, token);
      expect(read.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const write = await t.request(ADD, { input: { externalUserId: 'bob@example.com', content: 'forged' } }, token);
      expect(write.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await t.request(LIST, { user: 'bob@example.com' })).data.memories.totalCount).toBe(0);
    });

    test('cannot mint tokens, manage keys, rotate secrets or list end users', async () => {
      const token = await mint('alice@example.com');
      for (const [query, variables] of [
        [MINT, { user: 'alice@example.com' }],
        [CREATE_KEY, { name: 'x', scopes: ['READ'] }],
        [KEYS, {}],
        [`mutation { rotateEndUserTokenSecret { rotatedAt } }`, {}],
        [`{ endUsers { __typename } }`, {}],
      ] as const) {
        const res = await t.request(query, variables, token);
        expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
    });

    test('a READ token cannot write', async () => {
      const token = await mint('alice@example.com', { scopes: ['READ'] });
      const res = await t.request(ADD, { input: { content: 'nope' } }, token);
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });

    test('expired, tampered and foreign-signed tokens get 401', async () => {
      const short = await mint('alice@example.com', { ttl: 1 });
      expect((await t.request(VIEWER, {}, short)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await t.request(VIEWER, {}, short)).status).toBe(401);

      const token = await mint('alice@example.com');
      const [body, signature] = token.slice(4).split('.');
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
      const forged = `mgt_${Buffer.from(JSON.stringify({ ...claims, u: 'bob@example.com' })).toString('base64url')}.${signature}`;
      expect((await t.request(VIEWER, {}, forged)).status).toBe(401);
      const otherTenant = `mgt_${Buffer.from(JSON.stringify({ ...claims, t: t.tenants.globex.tenantId })).toString('base64url')}.${signature}`;
      expect((await t.request(VIEWER, {}, otherTenant)).status).toBe(401);
      const wrongSecret = mintEndUserToken('another-server-secret-0123456789abcdef', {
        tenantId: t.tenants.acme.tenantId,
        externalUserId: 'alice@example.com',
        scopes: ['READ'],
        expiresAt: new Date(Date.now() + 60_000),
        epoch: 0,
      });
      expect((await t.request(VIEWER, {}, wrongSecret)).status).toBe(401);
      expect((await t.request(VIEWER, {}, `${token}x`)).status).toBe(401);
    });

    test('rotating the signing secret invalidates every token of the tenant only', async () => {
      const acmeToken = await mint('alice@example.com');
      const globexToken = await mint('alice@example.com', {}, t.tenants.globex.apiKey);
      const rotated = await t.request(`mutation { rotateEndUserTokenSecret { rotatedAt } }`);
      expect(rotated.data.rotateEndUserTokenSecret.rotatedAt).toEqual(expect.any(String));
      expect((await t.request(VIEWER, {}, acmeToken)).status).toBe(401);
      expect((await t.request(VIEWER, {}, globexToken)).status).toBe(200);
      expect((await t.request(VIEWER, {}, await mint('alice@example.com'))).status).toBe(200);
    });

    test('a token dies with the key that minted it: revoked at once, or when a rotated key expires', async () => {
      const minter = (await t.request(CREATE_KEY, { name: 'minter', scopes: ['READ', 'WRITE'] })).data.createApiKey;
      secrets.push(minter.apiKey);
      const token = await mint('alice@example.com', {}, minter.apiKey);
      const sibling = await mint('alice@example.com');
      expect((await t.request(VIEWER, {}, token)).status).toBe(200);
      expect((await t.request(REVOKE, { id: minter.key.id })).data.revokeApiKey.__typename).toBe('ApiKey');
      expect((await t.request(VIEWER, {}, token)).status).toBe(401);
      expect((await t.request(VIEWER, {}, sibling)).status).toBe(200);

      // Another instance learns of it from the database within the cache's lifetime.
      const rotating = (await t.request(CREATE_KEY, { name: 'rotating', scopes: ['READ'] })).data.createApiKey;
      secrets.push(rotating.apiKey);
      const fromRotating = await mint('bob@example.com', { scopes: ['READ'] }, rotating.apiKey);
      const other = new Authenticator(t.db.prisma, { serverSecret: TEST_SECRET, cacheTtlMs: 0 });
      expect(await other.authenticate(`Bearer ${fromRotating}`)).not.toBeNull();
      const rotated = await t.request(ROTATE, { id: rotating.key.id, grace: 60 });
      secrets.push(rotated.data.rotateApiKey.apiKey);
      expect(await other.authenticate(`Bearer ${fromRotating}`)).not.toBeNull(); // within the grace period
      await t.db.prisma.apiKey.updateMany({
        where: { id: uuidOf(rotating.key.id) },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      expect(await other.authenticate(`Bearer ${fromRotating}`)).toBeNull();
    });

    test('a database failure while checking a token is a 503 to retry, never remembered as an unknown tenant', async () => {
      const token = await mint('alice@example.com');
      let failing = true;
      // The real client, with its tenant lookup failing once as a dropped connection would.
      const flaky = new Proxy(t.db.prisma, {
        get(target, property, receiver) {
          if (property !== 'tenant') return Reflect.get(target, property, receiver);
          return new Proxy(target.tenant, {
            get(model, method, modelReceiver) {
              if (method === 'findUnique' && failing) {
                return async () => {
                  failing = false;
                  throw new Error('Connection terminated unexpectedly');
                };
              }
              return Reflect.get(model, method, modelReceiver);
            },
          });
        },
      });
      const authenticator = new Authenticator(flaky, { serverSecret: TEST_SECRET });
      await expect(authenticator.authenticate(`Bearer ${token}`)).rejects.toThrow('Connection terminated');
      expect(await authenticator.authenticate(`Bearer ${token}`)).toMatchObject({
        kind: 'END_USER_TOKEN',
        boundUser: 'alice@example.com',
      });

      const original = t.services.authenticator;
      t.services.authenticator = {
        authenticate: () => Promise.reject(new Error('database down')),
        forget: () => {},
      } as never;
      try {
        const refused = await t.request(VIEWER, {}, token);
        expect(refused.status).toBe(503);
        expect(refused.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
      } finally {
        t.services.authenticator = original;
      }
    });

    test('minting rules: at most 24 h, READ/WRITE only, never more than the key has', async () => {
      const tooLong = await t.request(MINT, { user: 'a', ttl: 86_401 });
      expect(tooLong.data.createEndUserToken).toEqual({ __typename: 'ValidationError', field: 'ttlSeconds' });
      const admin = await t.request(MINT, { user: 'a', scopes: ['ADMIN'] });
      expect(admin.data.createEndUserToken).toEqual({ __typename: 'ValidationError', field: 'scopes' });
      const reader = (await t.request(CREATE_KEY, { name: 'reader', scopes: ['READ'] })).data.createApiKey.apiKey;
      secrets.push(reader);
      const escalate = await t.request(MINT, { user: 'a', scopes: ['READ', 'WRITE'] }, reader);
      expect(escalate.data.createEndUserToken).toEqual({ __typename: 'ValidationError', field: 'scopes' });
      expect(TEST_SECRET.length).toBeGreaterThanOrEqual(32);
    });
  });

  describe('API key lifecycle', () => {
    test('create, list (never the secret), and scopes enforced', async () => {
      const created = (await t.request(CREATE_KEY, { name: 'ci reader', scopes: ['READ'] })).data.createApiKey;
      secrets.push(created.apiKey);
      expect(created.key).toMatchObject({ name: 'ci reader', scopes: ['READ'], prefix: created.apiKey.slice(0, 12) });
      const keys = (await t.request(KEYS)).data.apiKeys;
      expect(keys.map((key: any) => key.name)).toEqual(expect.arrayContaining(['default', 'ci reader']));
      expect(JSON.stringify(keys)).not.toContain(created.apiKey);
      const write = await t.request(ADD, { input: { externalUserId: 'x', content: 'y' } }, created.apiKey);
      expect(write.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const adminOnly = await t.request(KEYS, {}, created.apiKey);
      expect(adminOnly.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const globexKeys = (await t.request(KEYS, {}, t.tenants.globex.apiKey)).data.apiKeys;
      expect(globexKeys.map((key: any) => key.id)).not.toContain(created.key.id);
    });

    test('revocation takes effect at once, and another tenant cannot revoke', async () => {
      const created = (await t.request(CREATE_KEY, { name: 'temp', scopes: ['READ'] })).data.createApiKey;
      secrets.push(created.apiKey);
      const foreign = await t.request(REVOKE, { id: created.key.id }, t.tenants.globex.apiKey);
      expect(foreign.data.revokeApiKey).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
      expect((await t.request(VIEWER, {}, created.apiKey)).status).toBe(200);
      const revoked = await t.request(REVOKE, { id: created.key.id });
      expect(revoked.data.revokeApiKey.revokedAt).toEqual(expect.any(String));
      expect((await t.request(VIEWER, {}, created.apiKey)).status).toBe(401);
      expect((await t.request(REVOKE, { id: created.key.id })).data.revokeApiKey.__typename).toBe('NotFoundError');
    });

    test('rotation issues a replacement; the old key lives for the grace period only', async () => {
      const created = (await t.request(CREATE_KEY, { name: 'service', scopes: ['READ', 'WRITE'] })).data.createApiKey;
      const graceful = (await t.request(ROTATE, { id: created.key.id, grace: 3600 })).data.rotateApiKey;
      secrets.push(created.apiKey, graceful.apiKey);
      expect(graceful.key).toMatchObject({ name: 'service', scopes: ['READ', 'WRITE'] });
      expect((await t.request(VIEWER, {}, created.apiKey)).status).toBe(200);
      expect((await t.request(VIEWER, {}, graceful.apiKey)).status).toBe(200);
      const immediate = (await t.request(ROTATE, { id: graceful.key.id, grace: 0 })).data.rotateApiKey;
      secrets.push(immediate.apiKey);
      expect((await t.request(VIEWER, {}, graceful.apiKey)).status).toBe(401);
      expect((await t.request(VIEWER, {}, immediate.apiKey)).status).toBe(200);
      const bad = await t.request(ROTATE, { id: immediate.key.id, grace: -1 });
      expect(bad.data.rotateApiKey.__typename).toBe('ValidationError');
    });
  });

  test('no secret is stored in plain text in any table, nor written to the logs', async () => {
    await t.request(`{ searchMemories(query: "x") { __typename } }`); // a ValidationError
    await t.db.prisma.$executeRawUnsafe('ALTER TABLE end_users RENAME TO end_users_gone');
    try {
      const failed = await t.request(ADD, { input: { externalUserId: 'x', content: 'y' } });
      expect(failed.errors?.[0].message).toBe('Unexpected error.');
    } finally {
      await t.db.prisma.$executeRawUnsafe('ALTER TABLE end_users_gone RENAME TO end_users');
    }
    expect(logs.length).toBeGreaterThan(0);
    const tables = await t.db.prisma.$queryRaw<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
    let dump = '';
    for (const { table_name } of tables) {
      const rows = await t.db.prisma.$queryRawUnsafe<{ row: string }[]>(
        `SELECT row_to_json(x)::text AS row FROM "${table_name}" x`,
      );
      dump += rows.map((row) => row.row).join('\n');
    }
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      const distinctive = secret.slice(12, 40);
      expect(dump).not.toContain(distinctive);
      expect(logs.join('\n')).not.toContain(distinctive);
    }
  });
});
