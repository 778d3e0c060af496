import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const ADD = `mutation($input: AddMemoryInput!) { addMemory(input: $input) { ... on AddedMemory { memory { id createdAt } } } }`;
const UPDATE = `mutation($input: UpdateMemoryInput!) { updateMemory(input: $input) { ... on Memory { updatedAt } } }`;
const DELETE = `mutation($input: DeleteMemoryInput!) { deleteMemory(input: $input) { __typename } }`;
const LIST = `query($user: String!, $asOf: DateTime, $deleted: Boolean) {
  memories(externalUserId: $user, asOf: $asOf, deleted: $deleted) {
    __typename
    ... on MemoryConnection { totalCount edges { node { content updatedAt } } }
    ... on ValidationError { field }
  }
}`;
const ONE = `query($user: String!, $id: ID!, $asOf: DateTime) {
  memory(externalUserId: $user, id: $id, asOf: $asOf) { __typename ... on Memory { content } ... on Error { code } }
}`;

const pause = () => new Promise((resolve) => setTimeout(resolve, 30));
const before = (iso: string) => new Date(new Date(iso).getTime() - 1).toISOString();

describe.each(databaseKinds)('memories as of a past instant, on %s', (kind) => {
  let t: TestGateway;
  const user = 'alice@example.com';
  const times: Record<string, string> = {};
  let homeId = '';

  beforeAll(async () => {
    t = await startTestGateway(kind);
    const home = await t.request(ADD, { input: { externalUserId: user, content: 'Alice lives in Porto' } });
    homeId = home.data.addMemory.memory.id;
    times.added = home.data.addMemory.memory.createdAt;
    await pause();
    const cat = await t.request(ADD, { input: { externalUserId: user, content: 'Alice has a cat named Miso' } });
    times.cat = cat.data.addMemory.memory.createdAt;
    await pause();
    const moved = await t.request(UPDATE, {
      input: { externalUserId: user, id: homeId, content: 'Alice lives in Lisbon' },
    });
    times.moved = moved.data.updateMemory.updatedAt;
    await pause();
    await t.request(DELETE, { input: { externalUserId: user, id: cat.data.addMemory.memory.id } });
    await pause();
    times.end = new Date().toISOString();
  });
  afterAll(() => t.close());

  const contents = async (asOf: string, who = user, key?: string) => {
    const { data } = await t.request(LIST, { user: who, asOf }, key);
    return data.memories.edges.map((edge: any) => edge.node.content);
  };

  test('memories(asOf) lists what was live then, with the text it had then', async () => {
    expect(await contents(before(times.added))).toEqual([]);
    expect(await contents(times.added)).toEqual(['Alice lives in Porto']);
    expect(await contents(before(times.moved))).toEqual(['Alice has a cat named Miso', 'Alice lives in Porto']);
    expect(await contents(times.moved)).toEqual(['Alice has a cat named Miso', 'Alice lives in Lisbon']);
    expect(await contents(times.end)).toEqual(['Alice lives in Lisbon']);
    const { data } = await t.request(LIST, { user, asOf: before(times.moved) });
    expect(data.memories.totalCount).toBe(2);
  });

  test('memory(id, asOf) answers the text then, or NOT_FOUND before it existed', async () => {
    const at = async (asOf: string) => (await t.request(ONE, { user, id: homeId, asOf })).data.memory;
    expect(await at(before(times.added))).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(await at(before(times.moved))).toEqual({ __typename: 'Memory', content: 'Alice lives in Porto' });
    expect(await at(times.end)).toEqual({ __typename: 'Memory', content: 'Alice lives in Lisbon' });
  });

  test('asOf with deleted is refused; another end user and another tenant see nothing then either', async () => {
    const refused = await t.request(LIST, { user, asOf: times.end, deleted: true });
    expect(refused.data.memories).toEqual({ __typename: 'ValidationError', field: 'asOf' });
    expect(await contents(times.end, 'bob@example.com')).toEqual([]);
    expect(await contents(times.end, user, t.tenants.globex.apiKey)).toEqual([]);
    const foreign = await t.request(ONE, { user, id: homeId, asOf: times.end }, t.tenants.globex.apiKey);
    expect(foreign.data.memory.code).toBe('NOT_FOUND');
  });
});
