import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { operationsFor, schema } from './support/schemaSweep.js';

/**
 * Every root field (and `node`), asked for everything it can return, by every single-scope
 * credential: without READ, no memory's content, metadata, tags or history may come back, by
 * any path — only ids and statuses.
 */
const SECRET = 'SECRET';

describe.each(databaseKinds)('authorization, deny by default, on %s', (kind) => {
  let t: TestGateway;
  const credentials: Record<string, string> = {};
  let memoryId = '';

  beforeAll(async () => {
    t = await startTestGateway(kind);
    const added = await t.request(
      `mutation { addMemory(input: { externalUserId: "alice@example.com", content: "${SECRET} alice is allergic to peanuts", metadata: { note: "${SECRET} note" }, tags: ["${SECRET}-tag"] }) { ... on AddedMemory { memory { id } } } }`,
    );
    memoryId = added.data.addMemory.memory.id;
    await t.request(
      `mutation($id: ID!) { updateMemory(input: { externalUserId: "alice@example.com", id: $id, content: "${SECRET} alice moved to Porto" }) { __typename } }`,
      { id: memoryId },
    );
  });
  afterAll(() => t.close());

  /** New single-scope credentials (the sweep below rotates the token secret and may revoke keys). */
  beforeEach(async () => {
    for (const scope of ['WRITE', 'ADMIN']) {
      const created = await t.request(
        `mutation($name: String!, $scopes: [ApiScope!]!) { createApiKey(name: $name, scopes: $scopes) { ... on NewApiKey { apiKey } } }`,
        {
          name: `${scope.toLowerCase()}-only`,
          scopes: [scope],
        },
      );
      credentials[`${scope}-only key`] = created.data.createApiKey.apiKey;
    }
    const token = await t.request(
      `mutation { createEndUserToken(externalUserId: "alice@example.com", scopes: [WRITE]) { ... on EndUserToken { token } } }`,
    );
    credentials['WRITE-only end-user token'] = token.data.createEndUserToken.token;
  });

  const values = () => ({
    externalUserId: 'alice@example.com',
    id: memoryId,
    query: 'peanuts',
    question: 'What is alice allergic to?',
    content: `${SECRET} alice is allergic to peanuts`, // a no-op update: same content
    reason: 'probe',
    name: 'probe',
    tokenBudget: 500,
  });

  test.each(['WRITE-only key', 'ADMIN-only key', 'WRITE-only end-user token'])(
    '%s: no root field or mutation payload returns memory data, by any path',
    async (name) => {
      const leaks: string[] = [];
      let asked = 0;
      for (const kind of ['query', 'mutation'] as const) {
        const root = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
        for (const field of Object.values(root.getFields())) {
          // Erasing would remove the data under test; it returns counts only, and is tested elsewhere.
          if (field.name === 'deleteEndUser' || field.name === 'deleteMemory') continue;
          for (const { document, variables } of operationsFor(kind, field, values())) {
            const response = await t.request(document, variables, credentials[name]);
            asked++;
            if (JSON.stringify(response.data ?? {}).includes(SECRET))
              leaks.push(`${document}: ${JSON.stringify(response.data).slice(0, 160)}`);
          }
        }
      }
      expect(asked).toBeGreaterThan(200);
      expect(leaks).toEqual([]);
    },
    // Over 200 requests one after another: 20 s through a Citus coordinator on a quiet machine.
    180_000,
  );

  test('node(id) gives a credential without READ the id and nothing else', async () => {
    const full = `query($id: ID!) { node(id: $id) { id ... on Memory { content metadata tags history { oldContent newContent } } } }`;
    for (const name of Object.keys(credentials)) {
      const response = await t.request(full, { id: memoryId }, credentials[name]);
      expect(JSON.stringify(response.data ?? {})).not.toContain(SECRET);
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const idOnly = await t.request(`query($id: ID!) { node(id: $id) { id } }`, { id: memoryId }, credentials[name]);
      expect(idOnly.data.node).toEqual({ id: memoryId });
    }
    const reader = await t.request(full, { id: memoryId });
    expect(JSON.stringify(reader.data)).toContain(SECRET);
  });

  test('a WRITE-only credential writes and gets ids and statuses back', async () => {
    const key = credentials['WRITE-only key'];
    const added = await t.request(
      `mutation { addMemory(input: { externalUserId: "alice@example.com", content: "written blind" }) { __typename ... on AddedMemory { created memory { id } } } }`,
      {},
      key,
    );
    expect(added.data.addMemory).toMatchObject({
      __typename: 'AddedMemory',
      created: true,
      memory: { id: expect.any(String) },
    });
    const peek = await t.request(
      `mutation($id: ID!) { updateMemory(input: { externalUserId: "alice@example.com", id: $id, tags: ["x"] }) { __typename ... on Memory { id content } } }`,
      { id: memoryId },
      key,
    );
    expect(JSON.stringify(peek.data ?? {})).not.toContain(SECRET);
    expect(peek.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
