import { keywordCandidatesSql } from '../src/db/keywordSql.js';
import { calibrated, fuse } from '../src/memory/ranking.js';
import { DEFAULT_WEIGHTS } from '../src/memory/searchOptions.js';
import { ADD_MANY, SEARCH, untyped } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const hitsOf = (response: any): any[] => {
  expect(response.errors).toBeUndefined();
  return response.data.searchMemories.hits;
};
const contents = (response: any): string[] => hitsOf(response).map((hit) => hit.memory.content);

describe.each(databaseKinds)('search on %s', (kind) => {
  let t: TestGateway;
  const nora = 'nora@example.com';
  const facts = [
    'Nora flies to Osaka on flight JL 7083 next spring.',
    'Her passport number is X4471902.',
    'Nora is learning to play the cello.',
    'She adopted a grey cat called Pixel.',
    'Nora runs the Berlin marathon every September.',
    "Sofia's library card number is LIB-20931.",
  ];
  // A chat stored turn by turn: the speaker's name is in every memory, and the turns that answer
  // the question were stored first, under twenty later turns that also say "Jon" and "job".
  const jon = 'jon@example.com';
  const answer = 'Jon: Lost my job as a banker yesterday, the whole branch was closed.';
  const chatter = [
    'Jon: Ah ha ha, yeah, JUST DOING IT!',
    'Gina: Jon, that is amazing news, congrats!',
    'Jon: Thanks Gina, the studio is coming along nicely.',
    'Gina: How is the dance studio job search going, Jon?',
    'Jon: Good job on the competition, Gina!',
    ...Array.from({ length: 15 }, (_, i) => `Jon: Rehearsal number ${i + 1} went well, the kids loved it.`),
  ];

  const add = (user: string, memories: { content: string; occurredAt?: string }[], key?: string) =>
    t.request(ADD_MANY, { input: { externalUserId: user, memories } }, key);

  beforeAll(async () => {
    t = await startTestGateway(kind);
    expect(
      (
        await add(
          nora,
          facts.map((content) => ({ content })),
        )
      ).errors,
    ).toBeUndefined();
    expect(
      (await add(jon, [{ content: answer }, { content: 'Gina: I started my own dance studio last month.' }])).errors,
    ).toBeUndefined();
    expect(
      (
        await add(
          jon,
          chatter.map((content) => ({ content })),
        )
      ).errors,
    ).toBeUndefined();
    // The same words, for someone else: never in Nora's results.
    for (const [owner, key] of [
      ['other@example.com', undefined],
      [nora, t.tenants.globex.apiKey],
    ] as const) {
      await add(owner, [{ content: 'Passport X4471902 belongs to someone else.' }], key);
    }
  });
  afterAll(() => t.close());

  const search = (variables: Record<string, unknown>, user = nora) =>
    t.request(untyped(SEARCH), { user, ...variables });

  test('the default (HYBRID) finds the answer among turns that all repeat the speaker and the common words', async () => {
    const query = 'When did Jon lose his job as a banker?';
    for (const mode of [undefined, 'KEYWORD']) {
      const found = await search({ query, mode, limit: 3 }, jon);
      expect(contents(found)[0]).toBe(answer);
    }
    const [top] = hitsOf(await search({ query }, jon));
    expect(top.keywordScore).toBeGreaterThan(0.5);
    expect(top.semanticScore).toEqual(expect.any(Number));
  });

  test('KEYWORD is BM25 within the end user: a word in every memory weighs almost nothing, a rare one decides', async () => {
    const hits = hitsOf(await search({ query: 'Jon banker', mode: 'KEYWORD', limit: 50 }, jon));
    expect(hits[0].memory.content).toBe(answer);
    // "Jon" alone is in most memories: each match scores low.
    const jonOnly = hitsOf(await search({ query: 'Jon', mode: 'KEYWORD', limit: 50 }, jon));
    expect(jonOnly.length).toBeGreaterThan(15);
    expect(Math.max(...jonOnly.map((hit) => hit.keywordScore))).toBeLessThan(0.6);
    expect(hits[0].keywordScore).toBeGreaterThan(0.9);
    // Stemming: "running marathons" finds "runs the Berlin marathon"; stop words alone find nothing.
    expect(contents(await search({ query: 'running marathons', mode: 'KEYWORD' }))).toEqual([
      'Nora runs the Berlin marathon every September.',
    ]);
    expect(contents(await search({ query: 'the of and', mode: 'KEYWORD' }))).toEqual([]);
  });

  test('identifiers, codes and numbers match whole and by their digits', async () => {
    for (const query of ['LIB-20931', 'lib-20931', '20931', 'card LIB-20931?']) {
      expect(contents(await search({ query, mode: 'KEYWORD' }))[0]).toBe("Sofia's library card number is LIB-20931.");
    }
    expect(contents(await search({ query: 'X4471902', mode: 'KEYWORD' }))).toEqual([
      'Her passport number is X4471902.',
    ]);
    expect(contents(await search({ query: 'JL 7083', mode: 'KEYWORD' }))).toEqual([
      'Nora flies to Osaka on flight JL 7083 next spring.',
    ]);
    expect(contents(await search({ query: 'What is her passport number X4471902?' }))[0]).toBe(
      'Her passport number is X4471902.',
    );
  });

  test("another user's memories neither appear nor change the statistics of the ranking", async () => {
    const before = hitsOf(await search({ query: 'passport X4471902', mode: 'KEYWORD' }));
    // A neighbour (same tenant) who says "passport" in a hundred memories.
    await add(
      'neighbour@example.com',
      Array.from({ length: 100 }, (_, i) => ({ content: `Passport renewal reminder ${i}` })),
    );
    const after = hitsOf(await search({ query: 'passport X4471902', mode: 'KEYWORD' }));
    expect(after).toEqual(before);
    for (const mode of ['SEMANTIC', 'KEYWORD', 'HYBRID']) {
      const hits = hitsOf(await search({ query: 'passport X4471902', mode, limit: 50 }));
      expect(
        hits.every((hit) => hit.memory.externalUserId === nora && !hit.memory.content.includes('someone else')),
      ).toBe(true);
    }
  });

  test("BM25 reads the end user's words from the covering index, not from the rows", async () => {
    const sql = keywordCandidatesSql(
      { tenantId: t.tenants.acme.tenantId, externalUserId: jon },
      { text: 'banker', limit: 10 },
    );
    // With plain index scans priced out, the scope's words must come from an index-only scan.
    const plan = await t.db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_indexscan = off');
      await tx.$executeRawUnsafe('SET LOCAL enable_bitmapscan = off');
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      return tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${sql.text}`, ...sql.values);
    });
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/Index Only Scan using memories_search_words_idx/);
  });

  test('SEMANTIC ranks by meaning and reports cosine similarity', async () => {
    const hits = hitsOf(await search({ query: 'Which instrument is she studying?', mode: 'SEMANTIC' }));
    expect(hits[0].memory.content).toBe('Nora is learning to play the cello.');
    expect(hits).toHaveLength(facts.length);
    // The score is the cosine, calibrated to 0-1: ranked alike.
    for (const hit of hits) expect(hit.score).toBeCloseTo(calibrated('SEMANTIC', hit.semanticScore), 6);
    expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
    expect(hits.every((hit) => hit.keywordScore === null)).toBe(true);
  });

  test('HYBRID scores every candidate by both rankings: the cosine, plus the keyword share as far as the meaning agrees', async () => {
    const hits = hitsOf(await search({ query: 'Nora cello practice', limit: 50, weights: { entity: 0 } }));
    const agreement = (cosine: number) => Math.min(1, Math.max(0, (cosine - 0.1) / 0.5));
    for (const hit of hits) {
      expect(hit.semanticScore).toEqual(expect.any(Number));
      const evidence =
        Math.max(0, hit.semanticScore) + (hit.keywordScore ?? 0) * agreement(Math.max(0, hit.semanticScore));
      expect(hit.score).toBeCloseTo(calibrated('HYBRID', evidence), 6);
    }
    expect(hits[0].memory.content).toBe('Nora is learning to play the cello.');
    const weighted = hitsOf(
      await search({ query: 'Nora cello practice', weights: { semantic: 3, keyword: 1 }, limit: 50 }),
    );
    for (const hit of weighted)
      expect(hit.score).toBeCloseTo(
        calibrated('HYBRID', fuse(hit, { ...DEFAULT_WEIGHTS, semantic: 3, keyword: 1 })),
        6,
      );
  });

  test('weights at 0 reduce HYBRID to either ranking', async () => {
    const query = 'grey cat Pixel';
    const keywordOnly = contents(await search({ query, weights: { semantic: 0, keyword: 1 } })).slice(0, 1);
    expect(keywordOnly).toEqual(contents(await search({ query, mode: 'KEYWORD' })).slice(0, 1));
    const semanticOnly = contents(
      await search({ query: 'Which instrument is she studying?', weights: { semantic: 1, keyword: 0 } }),
    );
    expect(semanticOnly).toEqual(
      contents(await search({ query: 'Which instrument is she studying?', mode: 'SEMANTIC' })),
    );
  });

  test('scores are calibrated from 0 to 1, so the documented minScore of 0.5 drops what is unrelated', async () => {
    const unrelated = hitsOf(await search({ query: 'What is the capital of Peru?' }));
    expect(Math.max(...unrelated.map((hit) => hit.score))).toBeLessThan(0.5);
    expect(hitsOf(await search({ query: 'What is the capital of Peru?', minScore: 0.5 }))).toEqual([]);
    const related = hitsOf(await search({ query: 'Where does Nora fly next spring?', minScore: 0.5 }));
    expect(related.map((hit) => hit.memory.content)).toContain('Nora flies to Osaka on flight JL 7083 next spring.');
    expect(related.every((hit) => hit.score >= 0.5 && hit.score <= 1)).toBe(true);
  });

  test('filters apply in every mode', async () => {
    for (const mode of ['SEMANTIC', 'KEYWORD', 'HYBRID']) {
      expect(hitsOf(await search({ query: 'passport X4471902', mode, filter: { tags: ['travel'] } }))).toEqual([]);
    }
  });

  test.each([
    [{ weights: { semantic: -1 } }, 'weights.semantic'],
    [{ weights: { semantic: 0, keyword: 0, entity: 0 } }, 'weights'],
    [{ recencyHalfLifeDays: 0 }, 'recencyHalfLifeDays'],
    [{ minScore: 2 }, 'minScore'],
  ])('bad tuning %j is a ValidationError', async (variables, field) => {
    const refused = await search({ query: 'cello', ...variables });
    expect(refused.data.searchMemories).toMatchObject({ __typename: 'ValidationError', field });
  });
});
