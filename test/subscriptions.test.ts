import { Authenticator } from '../src/auth/authenticator.js';
import { SubscriptionSlots } from '../src/app/subscriptionSlots.js';
import { createGateway, type Gateway } from '../src/yoga.js';
import { databaseKinds } from './support/databases.js';
import { ADD } from './support/operations.js';
import { startTestGateway, TEST_SECRET, type TestGateway } from './support/gateway.js';
import { serve, type Served } from './support/served.js';

describe.each(databaseKinds)('memoryEvents over Server-Sent Events on %s', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind, { extra: { credentialRecheckMs: 200 } });
  });
  afterAll(() => t.close());

  async function subscribe(user: string | null, key = t.tenants.acme.apiKey, gateway: Gateway = t.gateway) {
    const response = await gateway.fetch('http://memgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        query: `subscription($user: String) { memoryEvents(externalUserId: $user) { kind newContent memoryId memory { entities { name } } } }`,
        variables: { user },
      }),
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const events: any[] = [];
    let buffer = '';
    let ended = false;
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          ended = true;
          return;
        }
        buffer += new TextDecoder().decode(value);
        for (const match of buffer.matchAll(/^data: (.+)$/gm)) events.push(JSON.parse(match[1]));
        buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
      }
    })();
    return {
      events,
      ended: () => ended,
      close: async () => {
        await reader.cancel();
        await pump.catch(() => undefined);
      },
    };
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
      {
        data: {
          memoryEvents: {
            kind: 'CREATED',
            newContent: 'Alice event',
            memoryId: added.data.addMemory.memory.id,
            // The memory as it is now, with the entities it names.
            memory: { entities: [{ name: 'Alice' }] },
          },
        },
      },
    ]);
    expect(globexAlice.events).toEqual([]);
    await alice.close();
    await globexAlice.close();
  });

  const endedUnauthenticated = (subscription: { events: any[]; ended: () => boolean }) =>
    subscription.ended() &&
    subscription.events.some((event) => event.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED');
  const mint = async (ttl = 3600) =>
    (
      await t.request(
        `mutation($ttl: Int) { createEndUserToken(externalUserId: "carol", ttlSeconds: $ttl) { ... on EndUserToken { token } } }`,
        { ttl },
      )
    ).data.createEndUserToken.token;

  test('a subscription ends when its end-user token expires', async () => {
    // Long enough to be accepted on a loaded machine, short enough to expire during the test.
    const sub = await subscribe(null, await mint(3));
    for (let waited = 0; waited < 8000 && !endedUnauthenticated(sub); waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(endedUnauthenticated(sub)).toBe(true);
  });

  test('subscriptions end on every instance when the token secret is rotated or the key revoked', async () => {
    // A second instance: the same database, its own credential cache.
    const other = createGateway({
      ...t.services,
      authenticator: new Authenticator(t.db.prisma, { serverSecret: TEST_SECRET }),
    });
    const key = (
      await t.request(
        `mutation { createApiKey(name: "subscriber", scopes: [READ]) { ... on NewApiKey { apiKey key { id } } } }`,
      )
    ).data.createApiKey;
    const byToken = await subscribe(null, await mint(), other);
    const byKey = await subscribe('carol', key.apiKey, other);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(byToken.ended() || byKey.ended()).toBe(false);

    await t.request(`mutation { rotateEndUserTokenSecret { rotatedAt } }`);
    for (let i = 0; i < 50 && !endedUnauthenticated(byToken); i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(endedUnauthenticated(byToken)).toBe(true);
    expect(byKey.ended()).toBe(false);

    await t.request(`mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }`, { id: key.key.id });
    for (let i = 0; i < 50 && !endedUnauthenticated(byKey); i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(endedUnauthenticated(byKey)).toBe(true);
  });
});

describe.each(databaseKinds)('subscription caps over Server-Sent Events on %s', (kind) => {
  let t: TestGateway;
  let served: Served;
  const slots = new SubscriptionSlots({ perCredential: 5, perEndUser: 1 });
  beforeAll(async () => {
    t = await startTestGateway(kind, { extra: { subscriptions: slots } });
    served = await serve(t);
  });
  afterAll(async () => {
    await served.close();
    await t.close();
  });

  const subscribe = (user: string, signal?: AbortSignal) =>
    fetch(served.graphqlUrl, {
      method: 'POST',
      signal,
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${t.tenants.acme.apiKey}`,
      },
      body: JSON.stringify({
        query: `subscription($user: String) { memoryEvents(externalUserId: $user) { kind } }`,
        variables: { user },
      }),
    });

  test('past the cap a subscription is refused with SUBSCRIPTION_LIMIT_REACHED; a client that goes away frees its slot', async () => {
    const browserTab = new AbortController();
    await subscribe('yara', browserTab.signal);
    expect(slots.size).toBe(1);
    const refused = await subscribe('yara');
    expect(refused.status).toBe(429);
    const text = await refused.text();
    expect(text).toMatch(/"code":"SUBSCRIPTION_LIMIT_REACHED"/);
    expect(text).toMatch(/this end user \(at most 1 at once\)/);
    browserTab.abort();
    for (let i = 0; i < 100 && slots.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(slots.size).toBe(0);
    const again = new AbortController();
    await subscribe('yara', again.signal);
    expect(slots.size).toBe(1);
    again.abort();
  });
});
