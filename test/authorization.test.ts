import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/**
 * `node(id)` and mutation payloads for single-scope credentials: without READ, no memory's content,
 * metadata, tags or history comes back — only ids and statuses. (Every root field through every
 * transport, for every credential kind: test/oneDoor.test.ts.)
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

  /** New single-scope credentials for each test. */
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
