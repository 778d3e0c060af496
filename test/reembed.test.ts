import { reembedMemories } from '../src/db/reembed.js';
import { CoalescingEmbedder } from '../src/embeddings/coalescing.js';
import { OpenAICompatibleEmbedder } from '../src/embeddings/openaiCompatible.js';
import { ADD, ADD_MANY, SEARCH, untyped } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { FakeEmbeddings } from './support/fakeEmbeddings.js';
import { localEmbedder, startTestGateway, type TestGateway } from './support/gateway.js';

const provider = new FakeEmbeddings(48);
beforeAll(() => provider.start());
afterAll(() => provider.stop());

function remoteEmbedder(maxRetries = 0) {
  const model = new OpenAICompatibleEmbedder(
    { url: provider.url, model: 'fake-embed', batchSize: 2, timeoutMs: 1000, maxRetries },
    5,
  );
  return new CoalescingEmbedder(model, { maxBatchSize: 2, maxConcurrency: 2 });
}

describe.each(databaseKinds)('switching embedding models on %s', (kind) => {
  let t: TestGateway;
  const alice = [
    'Alice keeps bees on her roof',
    'Alice drives an old blue tractor',
    'Alice bakes sourdough bread',
    'Alice speaks Finnish',
  ];
  beforeAll(async () => {
    t = await startTestGateway(kind);
    await t.request(ADD_MANY, {
      input: { externalUserId: 'alice@example.com', memories: alice.map((content) => ({ content })) },
    });
    await t.request(
      ADD,
      { input: { externalUserId: 'alice@example.com', content: 'Globex Alice keeps goats' } },
      t.tenants.globex.apiKey,
    );
  });
  afterAll(() => {
    t.services.embedder = localEmbedder();
    return t.close();
  });

  const modelsOf = async (tenantId: string) =>
    (
      await t.db.prisma.$queryRaw<{ model: string; n: number }[]>`
        SELECT embedding_model AS model, count(*)::int AS n FROM memories WHERE tenant_id = ${tenantId}::uuid GROUP BY 1 ORDER BY 1`
    ).map(({ model, n }) => `${model}:${n}`);
  const search = (query: string, mode: string) =>
    t.request(untyped(SEARCH), { user: 'alice@example.com', query, mode });
  const contents = (response: any): string[] => response.data.searchMemories.hits.map((hit: any) => hit.memory.content);

  test('after the switch, semantic search never compares vectors of the old model; keyword search still works', async () => {
    t.services.embedder = remoteEmbedder();
    const semantic = await search('Who keeps bees?', 'SEMANTIC');
    expect(semantic.data.searchMemories).toMatchObject({ embeddingModel: 'fake-embed', hits: [] });
    expect(contents(await search('bees', 'KEYWORD'))).toEqual(['Alice keeps bees on her roof']);
    // HYBRID still finds old memories by their words, with no cosine from the other model.
    const hybrid = (await search('Does she speak Finnish?', 'HYBRID')).data.searchMemories.hits;
    expect(hybrid).toEqual([
      expect.objectContaining({
        semanticScore: null,
        keywordScore: expect.any(Number),
        memory: expect.objectContaining({ content: 'Alice speaks Finnish' }),
      }),
    ]);

    const added = await t.request(ADD, {
      input: { externalUserId: 'alice@example.com', content: 'Alice grows tomatoes' },
    });
    expect(added.data.addMemory.memory.embeddingModel).toBe('fake-embed');
    expect(contents(await search('tomatoes', 'SEMANTIC'))).toEqual(['Alice grows tomatoes']);
  });

  test('reembed converts one tenant, resumes after a provider failure, and leaves other tenants alone', async () => {
    provider.fail({ delayMs: 0 }, { status: 503 }); // the second batch fails (no retries here)
    const progress: number[] = [];
    await expect(
      reembedMemories(t.db.prisma, remoteEmbedder(), {
        tenantId: t.tenants.acme.tenantId,
        batchSize: 2,
        onProgress: (p) => progress.push(p.done),
      }),
    ).rejects.toThrow(/answered 503/);
    expect(progress).toEqual([2]);
    expect(await modelsOf(t.tenants.acme.tenantId)).toEqual(['fake-embed:3', 'use-lite-512:2']);

    provider.requests.length = 0;
    const summary = await reembedMemories(t.db.prisma, remoteEmbedder(), {
      tenantId: t.tenants.acme.tenantId,
      batchSize: 2,
    });
    expect(summary).toEqual({ model: 'fake-embed', reembedded: 2, skipped: 0 });
    expect(provider.requests.flatMap((request) => request.body.input)).toHaveLength(2); // only what was left
    expect(await modelsOf(t.tenants.acme.tenantId)).toEqual(['fake-embed:5']);
    expect(await modelsOf(t.tenants.globex.tenantId)).toEqual(['use-lite-512:1']);

    const found = await search('Which bread does Alice bake?', 'SEMANTIC');
    expect(contents(found)[0]).toBe('Alice bakes sourdough bread');
    expect(found.data.searchMemories.hits).toHaveLength(5);
    expect(await reembedMemories(t.db.prisma, remoteEmbedder(), {})).toEqual({
      model: 'fake-embed',
      reembedded: 1,
      skipped: 0,
    });
  });

  test('a memory restored after the switch gets a vector of the active model', async () => {
    t.services.embedder = localEmbedder();
    const added = await t.request(ADD, { input: { externalUserId: 'bob', content: 'Bob repairs clocks' } });
    const id = added.data.addMemory.memory.id;
    await t.request(`mutation { deleteMemory(input: { externalUserId: "bob", id: "${id}" }) { __typename } }`);
    t.services.embedder = remoteEmbedder();
    const restored = await t.request(
      `mutation { restoreMemory(input: { externalUserId: "bob", id: "${id}" }) { ... on Memory { embeddingModel } } }`,
    );
    expect(restored.data.restoreMemory.embeddingModel).toBe('fake-embed');
  });

  test('when the provider is down, writes fail with EMBEDDING_UNAVAILABLE and change nothing', async () => {
    t.services.embedder = remoteEmbedder(1);
    const before = await t.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT (SELECT count(*) FROM memories) + (SELECT count(*) FROM end_users) + (SELECT count(*) FROM idempotency_keys) + (SELECT count(*) FROM memory_events) AS n`;
    provider.fail({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    const refused = await t.request(
      `mutation { addMemory(input: { externalUserId: "carol", content: "Carol sings", idempotencyKey: "k1" }) { __typename ... on Error { code message } } }`,
    );
    expect(refused.data.addMemory).toMatchObject({
      __typename: 'EmbeddingUnavailableError',
      code: 'EMBEDDING_UNAVAILABLE',
    });
    expect(refused.data.addMemory.message).toMatch(/answered 503/);
    const searchRefused = await t.request(`{ searchMemories(externalUserId: "carol", query: "songs") { __typename } }`);
    expect(searchRefused.data.searchMemories.__typename).toBe('EmbeddingUnavailableError');
    const after = await t.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT (SELECT count(*) FROM memories) + (SELECT count(*) FROM end_users) + (SELECT count(*) FROM idempotency_keys) + (SELECT count(*) FROM memory_events) AS n`;
    expect(after).toEqual(before);
    // Keyword search needs no model at all.
    const keyword = await t.request(
      `{ searchMemories(externalUserId: "alice@example.com", query: "bees", mode: KEYWORD) { __typename } }`,
    );
    expect(keyword.data.searchMemories.__typename).toBe('MemorySearch');
  });
});
