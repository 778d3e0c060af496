import { databaseKinds } from './support/databases.js';
import { FakeAnthropic } from './support/fakeAnthropic.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/**
 * Relations from Claude's reading of conversations (the Anthropic Messages API faked by a local
 * server): a newer relation closes the one it contradicts, and asOf answers what was true then.
 */
const REMEMBER = `mutation($input: RememberConversationInput!) {
  rememberConversation(input: $input) { __typename ... on ConversationJob { status error } }
}`;
const RELATIONS = `query($user: String!, $asOf: DateTime) {
  relations(externalUserId: $user, asOf: $asOf) { predicate subject { name } object { name } validFrom validTo }
}`;
const ENTITY = `query($user: String!, $query: String!, $asOf: DateTime) {
  entities(externalUserId: $user, query: $query) {
    ... on EntityConnection { edges { node { name relations(asOf: $asOf) { predicate object { name } } neighbours(asOf: $asOf) { name } } } }
  }
}`;

/** What Claude reads in each conversation: its one fact, and the relations the test gives it. */
const READINGS: Record<string, { fact: string; relations: object[] }> = {
  'I work at Initech, with my sister Ana.': {
    fact: 'The user works at Initech',
    relations: [
      { subject: 'user', predicate: 'works_at', object: 'Initech' },
      { subject: 'Ana', predicate: 'Sister of', object: 'user' },
      { subject: 'user', predicate: 'likes', object: 'Jazz', many: true },
    ],
  },
  'Before Initech I was at Hooli, from March 2023.': {
    fact: 'The user worked at Hooli from March 2023',
    relations: [{ subject: 'user', predicate: 'works_at', object: 'Hooli', since: '2023-03-01' }],
  },
  'I sold the Volvo, I drive a Tesla now.': {
    fact: 'The user drives a Tesla',
    relations: [
      { subject: 'user', predicate: 'drives', object: 'Volvo' },
      { subject: 'user', predicate: 'drives', object: 'Tesla' },
    ],
  },
  'Big news: I joined Globex last week!': {
    fact: 'The user works at Globex',
    relations: [
      { subject: 'user', predicate: 'works_at', object: 'Globex', since: '2024-05-27' },
      { subject: 'user', predicate: 'likes', object: 'Opera', many: true },
    ],
  },
};

describe.each(databaseKinds)('relations on %s', (kind) => {
  const fake = new FakeAnthropic();
  let t: TestGateway;
  const user = 'ruth@example.com';

  beforeAll(async () => {
    await fake.start();
    fake.answerEach((request) => {
      if (request.tool === 'record_facts') {
        const reading = READINGS[request.block('conversation')[0].content as string];
        return { tool: 'record_facts', input: { facts: [reading.fact], relations: reading.relations } };
      }
      const facts = request.block('facts') as { fact: string }[];
      return {
        tool: 'decide_memory_changes',
        input: { decisions: facts.map((_fact, i) => ({ fact: i, action: 'ADD', text: facts[i].fact, reason: 'new' })) },
      };
    });
    const claude = fake.client();
    t = await startTestGateway(kind, { claude, extra: { webhooksAllowPrivate: true } });
    await t.request(
      `mutation { createWebhookEndpoint(url: "http://127.0.0.1:9/hook", events: [CONVERSATION_FINISHED]) { __typename } }`,
    );
    for (const [content, at] of [
      ['I work at Initech, with my sister Ana.', '2024-01-10T10:00:00Z'],
      ['Big news: I joined Globex last week!', '2024-06-03T10:00:00Z'],
      // Told late: an older job, after the newer ones.
      ['Before Initech I was at Hooli, from March 2023.', '2024-07-01T10:00:00Z'],
    ]) {
      const done = await t.request(REMEMBER, {
        input: { externalUserId: user, messages: [{ role: 'USER', content, at }] },
      });
      expect(done.data.rememberConversation).toEqual({ __typename: 'ConversationJob', status: 'DONE', error: null });
    }
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const relations = async (asOf?: string, who = user, key?: string) =>
    ((await t.request(RELATIONS, { user: who, asOf }, key)).data?.relations ?? []).map(
      (r: any) => `${r.subject.name} ${r.predicate} ${r.object.name}`,
    );

  test('a newer relation closes the one it contradicts; one that may hold many objects closes none', async () => {
    expect((await relations()).sort()).toEqual([
      'Ana sister_of user',
      'user likes Jazz',
      'user likes Opera',
      'user works_at Globex',
    ]);
    const all = (await t.request(RELATIONS, { user, asOf: '2024-05-01T00:00:00Z' })).data.relations;
    expect(all.find((r: any) => r.object.name === 'Initech')).toMatchObject({
      validFrom: '2024-01-10T10:00:00.000Z',
      validTo: '2024-05-27T00:00:00.000Z',
    });
  });

  test('asOf before and after the change answers differently', async () => {
    expect((await relations('2024-03-01T00:00:00Z')).sort()).toEqual([
      'Ana sister_of user',
      'user likes Jazz',
      'user works_at Initech',
    ]);
    expect(await relations('2023-01-01T00:00:00Z')).toEqual([]);
    // A relation told after the one that replaced it is recorded already closed by it.
    expect(await relations('2023-12-01T00:00:00Z')).toEqual(['user works_at Hooli']);
    const hooli = (await t.request(RELATIONS, { user, asOf: '2023-12-01T00:00:00Z' })).data.relations[0];
    expect(hooli).toMatchObject({ validFrom: '2023-03-01T00:00:00.000Z', validTo: '2024-01-10T10:00:00.000Z' });
    const then = (await t.request(ENTITY, { user, query: 'user', asOf: '2024-03-01T00:00:00Z' })).data.entities.edges;
    const me = then.find((edge: any) => edge.node.name === 'user').node;
    expect(me.neighbours.map((n: any) => n.name).sort()).toEqual(['Ana', 'Initech', 'Jazz']);
    const now = (await t.request(ENTITY, { user, query: 'user' })).data.entities.edges;
    expect(
      now
        .find((edge: any) => edge.node.name === 'user')
        .node.neighbours.map((n: any) => n.name)
        .sort(),
    ).toEqual(['Ana', 'Globex', 'Jazz', 'Opera']);
  });

  test('of two contradicting relations read at once, true from the same moment, the later told holds', async () => {
    const driver = 'driver@example.com';
    const at = '2024-09-01T10:00:00Z';
    const done = await t.request(REMEMBER, {
      input: {
        externalUserId: driver,
        messages: [{ role: 'USER', content: 'I sold the Volvo, I drive a Tesla now.', at }],
      },
    });
    expect(done.data.rememberConversation.status).toBe('DONE');
    expect(await relations(undefined, driver)).toEqual(['user drives Tesla']);
    expect(await relations(at, driver)).toEqual(['user drives Tesla']);
    const volvo = (await t.request(RELATIONS, { user: driver, asOf: '2024-08-01T00:00:00Z' })).data.relations;
    expect(volvo).toEqual([]);
  });

  test("a conversation's webhook (with memory data) names the relations Claude read", async () => {
    const { data } = await t.request(`{ webhookEndpoints { deliveries { eventType payload } } }`);
    const finished = data.webhookEndpoints[0].deliveries.map((delivery: any) => delivery.payload.data.relations);
    expect(finished).toContainEqual([
      { subject: 'user', predicate: 'works_at', object: 'Globex', validFrom: '2024-05-27T00:00:00.000Z', many: false },
      { subject: 'user', predicate: 'likes', object: 'Opera', validFrom: '2024-06-03T10:00:00.000Z', many: true },
    ]);
  });

  test('another end user and another tenant see none of it', async () => {
    expect(await relations(undefined, 'bob@example.com')).toEqual([]);
    expect(await relations('2024-03-01T00:00:00Z', user, t.tenants.globex.apiKey)).toEqual([]);
    const names = await t.request(ENTITY, { user, query: 'initech' }, t.tenants.globex.apiKey);
    expect(names.data.entities.edges).toEqual([]);
  });
});
