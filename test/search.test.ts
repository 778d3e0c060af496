import { exactTerms } from '../src/memory/queryTerms.js';
import { ADD_MANY, SEARCH } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const contents = (response: any): string[] => response.data.searchMemories.hits.map((hit: any) => hit.memory.content);

test('exact terms are numbers, codes and capitalised names after the first word', () => {
  expect(exactTerms('What is LIB-20931 and who is Ama Owusu?')).toEqual(['LIB-20931', 'Ama', 'Owusu']);
  expect(exactTerms('What happens on 14 June 2025?')).toEqual(['14', 'June', '2025']);
  expect(exactTerms('Where does she like to travel?')).toEqual([]);
  expect(exactTerms('mail bob@example.com about the Zürich trip')).toEqual(['bob@example.com', 'Zürich']);
});

describe.each(databaseKinds)('search modes on %s', (kind) => {
  let t: TestGateway;
  const user = 'nora@example.com';
  const facts = [
    'Nora flies to Osaka on flight JL 7083 next spring.',
    'Her passport number is X4471902.',
    'Nora is learning to play the cello.',
    'She adopted a grey cat called Pixel.',
    'Nora runs the Berlin marathon every September.',
  ];

  beforeAll(async () => {
    t = await startTestGateway(kind);
    const added = await t.request(ADD_MANY, { input: { externalUserId: user, memories: facts.map((content) => ({ content })) } });
    expect(added.errors).toBeUndefined();
    // The same words, for someone else: never in Nora's results.
    for (const [owner, key] of [['other@example.com', undefined], [user, t.tenants.globex.apiKey]] as const) {
      await t.request(ADD_MANY, { input: { externalUserId: owner, memories: [{ content: 'Passport X4471902 belongs to someone else.' }] } }, key);
    }
  });
  afterAll(() => t.close());

  const search = (variables: Record<string, unknown>) => t.request(SEARCH, { user, ...variables });

  test('KEYWORD finds the memories sharing the query words, with stemming, best first', async () => {
    const found = await search({ query: 'passport X4471902', mode: 'KEYWORD' });
    expect(found.data.searchMemories.mode).toBe('KEYWORD');
    expect(contents(found)).toEqual(['Her passport number is X4471902.']);
    const hit = found.data.searchMemories.hits[0];
    expect(hit.keywordScore).toBeGreaterThan(0);
    expect(hit.keywordScore).toBeLessThan(1);
    expect(hit.semanticScore).toBeNull();
    expect(hit.score).toBe(hit.keywordScore);

    // "running" and "marathons" stem to the words of the memory; any shared word is enough.
    expect(contents(await search({ query: 'running marathons', mode: 'KEYWORD' }))).toEqual(['Nora runs the Berlin marathon every September.']);
    expect(contents(await search({ query: 'cats or cellos?', mode: 'KEYWORD' })).sort()).toEqual(
      ['Nora is learning to play the cello.', 'She adopted a grey cat called Pixel.'].sort(),
    );
    expect(contents(await search({ query: 'the of and', mode: 'KEYWORD' }))).toEqual([]);
  });

  test('SEMANTIC ranks by meaning and reports cosine similarity', async () => {
    const found = await search({ query: 'Which instrument is she studying?', mode: 'SEMANTIC' });
    expect(contents(found)[0]).toBe('Nora is learning to play the cello.');
    expect(found.data.searchMemories.hits).toHaveLength(facts.length);
    const hit = found.data.searchMemories.hits[0];
    expect(hit.score).toBe(hit.semanticScore);
    expect(hit.keywordScore).toBeNull();
  });

  test('HYBRID is the default and fuses both rankings; 1.0 means first in both', async () => {
    const found = await search({ query: 'What is her passport number X4471902?' });
    expect(found.data.searchMemories.mode).toBe('HYBRID');
    const [top, ...rest] = found.data.searchMemories.hits;
    expect(top.memory.content).toBe('Her passport number is X4471902.');
    expect(top.keywordScore).toBeGreaterThan(0);
    expect(top.semanticScore).toEqual(expect.any(Number));
    expect(top.score).toBeCloseTo(1, 6);
    expect(rest.every((hit: any) => hit.score < top.score && hit.keywordScore === null)).toBe(true);
    expect(found.data.searchMemories.hits.every((hit: any) => hit.memory.externalUserId === user)).toBe(true);
    expect(contents(found).filter((content) => content.includes('someone else'))).toEqual([]);
  });

  test('HYBRID without exact terms in the query ranks by meaning alone', async () => {
    const query = 'Which instrument is she studying?';
    const hybrid = (await search({ query })).data.searchMemories.hits;
    expect(contents({ data: { searchMemories: { hits: hybrid } } })).toEqual(contents(await search({ query, mode: 'SEMANTIC' })));
    expect(hybrid[0].score).toBeCloseTo(1, 6);
    expect(hybrid.every((hit: any) => hit.keywordScore === null)).toBe(true);
  });

  test('weights steer the fusion: keyword only equals the keyword ranking', async () => {
    const keywordOnly = await search({ query: 'grey cat Pixel', weights: { semantic: 0, keyword: 1 }, limit: 1 });
    expect(contents(keywordOnly)).toEqual(['She adopted a grey cat called Pixel.']);
    const semanticOnly = await search({ query: 'Which instrument is she studying?', weights: { semantic: 1, keyword: 0 } });
    expect(contents(semanticOnly)).toEqual(contents(await search({ query: 'Which instrument is she studying?', mode: 'SEMANTIC' })));
  });

  test('recency half-life favours recently updated memories', async () => {
    const query = 'Nora';
    const before = contents(await search({ query, mode: 'KEYWORD' }));
    const stale = before[0];
    await t.db.prisma.$executeRaw`UPDATE memories SET updated_at = now() - interval '60 days' WHERE content = ${stale}`;
    const weighted = await search({ query, mode: 'KEYWORD', recencyHalfLifeDays: 30 });
    const hits = weighted.data.searchMemories.hits;
    expect(hits.at(-1).memory.content).toBe(stale);
    expect(hits.at(-1).score).toBeCloseTo(hits.at(-1).keywordScore / 4, 6);
  });

  test('minScore applies to the final score of the mode', async () => {
    const all = (await search({ query: 'Which instrument is she studying?', mode: 'HYBRID' })).data.searchMemories.hits;
    const threshold = all[1].score;
    const strict = await search({ query: 'Which instrument is she studying?', mode: 'HYBRID', minScore: threshold });
    expect(strict.data.searchMemories.hits.map((hit: any) => hit.score)).toEqual(all.filter((hit: any) => hit.score >= threshold).map((hit: any) => hit.score));
  });

  test('filters apply in every mode', async () => {
    for (const mode of ['SEMANTIC', 'KEYWORD', 'HYBRID']) {
      const filtered = await search({ query: 'passport X4471902', mode, filter: { tags: ['travel'] } });
      expect(filtered.data.searchMemories.hits).toEqual([]);
    }
  });

  test.each([
    [{ weights: { semantic: -1 } }, 'weights.semantic'],
    [{ weights: { semantic: 0, keyword: 0 } }, 'weights'],
    [{ recencyHalfLifeDays: 0 }, 'recencyHalfLifeDays'],
    [{ minScore: 2 }, 'minScore'],
  ])('bad tuning %j is a ValidationError', async (variables, field) => {
    const refused = await search({ query: 'cello', ...variables });
    expect(refused.data.searchMemories).toMatchObject({ __typename: 'ValidationError', field });
  });
});
