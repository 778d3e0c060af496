import { databaseKinds } from './support/databases.js';
import { ADD } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

describe.each(databaseKinds)('memoryEvents over Server-Sent Events on %s', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  async function subscribe(user: string, key = t.tenants.acme.apiKey) {
    const response = await t.gateway.fetch('http://memgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: `subscription($user: String) { memoryEvents(externalUserId: $user) { kind newContent memoryId } }`, variables: { user } }),
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const events: any[] = [];
    let buffer = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += new TextDecoder().decode(value);
        for (const match of buffer.matchAll(/^data: (.+)$/gm)) events.push(JSON.parse(match[1]));
        buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
      }
    })();
    return { events, close: async () => { await reader.cancel(); await pump.catch(() => undefined); } };
  }

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  test("a subscriber sees each change of its end user as it commits, and nobody else's", async () => {
    const alice = await subscribe('alice');
    const globexAlice = await subscribe('alice', t.tenants.globex.apiKey);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t.request(ADD, { input: { externalUserId: 'bob', content: 'Bob event' } });
    const added = await t.request(ADD, { input: { externalUserId: 'alice', content: 'Alice event' } });
    await until(() => alice.events.length > 0);
    expect(alice.events).toEqual([
      { data: { memoryEvents: { kind: 'CREATED', newContent: 'Alice event', memoryId: added.data.addMemory.memory.id } } },
    ]);
    expect(globexAlice.events).toEqual([]);
    await alice.close();
    await globexAlice.close();
  });
});
