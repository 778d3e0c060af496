import { SyntheticEmbedder } from '../bench/synthetic.js';
import { NEWEST_READ } from '../src/db/keywordSql.js';
import type { MemoryInput } from './gql/graphql.js';
import { ADD_MANY, DELETE, SEARCH, UPDATE } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/**
 * Keyword search of an end user with more memories than it reads in full (NEWEST_READ): older
 * memories are found by the query's distinctive words in memory_words, which every change of a
 * memory's words must keep up to date — add, add to a thread, update, delete and restore — and
 * which no other end user or tenant reaches.
 */
describe.each(databaseKinds)('keyword search of an end user with many memories on %s', (kind) => {
  let t: TestGateway;
  const hoarder = 'hoarder@example.com';
  let lockerId = '';

  const keyword = async (query: string, user = hoarder, apiKey?: string) => {
    const response = await t.request(SEARCH, { user, query, mode: 'KEYWORD', limit: 5 }, apiKey);
    expect(response.errors).toBeUndefined();
    return (response.data.searchMemories.hits as { memory: { id: string; content: string } }[]).map(
      (hit) => hit.memory.content,
    );
  };
  const add = async (memories: MemoryInput[], user = hoarder, apiKey?: string) => {
    const added = await t.request(ADD_MANY, { input: { externalUserId: user, memories } }, apiKey);
    expect(added.data.addMemories.__typename).toBe('AddedMemories');
    return added.data.addMemories.results.map((result: { memory: { id: string } }) => result.memory.id) as string[];
  };

  beforeAll(async () => {
    t = await startTestGateway(kind, { embedder: new SyntheticEmbedder() });
    // The oldest memories, then more than NEWEST_READ newer ones that all share a word ("dana").
    [lockerId] = await add([
      { content: 'Dana keeps her gym locker code on a sticky note: 4417' },
      { content: 'Dana: my sister Ingrid moved to Trondheim', threadId: 'chat-1', occurredAt: '2026-03-01T10:00:00Z' },
      { content: 'Dana: she works at the aquarium there', threadId: 'chat-1', occurredAt: '2026-03-01T10:01:00Z' },
    ]);
    // In the thread too, added by a later request: its context words are those of the one before.
    await add([
      { content: 'Dana: they feed the otters at noon', threadId: 'chat-1', occurredAt: '2026-03-01T10:02:00Z' },
    ]);
    for (let batch = 0; batch * 100 < NEWEST_READ + 100; batch++) {
      await add(Array.from({ length: 100 }, (_, i) => ({ content: `Dana noted errand ${batch * 100 + i}` })));
    }
    // The same words for another end user of the tenant, and for the same end user of another tenant.
    await add([{ content: 'Dana keeps her gym locker code on a sticky note: 9021' }], 'neighbour@example.com');
    await add([{ content: 'Dana keeps her gym locker code on a sticky note: 1234' }], hoarder, t.tenants.globex.apiKey);
  }, 120_000);
  afterAll(() => t.close());

  test('a rare word finds an old memory beyond the newest; a word in every memory finds none of them', async () => {
    expect(await keyword('gym locker')).toEqual(['Dana keeps her gym locker code on a sticky note: 4417']);
    // A memory in a thread also holds the words of the one before it (at half weight).
    expect(await keyword('aquarium')).toEqual([
      'Dana: she works at the aquarium there',
      'Dana: they feed the otters at noon',
    ]);
    expect((await keyword('Ingrid'))[0]).toBe('Dana: my sister Ingrid moved to Trondheim');
    expect(await keyword('Ingrid')).toContain('Dana: she works at the aquarium there');
    // "Dana" is in all of them: it ranks the newest memories, and scores the old one it is in.
    const dana = await keyword('Dana');
    expect(dana).toHaveLength(5);
    expect(dana.every((content) => content.startsWith('Dana noted errand'))).toBe(true);
  });

  test('an update, a deletion and a restore of an old memory change what its words find', async () => {
    const updated = await t.request(UPDATE, {
      input: { externalUserId: hoarder, id: lockerId, content: 'Dana moved her swimming-pool locker code to 5521' },
    });
    expect(updated.data.updateMemory.__typename).toBe('Memory');
    expect(await keyword('swimming pool locker')).toEqual(['Dana moved her swimming-pool locker code to 5521']);
    expect(await keyword('gym sticky')).toEqual([]);

    await t.request(DELETE, { input: { externalUserId: hoarder, id: lockerId, reason: 'test' } });
    expect(await keyword('swimming pool locker')).toEqual([]);
    const restored = await t.request(
      `mutation($input: RestoreMemoryInput!) { restoreMemory(input: $input) { __typename ... on Memory { id } } }`,
      { input: { externalUserId: hoarder, id: lockerId } },
    );
    expect(restored.data.restoreMemory.__typename).toBe('Memory');
    expect(await keyword('swimming pool locker')).toEqual(['Dana moved her swimming-pool locker code to 5521']);
  });

  test("another end user and another tenant find only their own words; the table holds the user's words", async () => {
    expect(await keyword('gym locker', 'neighbour@example.com')).toEqual([
      'Dana keeps her gym locker code on a sticky note: 9021',
    ]);
    expect(await keyword('gym locker', hoarder, t.tenants.globex.apiKey)).toEqual([
      'Dana keeps her gym locker code on a sticky note: 1234',
    ]);
    const [row] = await t.db.prisma.$queryRaw<{ words: number; memories: number }[]>`
      SELECT count(*)::int AS words, count(DISTINCT memory_id)::int AS memories FROM memory_words
      WHERE tenant_id = ${t.tenants.acme.tenantId}::uuid AND external_user_id = ${hoarder}`;
    expect(row.memories).toBe(4 + Math.ceil((NEWEST_READ + 100) / 100) * 100);
    expect(row.words).toBeGreaterThan(row.memories * 3);
  });
});
