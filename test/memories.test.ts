import { ADD, ADD_MANY, DELETE, ERASE, GET, LIST, SEARCH, UPDATE } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

describe.each(databaseKinds)('memories on %s', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  async function add(user: string, content: string, extra: Record<string, unknown> = {}, key?: string) {
    const res = await t.request(ADD, { input: { externalUserId: user, content, ...extra } }, key);
    expect(res.errors).toBeUndefined();
    return res.data.addMemory;
  }

  const countRows = async (table: string) =>
    Number((await t.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM ${table}`))[0].n);

  test('adds, lists and searches one end user by meaning, never another', async () => {
    const facts = ['Alice is allergic to peanuts', 'Alice lives in Lisbon', 'Alice plays the cello in an orchestra'];
    for (const fact of facts) expect((await add('alice@example.com', fact)).created).toBe(true);
    await add('bob@example.com', 'Bob eats peanut butter every morning');
    await add('alice@example.com', 'Alice of globex likes peanuts', {}, t.tenants.globex.apiKey);

    const search = await t.request(SEARCH, { user: 'alice@example.com', query: 'Which food makes her ill?' });
    const hits = search.data.searchMemories.hits;
    expect(hits.map((hit: any) => hit.memory.content)).toEqual(expect.arrayContaining(facts));
    expect(hits).toHaveLength(3);
    expect(hits[0].memory.content).toBe('Alice is allergic to peanuts');
    expect(hits[0].score).toBeGreaterThan(hits[1].score);
    expect(hits.every((hit: any) => hit.memory.externalUserId === 'alice@example.com')).toBe(true);
    expect(search.data.searchMemories.embeddingModel).toBe('use-lite-512');

    const bob = await t.request(SEARCH, { user: 'bob@example.com', query: 'peanuts' });
    expect(bob.data.searchMemories.hits.map((hit: any) => hit.memory.content)).toEqual([
      'Bob eats peanut butter every morning',
    ]);
    const globex = await t.request(SEARCH, { user: 'alice@example.com', query: 'peanuts' }, t.tenants.globex.apiKey);
    expect(globex.data.searchMemories.hits.map((hit: any) => hit.memory.content)).toEqual([
      'Alice of globex likes peanuts',
    ]);
  });

  test('externalUserId is trimmed and emails are lower-cased', async () => {
    const added = await add('  Carol@Example.COM ', 'Carol collects stamps');
    expect(added.memory.externalUserId).toBe('carol@example.com');
    const list = await t.request(LIST, { user: 'carol@example.com' });
    expect(list.data.memories.totalCount).toBe(1);
    const other = await t.request(LIST, { user: 'CaseSensitiveId' });
    expect(other.data.memories.totalCount).toBe(0);
  });

  test('limit and minScore shape the hits', async () => {
    const limited = await t.request(SEARCH, { user: 'alice@example.com', query: 'music', limit: 1 });
    expect(limited.data.searchMemories.hits).toHaveLength(1);
    const strict = await t.request(SEARCH, {
      user: 'alice@example.com',
      query: 'music',
      mode: 'SEMANTIC',
      minScore: 0.99,
    });
    expect(strict.data.searchMemories.hits).toHaveLength(0);
  });

  test('the same content for the same user is stored once', async () => {
    const first = await add('dave', 'Dave drives a red van');
    const again = await add('dave', 'Dave drives a red van');
    expect(again.created).toBe(false);
    expect(again.memory.id).toBe(first.memory.id);
    const elsewhere = await add('erin', 'Dave drives a red van');
    expect(elsewhere.created).toBe(true);
  });

  test('idempotency keys replay the first result and refuse a different payload', async () => {
    const input = { externalUserId: 'frank', content: 'Frank is vegetarian', idempotencyKey: 'req-1' };
    const first = await t.request(ADD, { input });
    const snapshot = () =>
      t.db.prisma.$queryRawUnsafe<unknown[]>(
        `SELECT (SELECT count(*) FROM memory_events)::int AS events, (SELECT count(*) FROM memories)::int AS memories,
                (SELECT json_agg(last_activity_at ORDER BY tenant_id, external_user_id) FROM end_users)::text AS activity`,
      );
    const before = await snapshot();
    const replay = await t.request(ADD, { input });
    expect(replay.data.addMemory).toEqual(first.data.addMemory);
    expect(await snapshot()).toEqual(before);

    const conflict = await t.request(ADD, { input: { ...input, content: 'Frank eats fish' } });
    expect(conflict.data.addMemory).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    const list = await t.request(LIST, { user: 'frank' });
    expect(list.data.memories.edges.map((edge: any) => edge.node.content)).toEqual(['Frank is vegetarian']);

    const sameKeyOtherUser = await t.request(ADD, {
      input: { ...input, externalUserId: 'grace', content: 'Grace runs' },
    });
    expect(sameKeyOtherUser.data.addMemory.created).toBe(true);
  });

  test('addMemories stores a batch in input order, deduplicating within it', async () => {
    const res = await t.request(ADD_MANY, {
      input: {
        externalUserId: 'heidi',
        memories: [{ content: 'Heidi skis' }, { content: 'Heidi bakes' }, { content: 'Heidi skis' }],
      },
    });
    const results = res.data.addMemories.results;
    expect(results.map((r: any) => [r.created, r.memory.content])).toEqual([
      [true, 'Heidi skis'],
      [true, 'Heidi bakes'],
      [false, 'Heidi skis'],
    ]);
    expect(results[2].memory.id).toBe(results[0].memory.id);
  });

  test('updates re-embed, keep the old text in history, and refuse duplicates', async () => {
    const { memory } = await add('ivan', 'Ivan works at a bank', { tags: ['work'], metadata: { source: 'chat' } });
    await add('ivan', 'Ivan has a dog');
    const res = await t.request(UPDATE, {
      input: { externalUserId: 'ivan', id: memory.id, content: 'Ivan works as a pilot', reason: 'career change' },
    });
    expect(res.data.updateMemory).toMatchObject({
      content: 'Ivan works as a pilot',
      tags: ['work'],
      metadata: { source: 'chat' },
    });
    expect(res.data.updateMemory.history).toEqual([
      { kind: 'CREATED', oldContent: null, newContent: 'Ivan works at a bank', changedFields: [], reason: null },
      {
        kind: 'UPDATED',
        oldContent: 'Ivan works at a bank',
        newContent: 'Ivan works as a pilot',
        changedFields: ['content'],
        reason: 'career change',
      },
    ]);
    const search = await t.request(SEARCH, { user: 'ivan', query: 'airplane job', limit: 1 });
    expect(search.data.searchMemories.hits[0].memory.content).toBe('Ivan works as a pilot');

    const twin = await t.request(UPDATE, {
      input: { externalUserId: 'ivan', id: memory.id, content: 'Ivan has a dog' },
    });
    expect(twin.data.updateMemory.__typename).toBe('ConflictError');
    const tags = await t.request(UPDATE, {
      input: { externalUserId: 'ivan', id: memory.id, tags: ['job', 'aviation'] },
    });
    expect(tags.data.updateMemory.tags).toEqual(['job', 'aviation']);
    expect(tags.data.updateMemory.history.at(-1).changedFields).toEqual(['tags']);
  });

  test('deleted memories leave lists and search but keep their history', async () => {
    const { memory } = await add('judy', 'Judy moved to Berlin');
    const res = await t.request(DELETE, { input: { externalUserId: 'judy', id: memory.id, reason: 'user asked' } });
    expect(res.data.deleteMemory.deletedMemoryId).toBe(memory.id);
    expect(res.data.deleteMemory.history.at(-1)).toEqual({
      kind: 'DELETED',
      oldContent: 'Judy moved to Berlin',
      reason: 'user asked',
    });
    expect((await t.request(LIST, { user: 'judy' })).data.memories.totalCount).toBe(0);
    expect((await t.request(SEARCH, { user: 'judy', query: 'Berlin' })).data.searchMemories.hits).toEqual([]);
    expect((await t.request(GET, { user: 'judy', id: memory.id })).data.memory.__typename).toBe('NotFoundError');
    const again = await t.request(DELETE, { input: { externalUserId: 'judy', id: memory.id } });
    expect(again.data.deleteMemory.__typename).toBe('NotFoundError');
    expect((await add('judy', 'Judy moved to Berlin')).created).toBe(true);
  });

  test('deleted memories are listed and read on request, by their own end user only, until restoreMemory brings one back', async () => {
    const { memory } = await add('judith', 'Judith sold her piano');
    await add('judith', 'Judith plays the violin');
    const deletedAt = Date.now();
    await t.request(DELETE, { input: { externalUserId: 'judith', id: memory.id, reason: 'outdated' } });

    const deleted = (await t.request(LIST, { user: 'judith', deleted: true })).data.memories;
    expect(deleted.totalCount).toBe(1);
    expect(deleted.edges.map((e: any) => e.node.content)).toEqual(['Judith sold her piano']);
    expect(Math.abs(Date.parse(deleted.edges[0].node.deletedAt) - deletedAt)).toBeLessThan(30_000);
    const live = (await t.request(LIST, { user: 'judith' })).data.memories;
    expect(live.edges.map((e: any) => [e.node.content, e.node.deletedAt])).toEqual([['Judith plays the violin', null]]);

    expect((await t.request(GET, { user: 'judith', id: memory.id })).data.memory.__typename).toBe('NotFoundError');
    const read = (await t.request(GET, { user: 'judith', id: memory.id, includeDeleted: true })).data.memory;
    expect(read).toMatchObject({ content: 'Judith sold her piano', deletedAt: deleted.edges[0].node.deletedAt });
    expect(read.history.map((event: any) => [event.kind, event.reason])).toEqual([
      ['CREATED', null],
      ['DELETED', 'outdated'],
    ]);

    // Nobody else sees it: another end user of the tenant, the same identifier in another tenant, a token of another user.
    const globex = t.tenants.globex.apiKey;
    expect((await t.request(LIST, { user: 'judith-neighbour', deleted: true })).data.memories.totalCount).toBe(0);
    expect((await t.request(LIST, { user: 'judith', deleted: true }, globex)).data.memories.totalCount).toBe(0);
    expect(
      (await t.request(GET, { user: 'judith-neighbour', id: memory.id, includeDeleted: true })).data.memory.__typename,
    ).toBe('NotFoundError');
    expect(
      (await t.request(GET, { user: 'judith', id: memory.id, includeDeleted: true }, globex)).data.memory.__typename,
    ).toBe('NotFoundError');
    const token = (
      await t.request(
        `mutation { createEndUserToken(externalUserId: "judith-neighbour") { ... on EndUserToken { token } } }`,
      )
    ).data.createEndUserToken.token;
    const asToken = await t.request(
      `query($id: ID!) { memory(id: $id, includeDeleted: true) { __typename } memories(deleted: true) { ... on MemoryConnection { totalCount } } }`,
      { id: memory.id },
      token,
    );
    expect(asToken.data).toEqual({ memory: { __typename: 'NotFoundError' }, memories: { totalCount: 0 } });

    const restored = await t.request(
      `mutation($id: ID!) { restoreMemory(input: { externalUserId: "judith", id: $id }) { __typename ... on Memory { content deletedAt } } }`,
      { id: memory.id },
    );
    expect(restored.data.restoreMemory).toEqual({
      __typename: 'Memory',
      content: 'Judith sold her piano',
      deletedAt: null,
    });
    expect((await t.request(LIST, { user: 'judith', deleted: true })).data.memories.totalCount).toBe(0);
    expect((await t.request(LIST, { user: 'judith' })).data.memories.totalCount).toBe(2);
  });

  test('expired memories are left out of lists and search', async () => {
    await add('ken', 'Ken is on holiday this week', { expiresAt: new Date(Date.now() + 1500).toISOString() });
    await add('ken', 'Ken speaks Japanese');
    expect((await t.request(LIST, { user: 'ken' })).data.memories.totalCount).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await t.request(LIST, { user: 'ken' })).data.memories.totalCount).toBe(1);
    const hits = (await t.request(SEARCH, { user: 'ken', query: 'holiday' })).data.searchMemories.hits;
    expect(hits.map((hit: any) => hit.memory.content)).toEqual(['Ken speaks Japanese']);
  });

  test('lists page forwards and backwards with filters', async () => {
    for (let i = 0; i < 5; i++)
      await add('lena', `Lena fact number ${i}`, { tags: i % 2 ? ['odd'] : ['even'], metadata: { i } });
    const page1 = (await t.request(LIST, { user: 'lena', first: 2 })).data.memories;
    expect(page1.totalCount).toBe(5);
    expect(page1.edges.map((e: any) => e.node.content)).toEqual(['Lena fact number 4', 'Lena fact number 3']);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const page2 = (await t.request(LIST, { user: 'lena', first: 2, after: page1.pageInfo.endCursor })).data.memories;
    expect(page2.edges.map((e: any) => e.node.content)).toEqual(['Lena fact number 2', 'Lena fact number 1']);
    const page3 = (await t.request(LIST, { user: 'lena', first: 2, after: page2.pageInfo.endCursor })).data.memories;
    expect(page3.edges.map((e: any) => e.node.content)).toEqual(['Lena fact number 0']);
    expect(page3.pageInfo.hasNextPage).toBe(false);
    const back = (await t.request(LIST, { user: 'lena', last: 2, before: page3.pageInfo.startCursor })).data.memories;
    expect(back.edges.map((e: any) => e.node.content)).toEqual(['Lena fact number 2', 'Lena fact number 1']);
    expect(back.pageInfo.hasPreviousPage).toBe(true);

    const odd = (await t.request(LIST, { user: 'lena', filter: { tags: ['odd'] } })).data.memories;
    expect(odd.edges.map((e: any) => e.node.content)).toEqual(['Lena fact number 3', 'Lena fact number 1']);
    const meta = (await t.request(LIST, { user: 'lena', filter: { metadata: { i: 2 } } })).data.memories;
    expect(meta.edges.map((e: any) => e.node.content)).toEqual(['Lena fact number 2']);
    const future = (
      await t.request(LIST, { user: 'lena', filter: { createdAfter: new Date(Date.now() + 60_000).toISOString() } })
    ).data.memories;
    expect(future.totalCount).toBe(0);
    const searchOdd = (await t.request(SEARCH, { user: 'lena', query: 'fact', filter: { anyTags: ['odd'] } })).data
      .searchMemories;
    expect(searchOdd.hits).toHaveLength(2);
  });

  test("another user's or tenant's memory id is not found, by every field", async () => {
    const { memory } = await add('mallory-target', 'Secret of the target');
    const asOtherUser = await t.request(GET, { user: 'mallory', id: memory.id });
    expect(asOtherUser.data.memory.__typename).toBe('NotFoundError');
    const otherTenant = t.tenants.globex.apiKey;
    expect((await t.request(GET, { user: 'mallory-target', id: memory.id }, otherTenant)).data.memory.__typename).toBe(
      'NotFoundError',
    );
    const update = await t.request(UPDATE, { input: { externalUserId: 'mallory', id: memory.id, content: 'pwned' } });
    expect(update.data.updateMemory.__typename).toBe('NotFoundError');
    const del = await t.request(DELETE, { input: { externalUserId: 'mallory-target', id: memory.id } }, otherTenant);
    expect(del.data.deleteMemory.__typename).toBe('NotFoundError');
    const node = await t.request(`query($id: ID!) { node(id: $id) { id } }`, { id: memory.id }, otherTenant);
    expect(node.data.node).toBeNull();
    const own = await t.request(`query($id: ID!) { node(id: $id) { id ... on Memory { content } } }`, {
      id: memory.id,
    });
    expect(own.data.node).toEqual({ id: memory.id, content: 'Secret of the target' });
    expect((await t.request(GET, { user: 'mallory-target', id: memory.id })).data.memory.content).toBe(
      'Secret of the target',
    );
  });

  test('endUser, endUsers and viewer report the tenant and its users', async () => {
    await add('nina', 'Nina likes tea');
    await add('nina', 'Nina likes coffee');
    const res = await t.request(`{
      endUser(externalUserId: "nina") { __typename ... on EndUser { externalUserId memoryCount firstActivityAt lastActivityAt } }
      missing: endUser(externalUserId: "nobody") { __typename }
      viewer { keyPrefix scopes tenant { id name } }
      endUsers(first: 100) { ... on EndUserConnection { edges { node { externalUserId memoryCount } } } }
    }`);
    expect(res.data.endUser).toMatchObject({ externalUserId: 'nina', memoryCount: 2 });
    expect(res.data.missing.__typename).toBe('NotFoundError');
    expect(res.data.viewer).toEqual({
      keyPrefix: t.tenants.acme.apiKey.slice(0, 12),
      scopes: ['READ', 'WRITE', 'ADMIN'],
      tenant: { id: Buffer.from(`Tenant:${t.tenants.acme.tenantId}`).toString('base64'), name: 'acme' },
    });
    const users = res.data.endUsers.edges.map((e: any) => e.node.externalUserId);
    expect(users).toContain('nina');
    expect(users).toEqual([...users].sort());
    const globexUsers = await t.request(
      `{ endUsers(first: 100) { ... on EndUserConnection { edges { node { externalUserId } } } } }`,
      {},
      t.tenants.globex.apiKey,
    );
    expect(globexUsers.data.endUsers.edges.map((e: any) => e.node.externalUserId)).toEqual(['alice@example.com']);
  });

  test('deleteEndUser erases every row of that user only, and twice is harmless', async () => {
    await add('oscar', 'Oscar is a chess player', { idempotencyKey: 'k1' });
    const { memory } = await add('oscar', 'Oscar has twins');
    await t.request(UPDATE, { input: { externalUserId: 'oscar', id: memory.id, content: 'Oscar has triplets' } });
    await add('oscar', 'Oscar of globex', {}, t.tenants.globex.apiKey);
    const others = await countRows('memories');

    const receipt = (await t.request(ERASE, { user: ' oscar ' })).data.deleteEndUser;
    expect(receipt).toMatchObject({
      externalUserId: 'oscar',
      memoriesDeleted: 2,
      historyEventsDeleted: 3,
      idempotencyKeysDeleted: 1,
    });
    expect(await countRows('memories')).toBe(others - 2);
    for (const table of ['memories', 'memory_events', 'idempotency_keys', 'end_users']) {
      const rows = await t.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM ${table} WHERE tenant_id = $1::uuid AND external_user_id = 'oscar'`,
        t.tenants.acme.tenantId,
      );
      expect(Number(rows[0].n)).toBe(0);
    }
    const globex = await t.request(LIST, { user: 'oscar' }, t.tenants.globex.apiKey);
    expect(globex.data.memories.totalCount).toBe(1);
    const twice = (await t.request(ERASE, { user: 'oscar' })).data.deleteEndUser;
    expect(twice).toMatchObject({ memoriesDeleted: 0, historyEventsDeleted: 0, idempotencyKeysDeleted: 0 });
  });
});
