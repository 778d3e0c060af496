import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { calibrated } from '../src/memory/ranking.js';

const ADD_MANY = `mutation($input: AddMemoriesInput!) {
  addMemories(input: $input) {
    __typename
    ... on AddedMemories { results { memory { id content occurredAt createdAt } } }
    ... on ValidationError { field message }
  }
}`;
const ADD = `mutation($input: AddMemoryInput!) {
  addMemory(input: $input) { __typename ... on AddedMemory { memory { id occurredAt createdAt } } ... on ValidationError { field } }
}`;
const LIST = `query($user: String!, $filter: MemoryFilter) {
  memories(externalUserId: $user, first: 100, filter: $filter) {
    ... on MemoryConnection { totalCount edges { node { content occurredAt } } }
  }
}`;
const SEARCH = `query($user: String!, $query: String!, $filter: MemoryFilter, $halfLife: Float, $mode: SearchMode) {
  searchMemories(externalUserId: $user, query: $query, filter: $filter, recencyHalfLifeDays: $halfLife, mode: $mode) {
    ... on MemorySearch { hits { score keywordScore memory { content occurredAt } } }
  }
}`;
const UPDATE = `mutation($input: UpdateMemoryInput!) {
  updateMemory(input: $input) {
    __typename
    ... on Memory { occurredAt history { kind changedFields } }
    ... on ValidationError { field }
    ... on Error { code }
  }
}`;
const CONTEXT = `query($user: String!, $query: String!) { memoryContext(externalUserId: $user, query: $query) { ... on MemoryContext { text } } }`;

describe.each(databaseKinds)('when a memory happened (occurredAt) on %s', (kind) => {
  let t: TestGateway;
  const user = 'ada@example.com';
  // A year of chat history, imported today.
  const history = [
    { content: 'Ada: We adopted a puppy called Biscuit today!', occurredAt: '2024-03-02T10:00:00.000Z' },
    { content: 'Ada: Biscuit chewed my new running shoes.', occurredAt: '2024-06-15T18:30:00.000Z' },
    { content: 'Ada: Biscuit passed his obedience class.', occurredAt: '2024-11-20T09:15:00.000Z' },
  ];
  let ids: string[] = [];

  beforeAll(async () => {
    t = await startTestGateway(kind);
    const added = await t.request(ADD_MANY, { input: { externalUserId: user, memories: history } });
    expect(added.data.addMemories.__typename).toBe('AddedMemories');
    ids = added.data.addMemories.results.map((r: any) => r.memory.id);
    expect(added.data.addMemories.results.map((r: any) => r.memory.occurredAt)).toEqual(
      history.map((h) => h.occurredAt),
    );
  });
  afterAll(() => t.close());

  test('imported history keeps its dates; without one a memory occurred when it was stored', async () => {
    const added = (
      await t.request(ADD, { input: { externalUserId: user, content: 'Ada: Biscuit is asleep on the sofa.' } })
    ).data.addMemory;
    expect(added.memory.occurredAt).toBe(added.memory.createdAt);
    const listed = (await t.request(LIST, { user })).data.memories.edges.map((e: any) => e.node);
    expect(listed.find((m: any) => m.content === history[0].content).occurredAt).toBe(history[0].occurredAt);
  });

  test('occurredAfter and occurredBefore filter lists and every search mode', async () => {
    const filter = { occurredAfter: '2024-05-01T00:00:00Z', occurredBefore: '2024-11-20T09:15:00Z' };
    const listed = (await t.request(LIST, { user, filter })).data.memories;
    expect(listed.edges.map((e: any) => e.node.content)).toEqual([history[1].content]);
    expect(listed.totalCount).toBe(1);
    for (const mode of ['SEMANTIC', 'KEYWORD', 'HYBRID']) {
      const found = (await t.request(SEARCH, { user, query: 'Biscuit', filter, mode })).data.searchMemories.hits;
      expect(found.map((h: any) => h.memory.content)).toEqual([history[1].content]);
    }
  });

  test('recency counts from when the memory occurred, not from when it was stored', async () => {
    const now = Date.now();
    const hits = (await t.request(SEARCH, { user, query: 'Biscuit', mode: 'KEYWORD', halfLife: 30 })).data
      .searchMemories.hits;
    for (const hit of hits) {
      const days = (now - Date.parse(hit.memory.occurredAt)) / 86_400_000;
      expect(hit.score).toBeCloseTo(calibrated('KEYWORD', hit.keywordScore) * 0.5 ** (days / 30), 3);
    }
    // Stored the same second, but the newest fact comes first.
    expect(hits.map((h: any) => h.memory.content).indexOf(history[2].content)).toBeLessThan(
      hits.map((h: any) => h.memory.content).indexOf(history[0].content),
    );
  });

  test('memoryContext dates each memory by when it occurred', async () => {
    const text = (await t.request(CONTEXT, { user, query: 'obedience class' })).data.memoryContext.text;
    expect(text).toContain(`${history[2].content} (2024-11-20)`);
  });

  test('updateMemory can correct the date, and the history says so', async () => {
    const updated = (
      await t.request(UPDATE, { input: { externalUserId: user, id: ids[1], occurredAt: '2024-06-14T18:30:00Z' } })
    ).data.updateMemory;
    expect(updated.occurredAt).toBe('2024-06-14T18:30:00.000Z');
    expect(updated.history.at(-1)).toEqual({ kind: 'UPDATED', changedFields: ['occurredAt'] });
  });

  test('a date outside the years 1000-9999 is a ValidationError and writes nothing', async () => {
    const before = (await t.request(LIST, { user })).data.memories.totalCount;
    const refused = await t.request(ADD_MANY, {
      input: {
        externalUserId: user,
        memories: [{ content: 'fine' }, { content: 'too old', occurredAt: '0999-12-31T00:00:00Z' }],
      },
    });
    expect(refused.data.addMemories).toMatchObject({ __typename: 'ValidationError', field: 'memories.1.occurredAt' });
    const single = await t.request(ADD, {
      input: { externalUserId: user, content: 'too late', occurredAt: '+010000-01-01T00:00:00Z' },
    });
    expect(single.errors ?? single.data.addMemory).toBeTruthy();
    expect(single.data?.addMemory?.memory).toBeUndefined();
    expect((await t.request(LIST, { user })).data.memories.totalCount).toBe(before);
  });

  test('another tenant and another end user can neither see nor change the date', async () => {
    const target = { externalUserId: user, id: ids[0], occurredAt: '2020-01-01T00:00:00Z' };
    const foreignTenant = await t.request(UPDATE, { input: target }, t.tenants.globex.apiKey);
    expect(foreignTenant.data.updateMemory.code).toBe('NOT_FOUND');
    const otherUser = await t.request(UPDATE, { input: { ...target, externalUserId: 'mallory@example.com' } });
    expect(otherUser.data.updateMemory.code).toBe('NOT_FOUND');
    const filter = { occurredBefore: '2025-01-01T00:00:00Z' };
    for (const [name, key] of [
      ['mallory@example.com', undefined],
      [user, t.tenants.globex.apiKey],
    ] as const) {
      expect((await t.request(LIST, { user: name, filter }, key)).data.memories.totalCount).toBe(0);
    }
    const listed = (await t.request(LIST, { user })).data.memories.edges.map((e: any) => e.node);
    expect(listed.find((m: any) => m.content === history[0].content).occurredAt).toBe(history[0].occurredAt);
  });
});
