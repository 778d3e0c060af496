import { ADD, ADD_MANY, LIST, SEARCH, untyped } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/** Input no field should ever turn into "Unexpected error.", and that must write nothing. */
describe.each(databaseKinds)('hostile input on %s', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
    expect(
      (await t.request(ADD, { input: { externalUserId: 'kelly@example.com', content: 'Kelly keeps bees' } })).errors,
    ).toBeUndefined();
  });
  afterAll(() => t.close());

  async function rowCounts() {
    const rows = await t.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT (SELECT count(*) FROM memories) + (SELECT count(*) FROM memory_events) + (SELECT count(*) FROM end_users) AS n`,
    );
    return Number(rows[0].n);
  }

  /**
   * Refused with a typed error — a ValidationError result, or a 400 naming the input (BAD_USER_INPUT,
   * or GraphQL's own variable coercion error) — never INTERNAL_SERVER_ERROR / "Unexpected error.".
   */
  function expectTypedRefusal(response: any, field: string) {
    expect(JSON.stringify(response)).not.toMatch(/Unexpected error|INTERNAL_SERVER_ERROR/);
    if (response.data?.[field]?.__typename === 'ValidationError') return;
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.message).toEqual(expect.any(String));
  }

  /** A body too deep for JSON.stringify to build. */
  async function postRaw(body: string) {
    const response = await t.gateway.fetch('http://memgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tenants.acme.apiKey}` },
      body,
    });
    return { status: response.status, ...(await response.json()) };
  }

  const deep = (levels: number) => {
    const root: Record<string, unknown> = {};
    let node = root;
    for (let i = 0; i < levels; i++) node = (node.a = {}) as Record<string, unknown>;
    return root;
  };

  test.each([
    ['NUL in content', { content: 'a\u0000b' }],
    ['NUL in metadata', { content: 'fine', metadata: { note: 'a\u0000b' } }],
    ['NUL in a metadata key', { content: 'fine', metadata: { 'a\u0000b': 1 } }],
    ['NUL in a tag', { content: 'fine', tags: ['a\u0000b'] }],
    ['an unpaired surrogate in content', { content: 'caf\uD800' }],
    ['an unpaired surrogate in a tag', { content: 'fine', tags: ['\uDC00'] }],
    ['metadata nested 33 deep', { content: 'fine', metadata: deep(33) }],
    ['an expiry in the year 275760', { content: 'fine', expiresAt: '+275760-01-01T00:00:00Z' }],
    ['an occurrence before Christ', { content: 'fine', occurredAt: '-000100-01-01T00:00:00Z' }],
  ])('addMemory with %s', async (_name, input) => {
    const before = await rowCounts();
    expectTypedRefusal(await t.request(ADD, { input: { externalUserId: 'kelly@example.com', ...input } }), 'addMemory');
    expect(await rowCounts()).toBe(before);
  });

  test('metadata nested 100,000 deep is refused, and the gateway keeps serving', async () => {
    const before = await rowCounts();
    const metadata = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const body = `{"query":${JSON.stringify(ADD)},"variables":{"input":{"externalUserId":"kelly@example.com","content":"x","metadata":${metadata}}}}`;
    expectTypedRefusal(await postRaw(body), 'addMemory');
    expect(await rowCounts()).toBe(before);
    expect((await t.request('{ viewer { credential } }')).data.viewer.credential).toBe('API_KEY');
  });

  test('inline literals: NUL in a string and deep metadata objects are refused too', async () => {
    const before = await rowCounts();
    const nul = await t.request(
      `mutation { addMemory(input: { externalUserId: "kelly@example.com", content: "a\\u0000b" }) { __typename } }`,
    );
    expectTypedRefusal(nul, 'addMemory');
    const literal = `mutation { addMemory(input: { externalUserId: "kelly@example.com", content: "x", metadata: ${'{a: '.repeat(40)}1${'}'.repeat(40)} }) { __typename } }`;
    expectTypedRefusal(await t.request(literal), 'addMemory');
    expect(await rowCounts()).toBe(before);
  });

  test.each([
    ['NUL in the query', { query: 'bees\u0000' }],
    ['NUL in a tag filter', { query: 'bees', filter: { tags: ['a\u0000'] } }],
    ['NUL in a metadata filter', { query: 'bees', filter: { metadata: { k: '\u0000' } } }],
    ['an unpaired surrogate in the query', { query: '\uD83D bees' }],
    ['a filter date in the year 10000', { query: 'bees', filter: { createdAfter: '+010000-01-01T00:00:00Z' } }],
  ])('searchMemories with %s', async (_name, variables) => {
    for (const mode of ['SEMANTIC', 'KEYWORD', 'HYBRID']) {
      expectTypedRefusal(
        await t.request(untyped(SEARCH), { user: 'kelly@example.com', mode, ...variables }),
        'searchMemories',
      );
    }
  });

  test('a cursor carrying a date before Christ is a ValidationError', async () => {
    const cursor = Buffer.from(
      JSON.stringify(['-000050-01-01T00:00:00.000Z', '00000000-0000-0000-0000-000000000000']),
    ).toString('base64url');
    const res = await t.request(LIST, { user: 'kelly@example.com', after: cursor });
    expect(res.data.memories).toMatchObject({ __typename: 'ValidationError', field: 'after' });
  });

  test('addMemories refuses the whole batch for one NUL', async () => {
    const before = await rowCounts();
    const res = await t.request(ADD_MANY, {
      input: { externalUserId: 'kelly@example.com', memories: [{ content: 'ok' }, { content: '\u0000' }] },
    });
    expectTypedRefusal(res, 'addMemories');
    expect(await rowCounts()).toBe(before);
  });
});

describe.each(databaseKinds)('one identifier, one person, on %s', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
    await t.request(ADD, { input: { externalUserId: 'kelly@example.com', content: 'Kelly keeps bees' } });
    await t.request(ADD, { input: { externalUserId: 'iris@example.com', content: 'Iris paints' } });
  });
  afterAll(() => t.close());

  test.each([
    ['a Kelvin sign for the K', '\u212Aelly@example.com'],
    ['a trailing no-break space', 'kelly@example.com\u00a0'],
    ['a leading byte-order mark', '\ufeffkelly@example.com'],
    ['a zero-width space inside', 'kel\u200blly@example.com'],
    ['a lone surrogate', 'kelly\uD800@example.com'],
    ['a decomposed accent (not NFC)', 'rene\u0301@example.com'],
    ['a line separator', 'kelly\u2028@example.com'],
  ])('%s is refused with a ValidationError, and reads nobody', async (_name, externalUserId) => {
    const listed = await t.request(LIST, { user: externalUserId });
    const refusal = listed.data?.memories ?? listed.errors?.[0]?.extensions;
    expect(refusal.__typename === 'ValidationError' || refusal.code === 'BAD_USER_INPUT').toBe(true);
    const added = await t.request(ADD, { input: { externalUserId, content: 'sneaky' } });
    expect(added.data?.addMemory?.__typename ?? added.errors?.[0]?.extensions?.code).toMatch(
      /ValidationError|BAD_USER_INPUT/,
    );
  });

  test('only ASCII letters of an email fold: "İris@…" is not "iris@…", while "KELLY@…" is "kelly@…"', async () => {
    const dotted = await t.request(LIST, { user: '\u0130ris@example.com' });
    expect(dotted.data.memories.totalCount).toBe(0);
    const shouting = await t.request(LIST, { user: '  KELLY@Example.COM\t' });
    expect(shouting.data.memories.totalCount).toBe(1);
    const composed = await t.request(LIST, { user: 'ren\u00e9@example.com' });
    expect(composed.data.memories.__typename).toBe('MemoryConnection');
  });
});
