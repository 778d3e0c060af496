import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const HISTORY = `query($user: String, $id: ID!) {
  memory(externalUserId: $user, id: $id, includeDeleted: true) {
    __typename
    ... on Memory { history { kind actor { kind apiKeyId keyPrefix keyName } } }
  }
}`;

/** Each history event names the credential that asked for the change; an API key's details are for ADMIN callers only. */
describe.each(databaseKinds)('who changed a memory, on %s', (kind) => {
  let t: TestGateway;
  let memoryId: string;
  const keys: Record<string, { apiKey: string; id: string; prefix: string }> = {};
  let token: string;

  async function createKey(name: string, scopes: string[]) {
    const created = await t.request(
      `mutation($name: String!, $scopes: [ApiScope!]!) { createApiKey(name: $name, scopes: $scopes) { ... on NewApiKey { apiKey key { id prefix } } } }`,
      { name, scopes },
    );
    const { apiKey, key } = created.data.createApiKey;
    keys[name] = { apiKey, ...key };
  }

  beforeAll(async () => {
    t = await startTestGateway(kind);
    await createKey('backend', ['READ', 'WRITE']);
    await createKey('reader', ['READ']);
    await createKey('support-desk', ['READ', 'WRITE', 'ADMIN']);
    token = (
      await t.request(
        `mutation { createEndUserToken(externalUserId: "quinn", scopes: [READ, WRITE]) { ... on EndUserToken { token } } }`,
      )
    ).data.createEndUserToken.token;

    const added = await t.request(
      `mutation { addMemory(input: { externalUserId: "quinn", content: "Quinn drinks oat milk" }) { ... on AddedMemory { memory { id } } } }`,
      {},
      keys.backend.apiKey,
    );
    memoryId = added.data.addMemory.memory.id;
    const updated = await t.request(
      `mutation($id: ID!) { updateMemory(input: { id: $id, content: "Quinn drinks soy milk" }) { __typename } }`,
      { id: memoryId },
      token,
    );
    expect(updated.data.updateMemory.__typename).toBe('Memory');
    const deleted = await t.request(
      `mutation($id: ID!) { deleteMemory(input: { externalUserId: "quinn", id: $id }) { __typename } }`,
      { id: memoryId },
      keys['support-desk'].apiKey,
    );
    expect(deleted.data.deleteMemory.__typename).toBe('DeletedMemory');
  });
  afterAll(() => t.close());

  const historyAs = async (key: string, user: string | null = 'quinn') =>
    (await t.request(HISTORY, { user, id: memoryId }, key)).data.memory;

  test('an ADMIN caller sees which key, by id, prefix and name, or the end user’s token made each change', async () => {
    const { history } = await historyAs(t.tenants.acme.apiKey);
    const asKey = (name: string) => ({
      kind: 'API_KEY',
      apiKeyId: keys[name].id,
      keyPrefix: keys[name].prefix,
      keyName: name,
    });
    expect(history).toEqual([
      { kind: 'CREATED', actor: asKey('backend') },
      { kind: 'UPDATED', actor: { kind: 'END_USER_TOKEN', apiKeyId: null, keyPrefix: null, keyName: null } },
      { kind: 'DELETED', actor: asKey('support-desk') },
    ]);
  });

  test('a READ key and the end user’s own token learn the kind of credential only', async () => {
    for (const caller of [keys.reader.apiKey, token]) {
      const { history } = await historyAs(caller, caller === token ? null : 'quinn');
      expect(history.map((event: any) => event.actor)).toEqual([
        { kind: 'API_KEY', apiKeyId: null, keyPrefix: null, keyName: null },
        { kind: 'END_USER_TOKEN', apiKeyId: null, keyPrefix: null, keyName: null },
        { kind: 'API_KEY', apiKeyId: null, keyPrefix: null, keyName: null },
      ]);
    }
  });

  test('another end user, another tenant and another user’s token see no event of it', async () => {
    expect((await historyAs(t.tenants.acme.apiKey, 'quinn-neighbour')).__typename).toBe('NotFoundError');
    expect((await historyAs(t.tenants.globex.apiKey)).__typename).toBe('NotFoundError');
    const other = (
      await t.request(
        `mutation { createEndUserToken(externalUserId: "quinn-neighbour") { ... on EndUserToken { token } } }`,
      )
    ).data.createEndUserToken.token;
    expect((await historyAs(other, null)).__typename).toBe('NotFoundError');
    const named = await t.request(HISTORY, { user: 'quinn', id: memoryId }, other);
    expect(named.data?.memory ?? null).toBeNull();
    expect(named.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test('the key’s name is kept as it was when the change was made, after the key is rotated and revoked', async () => {
    const rotated = await t.request(`mutation($id: ID!) { rotateApiKey(id: $id) { __typename } }`, {
      id: keys.backend.id,
    });
    expect(rotated.data.rotateApiKey.__typename).not.toMatch(/Error$/);
    await t.request(`mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }`, { id: keys.backend.id });
    const { history } = await historyAs(t.tenants.acme.apiKey);
    expect(history[0].actor).toEqual({
      kind: 'API_KEY',
      apiKeyId: keys.backend.id,
      keyPrefix: keys.backend.prefix,
      keyName: 'backend',
    });
  });
});
