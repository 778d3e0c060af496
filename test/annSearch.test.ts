import { annIndexName, createAnnIndex } from '../src/db/annIndex.js';
import { APPROXIMATE_SEARCH_SETTINGS, hybridCandidatesSql, semanticCandidatesSql } from '../src/db/memorySql.js';
import { textParameters } from '../src/db/vectorParameter.js';
import { SyntheticEmbedder, syntheticVector } from '../bench/synthetic.js';
import { ADD_MANY, SEARCH } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const ids = (response: any): string[] => response.data.searchMemories.hits.map((hit: any) => hit.memory.id);

describe.each(databaseKinds)('approximate search with an HNSW index on %s', (kind) => {
  let t: TestGateway;
  const queries = Array.from({ length: 8 }, (_, i) => `question ${i}`);
  let exact: string[][] = [];

  beforeAll(async () => {
    t = await startTestGateway(kind, { embedder: new SyntheticEmbedder() });
    for (const [key, count] of [
      [t.tenants.acme.apiKey, 300],
      [t.tenants.globex.apiKey, 100],
    ] as const) {
      for (let batch = 0; batch < count / 100; batch++) {
        const memories = Array.from({ length: 100 }, (_, i) => ({ content: `fact ${batch * 100 + i}` }));
        const added = await t.request(ADD_MANY, { input: { externalUserId: 'alice', memories } }, key);
        expect(added.data.addMemories.__typename).toBe('AddedMemories');
      }
    }
    exact = [];
    for (const query of queries) exact.push(ids(await t.request(SEARCH, { user: 'alice', query, mode: 'SEMANTIC' })));
  });
  afterAll(() => t.close());

  // On Citus the setting must reach the worker that plans the shard's query (a placeholder elsewhere).
  const PRICE_SORTING_OUT = ["SET LOCAL citus.propagate_set_commands = 'local'", 'SET LOCAL enable_sort = off'];

  test('the query shape is one the index can serve', async () => {
    await createAnnIndex(t.db, 'use-lite-512', 512);
    const sql = semanticCandidatesSql(
      { tenantId: t.tenants.acme.tenantId, externalUserId: 'alice' },
      {
        embedding: Array.from(syntheticVector('q', 512)),
        embeddingModel: 'use-lite-512',
        limit: 10,
        approximate: true,
      },
    );
    // With sorting priced out, the only way to order by distance is the HNSW index.
    const plan = await t.db.prisma.$transaction(async (tx) => {
      for (const statement of PRICE_SORTING_OUT) await tx.$executeRawUnsafe(statement);
      return tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${sql.text}`, ...textParameters(sql.values));
    });
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain(annIndexName('use-lite-512', 512));
    // HYBRID's nearest neighbours take the same index.
    const hybrid = hybridCandidatesSql(
      { tenantId: t.tenants.acme.tenantId, externalUserId: 'alice' },
      {
        embedding: Array.from(syntheticVector('q', 512)),
        embeddingModel: 'use-lite-512',
        text: 'fact',
        entityKeys: [],
        limit: 10,
        approximate: true,
      },
    );
    const hybridPlan = await t.db.prisma.$transaction(async (tx) => {
      for (const statement of PRICE_SORTING_OUT) await tx.$executeRawUnsafe(statement);
      return tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${hybrid.text}`, ...textParameters(hybrid.values));
    });
    expect(hybridPlan.map((row) => row['QUERY PLAN']).join('\n')).toContain(annIndexName('use-lite-512', 512));
  });

  test('once the index is known, searches stay within the user and find the same neighbours', async () => {
    await t.services.annIndexes!.refresh();
    expect(t.services.annIndexes!.has('use-lite-512', 512)).toBe(true);
    let found = 0;
    for (const [i, query] of queries.entries()) {
      const approximate = await t.request(SEARCH, { user: 'alice', query, mode: 'SEMANTIC' });
      const hits = approximate.data.searchMemories.hits;
      expect(hits).toHaveLength(10);
      expect(
        hits.every((hit: any) => hit.memory.externalUserId === 'alice' && /^fact \d+$/.test(hit.memory.content)),
      ).toBe(true);
      // Scores stay cosine similarities, best first.
      expect(hits.map((hit: any) => hit.score)).toEqual([...hits.map((hit: any) => hit.score)].sort((a, b) => b - a));
      found += ids(approximate).filter((id) => exact[i].includes(id)).length;
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.9);
    // globex's alice has her own 100 memories; acme's search never returns them.
    const globexIds = new Set(
      ids(
        await t.request(
          SEARCH,
          { user: 'alice', query: 'question 0', mode: 'SEMANTIC', limit: 50 },
          t.tenants.globex.apiKey,
        ),
      ),
    );
    for (const query of queries) {
      expect(
        ids(await t.request(SEARCH, { user: 'alice', query, mode: 'SEMANTIC', limit: 50 })).filter((id) =>
          globexIds.has(id),
        ),
      ).toEqual([]);
    }
  });

  test('the settings it needs are refused unless they are plain names and values', async () => {
    const { setLocalSql } = await import('../src/db/scope.js');
    expect(setLocalSql(APPROXIMATE_SEARCH_SETTINGS)).toContain('SET LOCAL hnsw.iterative_scan = relaxed_order;');
    expect(() => setLocalSql({ 'x; DROP TABLE memories': 'on' })).toThrow(/refused/);
    expect(() => setLocalSql({ work_mem: "1'; DROP" })).toThrow(/refused/);
  });
});
