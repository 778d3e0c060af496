import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { SubscriptionSlots } from '../src/app/subscriptionSlots.js';
import { loadTrustedDocuments } from '../src/http/trustedDocuments.js';
import { serveGraphQLOverWebSocket } from '../src/http/websocket.js';
import { createGateway, type Gateway, type GatewayOptions } from '../src/yoga.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const EVENTS = `subscription($user: String) { memoryEvents(externalUserId: $user) { kind newContent memory { content tags } } }`;

interface Listening {
  server: Server;
  url: string;
  close(): Promise<void>;
}

async function listen(gateway: Gateway, options: GatewayOptions): Promise<Listening> {
  const server = createServer(gateway);
  const sockets = serveGraphQLOverWebSocket(server, gateway, options);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: async () => {
      await sockets.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A subscription's results as they come, and how it ended. */
function collect(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const results: any[] = [];
  let ended: { error?: any } | undefined;
  client.subscribe(
    { query, variables },
    {
      next: (result) => void results.push(result),
      error: (error) => void (ended = { error }),
      complete: () => void (ended = {}),
    },
  );
  return { results, ended: () => ended };
}

const until = async (check: () => boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe.each(databaseKinds)('GraphQL over WebSocket (graphql-ws) on %s', (kind) => {
  let t: TestGateway;
  let ws: Listening;
  const clients: Client[] = [];
  const connect = (credential: string | null, url = ws.url) => {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: credential === null ? {} : { authorization: `Bearer ${credential}` },
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    t = await startTestGateway(kind, { extra: { credentialRecheckMs: 200 } });
    ws = await listen(t.gateway, t.services as GatewayOptions);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await ws.close();
    await t.close();
  });

  test('a subscriber with an API key receives each change with the memory itself (null once deleted); queries run too', async () => {
    const events = collect(connect(t.tenants.acme.apiKey), EVENTS, { user: 'wendy' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const added = await t.request(
      `mutation { addMemory(input: { externalUserId: "wendy", content: "Wendy rows on Sundays", tags: ["sport"] }) { ... on AddedMemory { memory { id } } } }`,
    );
    await t.request(
      `mutation { addMemory(input: { externalUserId: "walter", content: "Not Wendy's" }) { __typename } }`,
    );
    await until(() => events.results.length === 1);
    expect(events.results[0]).toEqual({
      data: {
        memoryEvents: {
          kind: 'CREATED',
          newContent: 'Wendy rows on Sundays',
          memory: { content: 'Wendy rows on Sundays', tags: ['sport'] },
        },
      },
    });
    await t.request(`mutation($id: ID!) { deleteMemory(input: { externalUserId: "wendy", id: $id }) { __typename } }`, {
      id: added.data.addMemory.memory.id,
    });
    await until(() => events.results.length === 2);
    expect(events.results[1].data.memoryEvents).toEqual({ kind: 'DELETED', newContent: null, memory: null });

    const viewer = collect(connect(t.tenants.acme.apiKey), `{ viewer { tenant { name } } }`);
    await until(() => viewer.ended() !== undefined);
    expect(viewer.results).toEqual([{ data: { viewer: { tenant: { name: 'acme' } } } }]);
  });

  test('a missing or wrong credential is refused at connection (4403); a token reaches only its own end user; another tenant hears nothing', async () => {
    for (const credential of [null, 'mgk_not-a-key', `${t.tenants.acme.apiKey}x`]) {
      const refused = collect(connect(credential), EVENTS, { user: 'wendy' });
      await until(() => refused.ended() !== undefined);
      expect(refused.ended()!.error?.code).toBe(4403);
      expect(refused.results).toEqual([]);
    }

    const token = (
      await t.request(
        `mutation { createEndUserToken(externalUserId: "wendy", ttlSeconds: 600) { ... on EndUserToken { token } } }`,
      )
    ).data.createEndUserToken.token;
    const elsewhere = collect(connect(token), EVENTS, { user: 'walter' });
    await until(() => elsewhere.ended() !== undefined);
    expect(JSON.stringify(elsewhere.ended()!.error ?? elsewhere.results)).toMatch(
      /FORBIDDEN|bound to another end user/,
    );

    const own = collect(connect(token), EVENTS);
    const globex = collect(connect(t.tenants.globex.apiKey), EVENTS, { user: 'wendy' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await t.request(
      `mutation { addMemory(input: { externalUserId: "wendy", content: "Wendy moved to Bergen" }) { __typename } }`,
    );
    await until(() => own.results.length === 1);
    expect(own.results[0].data.memoryEvents.newContent).toBe('Wendy moved to Bergen');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(globex.results).toEqual([]);
  });

  test('a subscription ends when its API key is revoked, as over SSE', async () => {
    const key = (
      await t.request(
        `mutation { createApiKey(name: "ws-subscriber", scopes: [READ]) { ... on NewApiKey { apiKey key { id } } } }`,
      )
    ).data.createApiKey;
    const events = collect(connect(key.apiKey), EVENTS, { user: 'wendy' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(events.ended()).toBeUndefined();
    await t.request(`mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }`, { id: key.key.id });
    await until(() => events.ended() !== undefined || events.results.some((result) => result.errors));
    expect(JSON.stringify([events.results, events.ended()])).toMatch(/UNAUTHENTICATED/);
  });

  test('with trusted documents, a raw document is refused over WebSocket too; a trusted one runs', async () => {
    const manifest = loadTrustedDocuments(
      fileURLToPath(new URL('../examples/typed-client/gql/persisted-documents.json', import.meta.url)),
    );
    const options = { ...(t.services as GatewayOptions), trustedDocuments: manifest };
    const locked = await listen(createGateway(options), options);
    try {
      const raw = collect(connect(t.tenants.acme.apiKey, locked.url), `{ viewer { tenant { name } } }`);
      await until(() => raw.ended() !== undefined);
      expect(JSON.stringify(raw.ended()!.error)).toMatch(/trusted documents/);
      const [hash, document] = [...manifest].find(([, text]) => /query MyRecentMemories/.test(text))!;
      const token = (
        await t.request(
          `mutation { createEndUserToken(externalUserId: "wendy", ttlSeconds: 600) { ... on EndUserToken { token } } }`,
        )
      ).data.createEndUserToken.token;
      const client = connect(token, locked.url);
      const trusted: any[] = [];
      await new Promise<void>((resolve, reject) =>
        client.subscribe(
          { query: '', variables: { first: 5 }, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
          {
            next: (result) => void trusted.push(result),
            error: reject,
            complete: resolve,
          },
        ),
      );
      expect(document).toMatch(/MyRecentMemories/);
      expect(trusted[0].errors).toBeUndefined();
      expect(trusted[0].data.memories.edges.map((edge: any) => edge.node.content)).toContain('Wendy moved to Bergen');
    } finally {
      await locked.close();
    }
  });
});

describe.each(databaseKinds)('subscription caps over WebSocket on %s', (kind) => {
  let t: TestGateway;
  let ws: Listening;
  const slots = new SubscriptionSlots({ perCredential: 3, perEndUser: 2 });
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTestGateway(kind, { extra: { subscriptions: slots } });
    ws = await listen(t.gateway, t.services as GatewayOptions);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await ws.close();
    await t.close();
  });
  const client = (key: string) => {
    const made = createClient({
      url: ws.url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${key}` },
    });
    clients.push(made);
    return made;
  };
  /** Opens a subscription on its own socket (as an attacker spreading them over sockets would). */
  const open = async (user: string, key = t.tenants.acme.apiKey) => {
    const subscription = collect(client(key), EVENTS, { user });
    const start = Date.now();
    while (!subscription.ended() && subscription.results.length === 0 && Date.now() - start < 500) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return subscription;
  };
  const refusal = (subscription: ReturnType<typeof collect>) =>
    subscription.results[0]?.errors?.[0] ?? subscription.ended()?.error?.[0];

  test('a credential and an end user hold a bounded number of open subscriptions; a closed one frees its slot', async () => {
    const first = await open('una');
    expect(first.ended()).toBeUndefined();
    await open('una');
    const thirdForUna = await open('una');
    expect(refusal(thirdForUna)).toMatchObject({
      message: expect.stringMatching(/this end user \(at most 2 at once\)/),
      extensions: { code: 'SUBSCRIPTION_LIMIT_REACHED', limit: 2 },
    });
    expect((await open('una', t.tenants.globex.apiKey)).ended()).toBeUndefined();
    expect((await open('vic')).ended()).toBeUndefined();
    expect(refusal(await open('wes'))).toMatchObject({ extensions: { code: 'SUBSCRIPTION_LIMIT_REACHED', limit: 3 } });

    const held = slots.size;
    await clients[0].dispose();
    await until(() => slots.size < held);
    const again = await open('wes');
    expect(again.ended()).toBeUndefined();
    expect(refusal(again)).toBeUndefined();
  });
});
