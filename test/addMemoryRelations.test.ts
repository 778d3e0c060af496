import { databaseKinds } from './support/databases.js';
import { FakeAnthropic } from './support/fakeAnthropic.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/**
 * addMemory(readRelations: true): Claude (the Messages API faked by a local server) reads the
 * relations the memory states, recorded in the add's own transaction.
 */
const ADD = `mutation($input: AddMemoryInput!) {
  addMemory(input: $input) {
    __typename
    ... on AddedMemory { memory { id content } }
    ... on Error { code message }
  }
}`;
const RELATIONS = `query($user: String!, $asOf: DateTime) {
  relations(externalUserId: $user, asOf: $asOf) { predicate subject { name } object { name } validFrom validTo }
}`;
const COUNT = `query($user: String!) { memories(externalUserId: $user) { ... on MemoryConnection { totalCount } } }`;

/** What Claude reads in each memory. */
const READINGS: Record<string, object[]> = {
  'I moved to Porto in January 2024.': [
    { subject: 'user', predicate: 'lives_in', object: 'Porto', since: '2024-01-01' },
  ],
  'Since June 2025 we live in Lisbon, my card is [REDACTED:card].': [
    { subject: 'user', predicate: 'lives_in', object: 'Lisbon', since: '2025-06-01' },
  ],
};
const FAILING = 'Claude is down when it reads this.';

describe.each(databaseKinds)('addMemory reading relations on %s', (kind) => {
  const fake = new FakeAnthropic();
  let t: TestGateway;
  let bare: TestGateway;
  const user = 'ines@example.com';
  const add = (input: object, gateway = t) => gateway.request(ADD, { input: { externalUserId: user, ...input } });
  const relations = async (asOf?: string, who = user, key?: string) =>
    ((await t.request(RELATIONS, { user: who, asOf }, key)).data?.relations ?? []).map(
      (r: any) => `${r.subject.name} ${r.predicate} ${r.object.name}`,
    );
  const count = async (gateway = t) => (await gateway.request(COUNT, { user })).data.memories.totalCount;

  beforeAll(async () => {
    await fake.start();
    fake.answerEach((request) => {
      const [{ content }] = request.block('conversation');
      if (content === FAILING) return { status: 500, errorType: 'api_error' };
      return { tool: 'record_facts', input: { facts: [content], relations: READINGS[content] ?? [] } };
    });
    const claude = fake.client();
    t = await startTestGateway(kind, { claude });
    bare = await startTestGateway(kind);
  });
  afterAll(async () => {
    await t.close();
    await bare.close();
    await fake.stop();
  });

  test('an add that asks records the relations Claude reads in it, redacted, and a newer one closes the older', async () => {
    const card = `mutation { setRedactionRules(rules: [{ name: "card", pattern: "\\\\b\\\\d(?:[ -]?\\\\d){12,15}\\\\b" }]) { __typename } }`;
    expect((await t.request(card)).data.setRedactionRules.__typename).toBe('RedactionRules');
    const first = await add({ content: 'I moved to Porto in January 2024.', readRelations: true });
    expect(first.data.addMemory.__typename).toBe('AddedMemory');
    expect(await relations()).toEqual(['user lives_in Porto']);
    const second = await add({
      content: 'Since June 2025 we live in Lisbon, my card is 4111 1111 1111 1111.',
      readRelations: true,
    });
    expect(second.data.addMemory.memory.content).toBe('Since June 2025 we live in Lisbon, my card is [REDACTED:card].');
    // Claude was sent the memory as it is stored: redacted.
    expect(fake.requests.map((request) => request.prompt).join('\n')).not.toContain('4111');
    expect(await relations()).toEqual(['user lives_in Lisbon']);
    expect(await relations('2024-06-01T00:00:00Z')).toEqual(['user lives_in Porto']);
    const porto = (await t.request(RELATIONS, { user, asOf: '2024-06-01T00:00:00Z' })).data.relations[0];
    expect(porto).toMatchObject({ validFrom: '2024-01-01T00:00:00.000Z', validTo: '2025-06-01T00:00:00.000Z' });
    // Metered as addMemory, for this end user.
    const usage = await t.db.prisma.llmUsage.findMany({
      where: { tenantId: t.tenants.acme.tenantId, externalUserId: user },
    });
    expect(usage.map((row) => row.operation)).toEqual(['addMemory', 'addMemory']);
  });

  test('an add that does not ask makes no model call', async () => {
    const before = fake.requests.length;
    expect((await add({ content: 'I moved my desk to the window.' })).data.addMemory.__typename).toBe('AddedMemory');
    expect((await add({ content: 'Another note.', readRelations: false })).data.addMemory.__typename).toBe(
      'AddedMemory',
    );
    expect(fake.requests.length).toBe(before);
  });

  test('Claude failing or not configured: a typed error, and nothing is stored', async () => {
    const stored = await count();
    const failed = await add({ content: FAILING, readRelations: true });
    expect(failed.data.addMemory).toMatchObject({ __typename: 'LlmFailedError', code: 'LLM_FAILED' });
    expect(await count()).toBe(stored);
    expect(await relations()).toEqual(['user lives_in Lisbon']);

    const unconfigured = await add({ content: 'I moved to Porto in January 2024.', readRelations: true }, bare);
    expect(unconfigured.data.addMemory).toMatchObject({
      __typename: 'LlmNotConfiguredError',
      code: 'LLM_NOT_CONFIGURED',
    });
    expect(await bare.request(COUNT, { user })).toMatchObject({ data: { memories: { totalCount: 0 } } });
  });

  test('another end user and another tenant see none of it', async () => {
    expect(await relations(undefined, 'bob@example.com')).toEqual([]);
    expect(await relations(undefined, user, t.tenants.globex.apiKey)).toEqual([]);
  });
});
