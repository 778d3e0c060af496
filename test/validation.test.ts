import { ADD, ADD_MANY, GET, LIST, SEARCH, UPDATE, untyped } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

describe.each(databaseKinds)('bad input on %s gets a typed error and writes nothing', (kind) => {
  let t: TestGateway;
  let existingId: string;
  beforeAll(async () => {
    t = await startTestGateway(kind);
    const res = await t.request(ADD, {
      input: { externalUserId: 'vera', content: 'Vera exists', idempotencyKey: 'once' },
    });
    existingId = res.data.addMemory.memory.id;
  });
  afterAll(() => t.close());

  async function rowCounts() {
    const tables = ['memories', 'memory_events', 'idempotency_keys', 'end_users'];
    const counts = await Promise.all(
      tables.map(async (table) =>
        Number((await t.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM ${table}`))[0].n),
      ),
    );
    return Object.fromEntries(tables.map((table, i) => [table, counts[i]]));
  }

  const tooManyTags = Array.from({ length: 33 }, (_, i) => `t${i}`);
  const bigMetadata = { blob: 'x'.repeat(16_400) };

  const addCases: [string, Record<string, unknown>, string][] = [
    ['empty content', { externalUserId: 'vera', content: '' }, 'content'],
    ['blank content', { externalUserId: 'vera', content: '   \n ' }, 'content'],
    ['oversized content', { externalUserId: 'vera', content: 'x'.repeat(32_769) }, 'content'],
    ['empty externalUserId', { externalUserId: '  ', content: 'fine' }, 'externalUserId'],
    ['oversized externalUserId', { externalUserId: 'u'.repeat(257), content: 'fine' }, 'externalUserId'],
    ['externalUserId with control characters', { externalUserId: 'a\u0007b', content: 'fine' }, 'externalUserId'],
    ['too many tags', { externalUserId: 'vera', content: 'fine', tags: tooManyTags }, 'tags'],
    ['an oversized tag', { externalUserId: 'vera', content: 'fine', tags: ['x'.repeat(65)] }, 'tags'],
    ['oversized metadata', { externalUserId: 'vera', content: 'fine', metadata: bigMetadata }, 'metadata'],
    [
      'an expiry in the past',
      { externalUserId: 'vera', content: 'fine', expiresAt: '2001-01-01T00:00:00Z' },
      'expiresAt',
    ],
    ['an empty idempotency key', { externalUserId: 'vera', content: 'fine', idempotencyKey: '' }, 'idempotencyKey'],
  ];

  test.each(addCases)('addMemory with %s', async (_name, input, field) => {
    const before = await rowCounts();
    const res = await t.request(untyped(ADD), { input });
    expect(res.errors).toBeUndefined();
    expect(res.data.addMemory).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_FAILED', field });
    expect(res.data.addMemory.message).toEqual(expect.any(String));
    expect(await rowCounts()).toEqual(before);
  });

  test('metadata that is not an object is refused by the scalar', async () => {
    const res = await t.request(untyped(ADD), { input: { externalUserId: 'vera', content: 'fine', metadata: [1, 2] } });
    expect(res.status).toBe(400);
    expect(res.errors?.[0].message).toMatch(/JSONObject must be a JSON object/);
    expect(res.data).toBeUndefined();
  });

  test('one bad item in addMemories writes none of them', async () => {
    const before = await rowCounts();
    const res = await t.request(ADD_MANY, {
      input: { externalUserId: 'vera', memories: [{ content: 'good one' }, { content: '' }] },
    });
    expect(res.data.addMemories).toMatchObject({ __typename: 'ValidationError', field: 'memories.1.content' });
    const tooMany = await t.request(ADD_MANY, {
      input: { externalUserId: 'vera', memories: Array.from({ length: 101 }, (_, i) => ({ content: `m${i}` })) },
    });
    expect(tooMany.data.addMemories).toMatchObject({ __typename: 'ValidationError', field: 'memories' });
    const none = await t.request(ADD_MANY, { input: { externalUserId: 'vera', memories: [] } });
    expect(none.data.addMemories.__typename).toBe('ValidationError');
    expect(await rowCounts()).toEqual(before);
  });

  test('a reused idempotency key with another payload is a conflict', async () => {
    const before = await rowCounts();
    const res = await t.request(ADD, {
      input: { externalUserId: 'vera', content: 'Vera changed', idempotencyKey: 'once' },
    });
    expect(res.data.addMemory).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(await rowCounts()).toEqual(before);
  });

  test.each([
    ['limit 0', { limit: 0 }, 'limit'],
    ['limit 51', { limit: 51 }, 'limit'],
    ['minScore 2', { minScore: 2 }, 'minScore'],
    ['an empty query', { query: '' }, 'query'],
  ])('searchMemories with %s', async (_name, args, field) => {
    const res = await t.request(SEARCH, { user: 'vera', query: 'anything', ...args });
    expect(res.data.searchMemories).toMatchObject({ __typename: 'ValidationError', field });
  });

  test.each([
    ['first 101', { first: 101 }, 'first'],
    ['first -1', { first: -1 }, 'first'],
    ['first and last', { first: 1, last: 1 }, 'last'],
    ['a malformed cursor', { after: 'not-a-cursor' }, 'after'],
    ['a forged cursor', { after: Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url') }, 'after'],
    ['a malformed before cursor', { last: 2, before: '!!!' }, 'before'],
  ])('memories with %s', async (_name, args, field) => {
    const res = await t.request(LIST, { user: 'vera', ...args });
    expect(res.data.memories).toMatchObject({ __typename: 'ValidationError', field });
  });

  test('endUsers with a malformed cursor', async () => {
    const res = await t.request(`{ endUsers(after: "%%%") { __typename ... on ValidationError { field } } }`);
    expect(res.data.endUsers).toEqual({ __typename: 'ValidationError', field: 'after' });
  });

  test.each([
    ['garbage', 'not an id'],
    ['another type', Buffer.from('Tenant:123').toString('base64')],
    ['a memory id that is not a uuid', Buffer.from('Memory:42').toString('base64')],
  ])('memory ids: %s', async (_name, id) => {
    const res = await t.request(GET, { user: 'vera', id });
    expect(res.data.memory.__typename).toBe('ValidationError');
    const before = await rowCounts();
    const update = await t.request(UPDATE, { input: { externalUserId: 'vera', id, content: 'changed' } });
    expect(['ValidationError', 'NotFoundError']).toContain(update.data.updateMemory.__typename);
    expect(await rowCounts()).toEqual(before);
  });

  test('node() with a malformed id is a clear error, not a crash', async () => {
    const res = await t.request(`{ node(id: "%%%") { id } }`);
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  test('an update with bad input leaves the memory as it was', async () => {
    const res = await t.request(UPDATE, {
      input: { externalUserId: 'vera', id: existingId, content: 'x'.repeat(40_000) },
    });
    expect(res.data.updateMemory).toMatchObject({ __typename: 'ValidationError', field: 'content' });
    const get = await t.request(GET, { user: 'vera', id: existingId });
    expect(get.data.memory.content).toBe('Vera exists');
    expect(get.data.memory.history).toHaveLength(1);
  });
});
