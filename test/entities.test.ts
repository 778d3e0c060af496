import { backfillEntities } from '../src/db/entityBackfill.js';
import { enterScope } from '../src/db/scope.js';
import { extractEntities, queryEntityKeys } from '../src/memory/entities.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const ADD_MANY = `mutation($input: AddMemoriesInput!) {
  addMemories(input: $input) { __typename ... on AddedMemories { results { memory { id entities { name type } } } } }
}`;
const ENTITIES = `query($user: String!, $query: String, $type: EntityType, $first: Int, $after: String) {
  entities(externalUserId: $user, query: $query, type: $type, first: $first, after: $after) {
    __typename
    ... on EntityConnection { edges { node { id name type aliases memoryCount } } pageInfo { hasNextPage endCursor } }
    ... on ValidationError { field message }
  }
}`;
const ENTITY = `query($user: String!, $id: ID!) {
  entity(externalUserId: $user, id: $id) {
    __typename
    ... on Entity { name externalUserId memories { content } }
    ... on Error { code }
  }
}`;
const WEIGHED = `query($user: String!, $query: String!, $weights: HybridWeights) {
  searchMemories(externalUserId: $user, query: $query, weights: $weights) {
    ... on MemorySearch { hits { score memory { content } } }
  }
}`;
const SEARCH = `query($user: String!, $query: String!) {
  searchMemories(externalUserId: $user, query: $query, limit: 5) {
    ... on MemorySearch { hits { entityScore memory { content } } }
  }
}`;

describe('the offline entity extractor', () => {
  test('a speaker, names of several words, kin; not the words that open a sentence', () => {
    const found = extractEntities(
      'Maya: Thanks! I start at the Monterey Bay Aquarium in May. My mum visited Lisbon with Ji-woo. Perfect.',
    );
    expect(found.filter((e) => !e.weak).map((e) => [e.name, e.type])).toEqual([
      ['Maya', 'PERSON'],
      ['Monterey Bay Aquarium', 'ORGANIZATION'],
      ['mother', 'PERSON'],
      ['Lisbon', 'PLACE'],
      ['Ji-woo', 'PERSON'],
    ]);
    expect(found.find((e) => e.name === 'mother')?.aliases).toEqual(['My mum']);
    // "Perfect" opens a sentence of a chat turn: it may only link to an entity already known.
    expect(found.filter((e) => e.weak).map((e) => e.key)).toEqual(['perfect']);
    expect(extractEntities('Rosa plays the cello.').map((e) => [e.key, e.weak])).toEqual([['rosa', false]]);
  });

  test('a query names entities whatever its case, kin by their relation', () => {
    const keys = queryEntityKeys("what did ji-woo say about leo's MUM?");
    expect(keys).toEqual(expect.arrayContaining(['ji-woo', 'leo', 'mother']));
    expect(keys).not.toContain('what');
  });
});

describe.each(databaseKinds)('entities on %s', (kind) => {
  let t: TestGateway;
  const alice = 'alice@example.com';
  let entityId = '';

  beforeAll(async () => {
    t = await startTestGateway(kind);
    const added = await t.request(ADD_MANY, {
      input: {
        externalUserId: alice,
        memories: [
          { content: 'Alice adopted a dog named Pepper from the Portland Humane Society.' },
          { content: 'Pepper is scared of thunderstorms.' },
          { content: 'Alice moved to Lisbon in March.' },
          { content: 'Alice drinks green tea every morning.' },
        ],
      },
    });
    expect(added.data.addMemories.results[0].memory.entities).toEqual([
      { name: 'Alice', type: 'OTHER' },
      { name: 'Pepper', type: 'PET' },
      { name: 'Portland Humane Society', type: 'ORGANIZATION' },
    ]);
    // Another end user and another tenant name the same things.
    await t.request(ADD_MANY, {
      input: { externalUserId: 'bob@example.com', memories: [{ content: 'Bob met Pepper in Lisbon.' }] },
    });
    await t.request(
      ADD_MANY,
      { input: { externalUserId: alice, memories: [{ content: 'Globex Alice owns Pepper Corp.' }] } },
      t.tenants.globex.apiKey,
    );
    const listed = await t.request(ENTITIES, { user: alice, query: 'pepper' });
    entityId = listed.data.entities.edges[0].node.id;
  });
  afterAll(() => t.close());

  test('entities are listed by name with their live memories, filtered and paged', async () => {
    const all = await t.request(ENTITIES, { user: alice });
    expect(all.data.entities.edges.map((edge: any) => [edge.node.name, edge.node.memoryCount])).toEqual([
      ['Alice', 3],
      ['Lisbon', 1],
      ['Pepper', 2],
      ['Portland Humane Society', 1],
    ]);
    const places = await t.request(ENTITIES, { user: alice, type: 'PLACE' });
    expect(places.data.entities.edges.map((edge: any) => edge.node.name)).toEqual(['Lisbon']);
    const first = await t.request(ENTITIES, { user: alice, first: 2 });
    expect(first.data.entities.pageInfo.hasNextPage).toBe(true);
    const next = await t.request(ENTITIES, { user: alice, first: 2, after: first.data.entities.pageInfo.endCursor });
    expect(next.data.entities.edges.map((edge: any) => edge.node.name)).toEqual(['Pepper', 'Portland Humane Society']);
    expect(next.data.entities.pageInfo.hasNextPage).toBe(false);
    const bad = await t.request(ENTITIES, { user: alice, after: 'not-a-cursor' });
    expect(bad.data.entities).toMatchObject({ __typename: 'ValidationError', field: 'after' });
  });

  test('an entity shows the memories that name it', async () => {
    const { data } = await t.request(ENTITY, { user: alice, id: entityId });
    expect(data.entity.name).toBe('Pepper');
    expect(data.entity.memories.map((m: any) => m.content).sort()).toEqual([
      'Alice adopted a dog named Pepper from the Portland Humane Society.',
      'Pepper is scared of thunderstorms.',
    ]);
  });

  test('another end user and another tenant see none of it', async () => {
    for (const [user, key, own] of [
      ['bob@example.com', undefined, ['Bob', 'Lisbon', 'Pepper']],
      [alice, t.tenants.globex.apiKey, ['Globex Alice', 'Pepper Corp']],
    ] as const) {
      expect((await t.request(ENTITY, { user, id: entityId }, key)).data.entity).toEqual({
        __typename: 'NotFoundError',
        code: 'NOT_FOUND',
      });
      const names = (await t.request(ENTITIES, { user }, key)).data.entities.edges.map((edge: any) => edge.node.name);
      expect(names).toEqual(own);
    }
    // The rows themselves, without the gateway: row-level security shows none of alice's to bob's scope.
    const rows = await t.db.prisma.$transaction(async (tx) => {
      await enterScope(tx, { tenantId: t.tenants.acme.tenantId, externalUserId: 'bob@example.com' });
      const names = await tx.$queryRaw<{ name: string }[]>`SELECT name FROM entities ORDER BY name`;
      const links = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM memory_entities`;
      return { names: names.map((row) => row.name), links: links[0].n };
    });
    expect(rows).toEqual({ names: ['Bob', 'Lisbon', 'Pepper'], links: 3 });
  });

  test('a search that names an entity lifts the memories linked to it', async () => {
    const { data } = await t.request(SEARCH, { user: alice, query: 'how is pepper doing?' });
    const linked = data.searchMemories.hits.filter((hit: any) => hit.entityScore !== null);
    expect(linked.map((hit: any) => hit.memory.content).sort()).toEqual([
      'Alice adopted a dog named Pepper from the Portland Humane Society.',
      'Pepper is scared of thunderstorms.',
    ]);
    expect(data.searchMemories.hits[0].entityScore).not.toBeNull();
    // Without the entity weight the same memories score lower.
    const scoreOf = async (weights: Record<string, number>) =>
      (await t.request(WEIGHED, { user: alice, query: 'how is pepper doing?', weights })).data.searchMemories.hits.find(
        (hit: any) => hit.memory.content.startsWith('Alice adopted'),
      ).score;
    expect(await scoreOf({ entity: 1 })).toBeGreaterThan(await scoreOf({ entity: 0 }));
  });

  test('the ways an entity is written become its aliases, each once', async () => {
    const user = 'dora@example.com';
    for (const content of ['My mum grows tomatoes.', 'Dora called my mom on Sunday.', 'My mum and my Mum.'])
      await t.request(ADD_MANY, { input: { externalUserId: user, memories: [{ content }] } });
    const listed = await t.request(ENTITIES, { user, query: 'mother' });
    expect(listed.data.entities.edges.map((edge: any) => edge.node)).toMatchObject([
      { name: 'mother', type: 'PERSON', aliases: ['My mum', 'my mom', 'my Mum'], memoryCount: 3 },
    ]);
  });

  test('a deleted memory no longer shows its entities; a changed content links anew', async () => {
    const user = 'carol@example.com';
    const added = await t.request(ADD_MANY, {
      input: { externalUserId: user, memories: [{ content: 'Carol works at Initech.' }] },
    });
    const id = added.data.addMemories.results[0].memory.id;
    const names = async () =>
      (await t.request(ENTITIES, { user })).data.entities.edges.map((edge: any) => edge.node.name);
    expect(await names()).toEqual(['Carol', 'Initech']);
    await t.request(
      `mutation($id: ID!) { updateMemory(input: { externalUserId: "${user}", id: $id, content: "Carol works at Globex Bank." }) { __typename } }`,
      { id },
    );
    expect(await names()).toEqual(['Carol', 'Globex Bank']);
    await t.request(
      `mutation($id: ID!) { deleteMemory(input: { externalUserId: "${user}", id: $id }) { __typename } }`,
      { id },
    );
    expect(await names()).toEqual([]);
    await t.request(
      `mutation($id: ID!) { restoreMemory(input: { externalUserId: "${user}", id: $id }) { __typename } }`,
      { id },
    );
    expect(await names()).toEqual(['Carol', 'Globex Bank']);
  });

  test('memories stored before entities were read get them from the backfill (memgate entities), one tenant at a time', async () => {
    const user = 'erin@example.com';
    await t.request(ADD_MANY, {
      input: {
        externalUserId: user,
        memories: [{ content: 'Erin sails to Madeira.' }, { content: 'it rained all week' }],
      },
    });
    const { tenantId } = t.tenants.acme;
    // As an older version left them: no entity read.
    await t.db.prisma
      .$executeRaw`DELETE FROM memory_entities WHERE tenant_id = ${tenantId}::uuid AND external_user_id = ${user}`;
    await t.db.prisma
      .$executeRaw`DELETE FROM entities WHERE tenant_id = ${tenantId}::uuid AND external_user_id = ${user}`;
    const names = async () =>
      (await t.request(ENTITIES, { user })).data.entities.edges.map((edge: any) => edge.node.name);
    expect(await names()).toEqual([]);
    const progress: number[] = [];
    const first = await backfillEntities(t.db.prisma, extractEntities, {
      tenantId,
      batchSize: 1,
      onProgress: ({ done }) => progress.push(done),
    });
    expect(first.linked).toBe(1);
    expect(first.read).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)).toBe(first.read);
    expect(await names()).toEqual(['Erin', 'Madeira']);
    // What is linked stays done: a second run reads only memories that name nothing.
    const second = await backfillEntities(t.db.prisma, extractEntities, { tenantId });
    expect(second).toEqual({ read: first.read - first.linked, linked: 0 });
  });
});
