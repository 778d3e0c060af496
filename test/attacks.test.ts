import { encodeCursor } from '../src/memory/pagination.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/**
 * Two tenants, two end users each, canary memories everywhere. Every query, mutation, cursor and
 * node(id) is tried with foreign ids, forged ids and cursors, foreign externalUserIds, a revoked key
 * and an expired token — by full keys, single-scope keys and end-user tokens. Every attempt must
 * see no canary it may not read and change nothing it may not write.
 */
interface Victim {
  tenant: 'acme' | 'globex';
  user: string;
  id: string;
  uuid: string;
  createdAt: string;
  canary: string;
  /** A queued conversation of this user (its messages carry the canary too). */
  jobId: string;
}

interface Attacker {
  name: string;
  bearer: string;
  tenant: 'acme' | 'globex';
  /** The end user a token is bound to; API keys may name any user of their tenant. */
  boundUser?: string;
  user: string;
  scopes: ('READ' | 'WRITE' | 'ADMIN')[];
}

const USERS = ['alice@example.com', 'bob@example.com'];

describe.each(databaseKinds)('cross-tenant attacks on %s', (kind) => {
  let t: TestGateway;
  const victims: Victim[] = [];
  let attackers: Attacker[] = [];
  let revokedKey = '';
  let expiredToken = '';

  const snapshot = () =>
    t.db.prisma.$queryRaw<unknown[]>`
      SELECT m.tenant_id, m.id, m.external_user_id, m.content, m.tags, m.metadata, m.deleted_at, m.updated_at, count(e.id)::int AS events
      FROM memories m
      LEFT JOIN memory_events e ON e.tenant_id = m.tenant_id AND e.external_user_id = m.external_user_id AND e.memory_id = m.id
      WHERE m.content LIKE 'CANARY%'
      GROUP BY m.tenant_id, m.id, m.external_user_id, m.content, m.tags, m.metadata, m.deleted_at, m.updated_at
      ORDER BY m.id`;

  beforeAll(async () => {
    t = await startTestGateway(kind);
    const keys = { acme: t.tenants.acme.apiKey, globex: t.tenants.globex.apiKey };
    for (const tenant of ['acme', 'globex'] as const) {
      for (const user of USERS) {
        for (let n = 0; n < 2; n++) {
          const canary = `CANARY ${tenant} ${user} ${n} secret plans for the weekend`;
          const res = await t.request(
            `mutation($input: AddMemoryInput!) { addMemory(input: $input) { ... on AddedMemory { memory { id createdAt } } } }`,
            { input: { externalUserId: user, content: canary, tags: ['canary'], idempotencyKey: `idem-${n}` } },
            keys[tenant],
          );
          const { id, createdAt } = res.data.addMemory.memory;
          const job = await t.request(
            `mutation($input: RememberConversationInput!) { rememberConversation(input: $input) { ... on ConversationJob { id } } }`,
            { input: { externalUserId: user, messages: [{ role: 'USER', content: canary }], mode: 'ASYNC' } },
            keys[tenant],
          );
          const jobId = job.data.rememberConversation.id;
          victims.push({
            tenant,
            user,
            id,
            uuid: Buffer.from(id, 'base64').toString().split(':')[1],
            createdAt,
            canary,
            jobId,
          });
        }
      }
    }
    const mint = async (user: string, ttl = 3600, scopes = 'READ, WRITE', tenant: 'acme' | 'globex' = 'acme') =>
      (
        await t.request(
          `mutation { createEndUserToken(externalUserId: "${user}", ttlSeconds: ${ttl}, scopes: [${scopes}]) { ... on EndUserToken { token } } }`,
          {},
          keys[tenant],
        )
      ).data.createEndUserToken.token as string;
    const singleScopeKey = async (tenant: 'acme' | 'globex', scope: string) =>
      (
        await t.request(
          `mutation { createApiKey(name: "${scope.toLowerCase()}-only", scopes: [${scope}]) { ... on NewApiKey { apiKey } } }`,
          {},
          keys[tenant],
        )
      ).data.createApiKey.apiKey as string;
    const all: Attacker['scopes'] = ['READ', 'WRITE', 'ADMIN'];
    attackers = [
      { name: 'acme API key', bearer: keys.acme, tenant: 'acme', user: 'mallory@example.com', scopes: all },
      { name: 'globex API key', bearer: keys.globex, tenant: 'globex', user: 'mallory@example.com', scopes: all },
      {
        name: 'token of alice@acme',
        bearer: await mint('alice@example.com'),
        tenant: 'acme',
        boundUser: 'alice@example.com',
        user: 'alice@example.com',
        scopes: ['READ', 'WRITE'],
      },
      {
        name: 'acme READ-only key',
        bearer: await singleScopeKey('acme', 'READ'),
        tenant: 'acme',
        user: 'mallory@example.com',
        scopes: ['READ'],
      },
      {
        name: 'acme WRITE-only key',
        bearer: await singleScopeKey('acme', 'WRITE'),
        tenant: 'acme',
        user: 'mallory@example.com',
        scopes: ['WRITE'],
      },
      {
        name: 'globex ADMIN-only key',
        bearer: await singleScopeKey('globex', 'ADMIN'),
        tenant: 'globex',
        user: 'mallory@example.com',
        scopes: ['ADMIN'],
      },
      {
        name: 'WRITE-only token of bob@globex',
        bearer: await mint('bob@example.com', 3600, 'WRITE', 'globex'),
        tenant: 'globex',
        boundUser: 'bob@example.com',
        user: 'bob@example.com',
        scopes: ['WRITE'],
      },
    ];
    const created = await t.request(
      `mutation { createApiKey(name: "doomed", scopes: [READ, WRITE, ADMIN]) { ... on NewApiKey { apiKey key { id } } } }`,
    );
    revokedKey = created.data.createApiKey.apiKey;
    await t.request(`mutation { revokeApiKey(id: "${created.data.createApiKey.key.id}") { __typename } }`);
    expiredToken = await mint('alice@example.com', 1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
  });
  afterAll(() => t.close());

  const reaches = (attacker: Attacker, victim: Victim) =>
    victim.tenant === attacker.tenant && (attacker.boundUser === undefined || attacker.boundUser === victim.user);
  /** Canaries this attacker may legitimately see. */
  const visible = (attacker: Attacker, victim: Victim) => reaches(attacker, victim) && attacker.scopes.includes('READ');
  /** Memories this attacker may legitimately change (its writes there are not attacks). */
  const writable = (attacker: Attacker, victim: Victim) =>
    reaches(attacker, victim) && attacker.scopes.includes('WRITE');

  type Attempt = { query: string; variables?: Record<string, unknown> };

  function attemptsAgainst(attacker: Attacker, victim: Victim): Attempt[] {
    const forgedCursor = encodeCursor([new Date(Date.parse(victim.createdAt) + 1).toISOString(), victim.uuid]);
    const users = [attacker.user, victim.user];
    const attempts: Attempt[] = [
      {
        query: `query($id: ID!) { node(id: $id) { id ... on Memory { content externalUserId } } }`,
        variables: { id: victim.id },
      },
      {
        query: `query($id: ID!) { node(id: $id) { id ... on Memory { content } } }`,
        variables: { id: Buffer.from(`Memory:${victim.uuid}`).toString('base64') },
      },
    ];
    for (const user of users) {
      const asUser = { user };
      attempts.push(
        {
          query: `query($user: String, $id: ID!) { memory(externalUserId: $user, id: $id) { __typename ... on Memory { content history { oldContent newContent } } } }`,
          variables: { ...asUser, id: victim.id },
        },
        {
          query: `query($user: String) { memories(externalUserId: $user, first: 100) { ... on MemoryConnection { totalCount edges { node { id content } } } } }`,
          variables: asUser,
        },
        {
          query: `query($user: String, $after: String) { memories(externalUserId: $user, first: 100, after: $after) { ... on MemoryConnection { edges { node { content } } } } }`,
          variables: { ...asUser, after: forgedCursor },
        },
        {
          query: `query($user: String, $before: String) { memories(externalUserId: $user, last: 100, before: $before) { ... on MemoryConnection { edges { node { content } } } } }`,
          variables: { ...asUser, before: forgedCursor },
        },
        ...['SEMANTIC', 'KEYWORD', 'HYBRID'].map((mode) => ({
          query: `query($user: String, $q: String!, $mode: SearchMode) { searchMemories(externalUserId: $user, query: $q, mode: $mode, limit: 50) { ... on MemorySearch { hits { memory { content } } } } }`,
          variables: { ...asUser, q: victim.canary, mode },
        })),
        {
          query: `query($user: String) { searchMemories(externalUserId: $user, query: "secret plans", filter: { tags: ["canary"] }) { ... on MemorySearch { hits { memory { content } } } } }`,
          variables: asUser,
        },
        {
          query: `query($user: String) { endUser(externalUserId: $user) { __typename ... on EndUser { memoryCount } } }`,
          variables: asUser,
        },
        {
          query: `query($user: String) { exportEndUser(externalUserId: $user) { __typename ... on EndUserExport { document } } }`,
          variables: asUser,
        },
        {
          query: `query($user: String, $q: String!) { memoryContext(externalUserId: $user, query: $q) { ... on MemoryContext { text } } }`,
          variables: { ...asUser, q: victim.canary },
        },
        {
          query: `query($user: String, $id: ID!) { job(externalUserId: $user, id: $id) { __typename ... on ConversationJob { status changes { content } } } }`,
          variables: { ...asUser, id: victim.jobId },
        },
        {
          query: `mutation($input: RestoreMemoryInput!) { restoreMemory(input: $input) { __typename ... on Memory { content } } }`,
          variables: { input: { externalUserId: user, id: victim.id } },
        },
        {
          query: `mutation($input: UpdateMemoryInput!) { updateMemory(input: $input) { __typename ... on Memory { content } } }`,
          variables: { input: { externalUserId: user, id: victim.id, content: 'PWNED', tags: ['pwned'] } },
        },
        {
          query: `mutation($input: DeleteMemoryInput!) { deleteMemory(input: $input) { __typename ... on DeletedMemory { history { oldContent } } } }`,
          variables: { input: { externalUserId: user, id: victim.id, reason: 'attack' } },
        },
        {
          query: `mutation($input: AddMemoryInput!) { addMemory(input: $input) { __typename ... on AddedMemory { created memory { content } } } }`,
          variables: { input: { externalUserId: user, content: `attacker note ${user}`, idempotencyKey: 'idem-0' } },
        },
      );
    }
    attempts.push(
      {
        query: `{ endUsers(first: 100) { ... on EndUserConnection { edges { node { externalUserId memoryCount } } } } }`,
      },
      { query: `{ apiKeys { id name prefix } }` },
      { query: `{ redactionRules { name pattern } }` },
      { query: `{ usage(from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") { operation calls } }` },
    );
    return attempts;
  }

  test('every attempt sees zero foreign data and changes nothing', async () => {
    const before = await snapshot();
    const canaries = victims.map((victim) => victim.canary.split(' secret')[0]);
    let attempts = 0;
    const leaks: string[] = [];

    for (const attacker of attackers) {
      for (const victim of victims.filter((v) => !visible(attacker, v))) {
        const tries = attemptsAgainst(attacker, victim).filter(
          (attempt) => !writable(attacker, victim) || !attempt.query.startsWith('mutation'),
        );
        for (const attempt of tries) {
          const response = await t.request(attempt.query, attempt.variables, attacker.bearer);
          attempts++;
          const body = JSON.stringify(response);
          for (const [i, canary] of canaries.entries()) {
            if (!visible(attacker, victims[i]) && body.includes(canary))
              leaks.push(`${attacker.name}: ${attempt.query.slice(0, 60)} -> ${canary}`);
          }
        }
      }
    }
    // Dead credentials: every operation answers 401 and nothing else.
    const acmeKey = t.tenants.acme.apiKey;
    const tamperedKey = `${acmeKey.slice(0, -1)}${acmeKey.at(-1) === 'x' ? 'y' : 'x'}`;
    for (const bearer of [revokedKey, expiredToken, tamperedKey]) {
      for (const attempt of attemptsAgainst(attackers[0], victims[0])) {
        const response = await t.request(attempt.query, attempt.variables, bearer);
        attempts++;
        if (response.status !== 401 || response.data !== undefined)
          leaks.push(`dead credential answered ${response.status}`);
      }
    }

    // Keys of one tenant cannot touch another's keys or erase its users.
    const globexKeys = (await t.request(`{ apiKeys { id } }`, {}, t.tenants.globex.apiKey)).data.apiKeys;
    for (const key of globexKeys) {
      for (const mutation of [
        `revokeApiKey(id: "${key.id}") { __typename }`,
        `rotateApiKey(id: "${key.id}") { __typename }`,
      ]) {
        const response = await t.request(`mutation { ${mutation} }`);
        attempts++;
        const answer = Object.values(response.data ?? {})[0] as { __typename?: string } | undefined;
        if (answer?.__typename !== 'NotFoundError') leaks.push(`${mutation} -> ${answer?.__typename}`);
      }
    }
    const erase = await t.request(
      `mutation { deleteEndUser(externalUserId: "bob@example.com") { ... on EndUserErasure { memoriesDeleted } } }`,
      {},
      attackers[2].bearer,
    );
    attempts++;
    if (!erase.errors || erase.errors[0].extensions?.code !== 'FORBIDDEN') leaks.push('token erased another user');

    console.log(`cross-tenant attack suite (${kind}): ${attempts} attempts, ${leaks.length} saw foreign data`);
    expect(leaks).toEqual([]);
    expect(attempts).toBeGreaterThan(400);
    expect(await snapshot()).toEqual(before);
    expect((await t.request(`{ viewer { keyPrefix } }`, {}, t.tenants.globex.apiKey)).status).toBe(200);
  }, 180_000); // 1,667 requests one after another: over 60 s on Citus once, while another suite moved shards.
});
