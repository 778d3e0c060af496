import { startTestGateway, type TestGateway } from './support/gateway.js';

const ADD_MANY = `mutation($input: AddMemoriesInput!) { addMemories(input: $input) { __typename } }`;
const SEARCH = `query($user: String!, $query: String!, $mode: SearchMode) {
  searchMemories(externalUserId: $user, query: $query, mode: $mode) {
    ... on MemorySearch { hits { score memory { content } } }
  }
}`;

// The order is decided in the gateway, after the database's candidates: one database shows it.
describe('a newer fact that changes an older one comes first', () => {
  let t: TestGateway;
  const add = (user: string, memories: [string, string][]) =>
    t.request(ADD_MANY, {
      input: { externalUserId: user, memories: memories.map(([content, occurredAt]) => ({ content, occurredAt })) },
    });
  const first = async (user: string, query: string, mode = 'HYBRID') =>
    (await t.request(SEARCH, { user, query, mode })).data.searchMemories.hits.map((h: any) => h.memory.content);

  beforeAll(async () => {
    t = await startTestGateway('pglite');
  });
  afterAll(() => t.close());

  test('the change is ranked above the fact it changes when it scores near it, and keeps a score at least as high', async () => {
    await add('hal', [
      ['Drives a Honda Civic', '2017-01-01T00:00:00Z'],
      ['Replaced the Civic with a Toyota RAV4 hybrid', '2025-12-06T00:00:00Z'],
      ['Shovels the snow for his elderly neighbour', '2022-12-01T00:00:00Z'],
    ]);
    for (const mode of ['HYBRID', 'SEMANTIC']) {
      const hits = (await t.request(SEARCH, { user: 'hal', query: 'What car does he drive? Civic', mode })).data
        .searchMemories.hits;
      expect(hits.slice(0, 2).map((h: any) => h.memory.content)).toEqual([
        'Replaced the Civic with a Toyota RAV4 hybrid',
        'Drives a Honda Civic',
      ]);
      expect(hits[0].score).toBeGreaterThanOrEqual(hits[1].score);
    }
    // By words alone the change scores far below the old fact (it shares only "Civic"): not a near tie.
    expect((await first('hal', 'What car does he drive? Civic', 'KEYWORD'))[0]).toBe('Drives a Honda Civic');
  });

  test('not when the newer memory says no change, is about something else, or is the older one', async () => {
    await add('ivy', [
      ['Drinks a flat white every morning', '2019-01-01T00:00:00Z'],
      ['Bought a new mug for her morning flat white', '2026-02-10T00:00:00Z'],
      ['Sold her old bicycle', '2026-03-01T00:00:00Z'],
    ]);
    expect((await first('ivy', 'What does she drink in the morning?'))[0]).toBe('Drinks a flat white every morning');
    await add('jon', [
      ['Quit smoking with nicotine patches', '2015-01-01T00:00:00Z'],
      ['Smokes about ten cigarettes a day', '2025-09-01T00:00:00Z'],
    ]);
    // The quitting is the older fact here: nothing moves it up.
    expect((await first('jon', 'How many cigarettes does he smoke a day?'))[0]).toBe(
      'Smokes about ten cigarettes a day',
    );
    // In a conversation's turns, "sold" tells what happened: the turns keep their order.
    await t.request(ADD_MANY, {
      input: {
        externalUserId: 'kim',
        memories: [
          { content: 'Kim: We stock a first edition of the Atwood novel', occurredAt: '2024-01-01T00:00:00Z' },
          { content: 'Kim: The weather is lovely', occurredAt: '2024-03-01T00:00:00Z' },
          { content: 'Kim: Sold a paperback Atwood today', occurredAt: '2024-05-01T00:00:00Z' },
        ].map((turn) => ({ ...turn, threadId: 'shop-chat' })),
      },
    });
    expect((await first('kim', 'Which first edition of Atwood do they stock?'))[0]).toBe(
      'Kim: We stock a first edition of the Atwood novel',
    );
  });
});
