import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { Prisma } from '../src/generated/prisma/client.js';
import { isInternalAddress, isMetadataAddress, mayDeliverTo } from '../src/webhooks/addresses.js';
import { WebhookDispatcher, type DispatcherOptions } from '../src/webhooks/dispatcher.js';
import { checkWebhookUrl } from '../src/webhooks/urls.js';
import { createTenant } from '../src/db/admin.js';
import { Claude } from '../src/llm/claude.js';
import { FakeAnthropic } from './support/fakeAnthropic.js';
import { ADD } from './support/operations.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from './support/databases.js';
import {
  killGatewayProcesses,
  postGraphQL,
  startGatewayProcess,
  type GatewayProcess,
} from './support/gatewayProcess.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { uuidOf } from './support/ids.js';

/**
 * A receiver written from the Standard Webhooks specification, not from Memgate's code: the signed
 * content is `${webhook-id}.${webhook-timestamp}.${body}`, the key is the base64 after `whsec_`,
 * the signature header holds space-separated `v1,<base64 HMAC-SHA256>` entries.
 */
export function verifyStandardWebhook(
  secret: string,
  headers: IncomingHttpHeaders,
  body: string,
  nowSeconds = Date.now() / 1000,
): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > 5 * 60) return false;
  const key = Buffer.from(secret.split('_')[1], 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    const given = Buffer.from(signature ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
}

/** A local endpoint that records every POST and answers from a script (200 when it runs out). */
export class Receiver {
  readonly received: Received[] = [];
  statuses: number[] = [];
  private server?: Server;
  private hold: () => boolean = () => false;

  /** While `hold` says so, a request is recorded and never answered. */
  holdWhile(hold: () => boolean): void {
    this.hold = hold;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hooks`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        this.received.push({ url: req.url ?? '', headers: req.headers, body, json: JSON.parse(body) });
        if (this.hold()) return;
        res.writeHead(this.statuses.shift() ?? 200).end();
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
  }

  stop(): Promise<void> {
    this.server!.closeAllConnections();
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }
}

const CREATE = `mutation($url: String!, $events: [WebhookEventType!]!) {
  createWebhookEndpoint(url: $url, events: $events) {
    __typename ... on NewWebhookEndpoint { secret endpoint { id url events enabled } } ... on ValidationError { field message } } }`;
const ENDPOINTS = `{ webhookEndpoints { id enabled disabledReason deliveries { id eventId eventType status attempts lastStatusCode lastError payload } } }`;

describe.each(databaseKinds)('webhooks on %s', (kind) => {
  let t: TestGateway;
  const receiver = new Receiver();
  const fake = new FakeAnthropic();
  /** One round of a dispatcher that retries at once (the backoff itself is not what these tests wait for). */
  const dispatch = (options: Partial<DispatcherOptions> = {}) =>
    new WebhookDispatcher(t.db.prisma, { allowInternal: true, backoffMs: () => 0, ...options }).poll();

  beforeAll(async () => {
    await receiver.start();
    await fake.start();
    const claude = new Claude({
      apiKey: 'test-key',
      baseURL: fake.url,
      model: 'claude-test',
      maxTokens: 1024,
      timeoutMs: 2_000,
      maxRetries: 0,
    });
    t = await startTestGateway(kind, { claude, extra: { webhooksAllowPrivate: true } });
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
    await fake.stop();
  });

  async function register(events: string[], key = t.tenants.acme.apiKey) {
    const res = await t.request(CREATE, { url: receiver.url, events }, key);
    expect(res.errors).toBeUndefined();
    return res.data.createWebhookEndpoint as { secret: string; endpoint: { id: string } };
  }
  const endpoints = async (key = t.tenants.acme.apiKey) => (await t.request(ENDPOINTS, {}, key)).data.webhookEndpoints;
  const deleteEndpoint = (id: string) =>
    t.request(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { __typename } }`, { id });

  test('a memory added is delivered once, signed, with the event id as webhook-id and the memory’s GraphQL id', async () => {
    const { secret, endpoint } = await register(['MEMORY_CREATED']);
    expect(secret).toMatch(/^whsec_/);
    const added = (await t.request(ADD, { input: { externalUserId: 'hook-ann', content: 'Ann adopts a dog' } })).data
      .addMemory;
    expect(await dispatch()).toBe(1);
    expect(await dispatch()).toBe(0);
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(verifyStandardWebhook(secret, delivery.headers, delivery.body)).toBe(true);
    expect(
      verifyStandardWebhook(
        secret.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
        delivery.headers,
        delivery.body,
      ),
    ).toBe(false);
    expect(delivery.json).toMatchObject({
      type: 'memory.created',
      data: {
        externalUserId: 'hook-ann',
        memoryId: added.memory.id,
        newContent: 'Ann adopts a dog',
        actor: { kind: 'API_KEY', keyPrefix: t.tenants.acme.apiKey.slice(0, 12), keyName: expect.any(String) },
      },
    });
    expect(delivery.headers['webhook-id']).toBe(delivery.json.data.eventId);
    const [listed] = await endpoints();
    expect(listed.deliveries).toEqual([
      expect.objectContaining({
        eventId: delivery.json.data.eventId,
        status: 'DELIVERED',
        attempts: 1,
        lastStatusCode: 200,
      }),
    ]);
    await deleteEndpoint(endpoint.id);
    receiver.received.length = 0;
  });

  test('a 500 is retried with the same webhook-id until it is accepted; an endpoint hears only its event types', async () => {
    const { secret, endpoint } = await register(['MEMORY_UPDATED', 'MEMORY_DELETED', 'END_USER_ERASED']);
    const added = (await t.request(ADD, { input: { externalUserId: 'hook-ben', content: 'Ben runs' } })).data.addMemory;
    await t.request(
      `mutation($id: ID!) { deleteMemory(input: { externalUserId: "hook-ben", id: $id }) { __typename } }`,
      { id: added.memory.id },
    );
    receiver.statuses = [500, 503];
    for (let i = 0; i < 3; i++) await dispatch();
    expect(receiver.received.map((r) => [r.json.type, r.headers['webhook-id']])).toEqual([
      ['memory.deleted', receiver.received[0].headers['webhook-id']],
      ['memory.deleted', receiver.received[0].headers['webhook-id']],
      ['memory.deleted', receiver.received[0].headers['webhook-id']],
    ]);
    expect(receiver.received.every((r) => verifyStandardWebhook(secret, r.headers, r.body))).toBe(true);
    const [listed] = await endpoints();
    expect(listed.deliveries[0]).toMatchObject({
      eventType: 'MEMORY_DELETED',
      status: 'DELIVERED',
      attempts: 3,
      lastStatusCode: 200,
    });

    receiver.received.length = 0;
    await t.request(`mutation { deleteEndUser(externalUserId: "hook-ben") { __typename } }`);
    await dispatch();
    expect(receiver.received.map((r) => r.json)).toEqual([
      expect.objectContaining({
        type: 'end_user.erased',
        data: expect.objectContaining({ externalUserId: 'hook-ben' }),
      }),
    ]);
    // The erasure took the outbox's copies of Ben's memories with it.
    const left = await t.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM webhook_deliveries WHERE payload #>> '{data,externalUserId}' = 'hook-ben' AND event_type <> 'end_user.erased'`;
    expect(left[0].n).toBe(0);
    await deleteEndpoint(endpoint.id);
    receiver.received.length = 0;
  });

  test('a delivery failing past the give-up time fails, disables its endpoint with a reason; re-enabled, a replay delivers it', async () => {
    const { endpoint } = await register(['MEMORY_CREATED']);
    receiver.statuses = [500];
    await t.request(ADD, { input: { externalUserId: 'hook-cat', content: 'Cat sings' } });
    await dispatch({ giveUpAfterMs: 0 });
    let [listed] = await endpoints();
    expect(listed).toMatchObject({
      enabled: false,
      disabledReason: expect.stringMatching(/failed for a day.*HTTP 500/),
    });
    expect(listed.deliveries[0]).toMatchObject({ status: 'FAILED', lastStatusCode: 500 });
    // Disabled: new events are not queued for it.
    await t.request(ADD, { input: { externalUserId: 'hook-cat', content: 'Cat dances' } });
    expect((await endpoints())[0].deliveries).toHaveLength(1);

    const enabled = await t.request(
      `mutation($id: ID!) { updateWebhookEndpoint(id: $id, enabled: true) { ... on WebhookEndpoint { enabled disabledReason } } }`,
      {
        id: endpoint.id,
      },
    );
    expect(enabled.data.updateWebhookEndpoint).toEqual({ enabled: true, disabledReason: null });
    const replayed = await t.request(
      `mutation($id: ID!) { replayWebhookDelivery(id: $id) { ... on WebhookDelivery { id status } } }`,
      { id: listed.deliveries[0].id },
    );
    expect(replayed.data.replayWebhookDelivery).toEqual({ id: listed.deliveries[0].id, status: 'PENDING' });
    await dispatch();
    [listed] = await endpoints();
    expect(listed.deliveries[0]).toMatchObject({ status: 'DELIVERED' });
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([
      listed.deliveries[0].eventId,
      listed.deliveries[0].eventId,
    ]);
    await deleteEndpoint(endpoint.id);
    receiver.received.length = 0;
  });

  test('payloads carry the memory’s tags and metadata; an endpoint that takes thin events gets ids, kinds and statuses only', async () => {
    const full = await register(['MEMORY_CREATED', 'MEMORY_UPDATED', 'CONVERSATION_FINISHED']);
    const thin = (
      await t.request(
        `mutation($url: String!) { createWebhookEndpoint(url: $url, events: [MEMORY_CREATED, MEMORY_UPDATED, CONVERSATION_FINISHED], includeMemoryData: false) {
          ... on NewWebhookEndpoint { endpoint { id includeMemoryData } } } }`,
        { url: `${receiver.url}/thin` },
      )
    ).data.createWebhookEndpoint.endpoint;
    expect(thin.includeMemoryData).toBe(false);
    const added = (
      await t.request(ADD, {
        input: { externalUserId: 'hook-ivy', content: 'Ivy keeps bees', tags: ['hobby'], metadata: { source: 'chat' } },
      })
    ).data.addMemory;
    await t.request(
      `mutation($id: ID!) { updateMemory(input: { externalUserId: "hook-ivy", id: $id, tags: ["hobby", "honey"], reason: "more" }) { __typename } }`,
      { id: added.memory.id },
    );
    fake.answer(
      { tool: 'record_facts', input: { facts: ['Ivy sells honey'] } },
      {
        tool: 'decide_memory_changes',
        input: { decisions: [{ fact: 0, action: 'ADD', text: 'Ivy sells honey', reason: 'new' }] },
      },
    );
    await t.request(
      `mutation { rememberConversation(input: { externalUserId: "hook-ivy", messages: [{ role: USER, content: "I sell honey now." }] }) { __typename } }`,
    );
    while ((await dispatch()) > 0); // a round sends at most two to an endpoint
    /** The first event of each type one of the two endpoints heard. */
    const byEndpoint = (thinOnes: boolean) => {
      const heard: Record<string, any> = {};
      for (const r of receiver.received) if (r.url.endsWith('/thin') === thinOnes) heard[r.json.type] ??= r.json.data;
      return heard;
    };
    const rich = byEndpoint(false);
    expect(rich['memory.created']).toMatchObject({
      newContent: 'Ivy keeps bees',
      tags: ['hobby'],
      metadata: { source: 'chat' },
    });
    // The entities the memory names, as the API gives them.
    const named = await t.request(
      `query($id: ID!) { memory(externalUserId: "hook-ivy", id: $id) { ... on Memory { entities { id name type } } } }`,
      { id: added.memory.id },
    );
    expect(named.data.memory.entities.map((entity: any) => entity.name)).toEqual(['Ivy']);
    expect(rich['memory.created'].entities).toEqual(named.data.memory.entities);
    expect(rich['memory.updated']).toMatchObject({
      memoryId: added.memory.id,
      changedFields: ['tags'],
      tags: ['hobby', 'honey'],
      metadata: { source: 'chat' },
      reason: 'more',
    });
    expect(rich['conversation.finished'].changes).toEqual([
      expect.objectContaining({ action: 'ADD', content: 'Ivy sells honey', memoryId: expect.any(String) }),
    ]);
    const lean = byEndpoint(true);
    expect(Object.keys(lean).sort()).toEqual(['conversation.finished', 'memory.created', 'memory.updated']);
    for (const data of Object.values(lean)) expect(JSON.stringify(data)).not.toMatch(/Ivy|bees|honey|hobby|chat|more/);
    expect(lean['memory.updated']).toEqual({
      eventId: expect.any(String),
      externalUserId: 'hook-ivy',
      memoryId: added.memory.id,
      changedFields: ['tags'],
      conversationId: null,
      actor: expect.objectContaining({ kind: 'API_KEY' }),
    });
    expect(lean['conversation.finished'].changes).toEqual([
      { action: 'ADD', memoryId: rich['conversation.finished'].changes[0].memoryId },
    ]);
    // Every id in a payload is the one the API gives: the memory's, the conversation's, the key's.
    const memory = await t.request(
      `query($id: ID!) { memory(externalUserId: "hook-ivy", id: $id) { ... on Memory { threadId } } }`,
      { id: lean['conversation.finished'].changes[0].memoryId },
    );
    expect(memory.data.memory.threadId).toBe(lean['conversation.finished'].conversationId);
    expect(lean['memory.updated'].actor.apiKeyId).toBe(
      (await t.request(`{ apiKeys { id prefix } }`)).data.apiKeys.find(
        (key: any) => key.prefix === t.tenants.acme.apiKey.slice(0, 12),
      ).id,
    );
    // Switched to memory data, the thin endpoint hears the next change in full.
    const switched = await t.request(
      `mutation($id: ID!) { updateWebhookEndpoint(id: $id, includeMemoryData: true) { ... on WebhookEndpoint { includeMemoryData } } }`,
      { id: thin.id },
    );
    expect(switched.data.updateWebhookEndpoint.includeMemoryData).toBe(true);
    receiver.received.length = 0;
    await t.request(ADD, { input: { externalUserId: 'hook-ivy', content: 'Ivy has two hives', tags: ['bees'] } });
    await dispatch();
    expect(byEndpoint(true)['memory.created']).toMatchObject({ newContent: 'Ivy has two hives', tags: ['bees'] });
    await deleteEndpoint(full.endpoint.id);
    await deleteEndpoint(thin.id);
    receiver.received.length = 0;
  });

  test('a conversation job announces its end: finished with its changes, failed with its reason', async () => {
    const { endpoint } = await register(['CONVERSATION_FINISHED', 'CONVERSATION_FAILED']);
    const remember = `mutation($content: String!) { rememberConversation(input: { externalUserId: "hook-eve", messages: [{ role: USER, content: $content }] }) {
      ... on ConversationJob { id status } ... on Error { code } } }`;
    fake.answer(
      { tool: 'record_facts', input: { facts: ['Eve plays the cello'] } },
      {
        tool: 'decide_memory_changes',
        input: { decisions: [{ fact: 0, action: 'ADD', text: 'Eve plays the cello', reason: 'new' }] },
      },
    );
    const done = (await t.request(remember, { content: 'I play the cello.' })).data.rememberConversation;
    expect(done.status).toBe('DONE');
    fake.answer({ status: 400, errorType: 'invalid_request_error' });
    const failed = (await t.request(remember, { content: 'Something else.' })).data.rememberConversation;
    expect(failed.code).toBe('LLM_FAILED');
    await dispatch();
    const byType = Object.fromEntries(receiver.received.map((r) => [r.json.type, r.json.data]));
    expect(Object.keys(byType).sort()).toEqual(['conversation.failed', 'conversation.finished']);
    expect(byType['conversation.finished']).toMatchObject({
      externalUserId: 'hook-eve',
      conversationId: done.id,
      status: 'DONE',
      changes: [expect.objectContaining({ action: 'ADD', content: 'Eve plays the cello' })],
    });
    expect(byType['conversation.failed']).toMatchObject({
      externalUserId: 'hook-eve',
      status: 'FAILED',
      error: expect.any(String),
    });
    expect(uuidOf(byType['conversation.failed'].conversationId)).toMatch(/^[0-9a-f-]{36}$/);
    expect(byType['conversation.failed'].conversationId).not.toBe(done.id);
    await deleteEndpoint(endpoint.id);
    receiver.received.length = 0;
  });

  test('only http(s) URLs; loopback and private addresses only when the operator allows them', async () => {
    const refused = await t.request(CREATE, { url: 'ftp://example.com/x', events: ['MEMORY_CREATED'] });
    expect(refused.data.createWebhookEndpoint).toMatchObject({ __typename: 'ValidationError', field: 'url' });
    const { TenantWebhooks } = await import('../src/webhooks/tenantWebhooks.js');
    const { ScopedDatabase } = await import('../src/db/scope.js');
    const strict = new TenantWebhooks(
      new ScopedDatabase(t.db.prisma, { tenantId: t.tenants.acme.tenantId }, t.db),
      false,
    );
    for (const url of [
      'http://127.0.0.1:9/x',
      'http://localhost/x',
      'http://10.1.2.3/x',
      'http://[::1]/x',
      'http://169.254.169.254/latest',
      'http://user:pw@example.com/x',
    ]) {
      await expect(strict.create(url, ['memory.created'])).rejects.toThrow(/refused|credentials/);
    }
    expect((await strict.create('https://hooks.example.com/memgate', ['memory.created'])).endpoint.url).toBe(
      'https://hooks.example.com/memgate',
    );
  });

  /** A DNS server that answers each lookup of the host from a script, as a rebinding attacker's does. */
  const scriptedDns = (...answers: string[]) => {
    const asked: string[] = [];
    const resolve = async (host: string) => {
      asked.push(host);
      const address = answers[Math.min(asked.length - 1, answers.length - 1)];
      return [{ address, family: address.includes(':') ? 6 : 4 }];
    };
    return { asked, resolve };
  };
  const lastErrors = async (id: string) =>
    (await endpoints())
      .find((endpoint: any) => endpoint.id === id)
      .deliveries.map((delivery: any) => delivery.lastError);

  test('a delivery connects to the address that was checked: a second DNS answer cannot turn it inward', async () => {
    const port = new URL(receiver.url).port;
    const { endpoint } = await register(['MEMORY_CREATED']);
    await t.request(`mutation($id: ID!, $url: String!) { updateWebhookEndpoint(id: $id, url: $url) { __typename } }`, {
      id: endpoint.id,
      url: `http://rebind.memgate.test:${port}/hooks`,
    });
    await t.request(ADD, { input: { externalUserId: 'hook-rex', content: 'Rex rebinding' } });
    // Public to the check, loopback to whoever asks next: the connection must not ask again.
    const rebinding = scriptedDns('93.184.216.34', '127.0.0.1');
    await dispatch({ allowInternal: false, resolve: rebinding.resolve, timeoutMs: 1_000 });
    expect(rebinding.asked.filter((host) => host === 'rebind.memgate.test')).toHaveLength(1);
    expect(receiver.received).toHaveLength(0);
    // Loopback to the first answer: refused before any connection, and lastError names no address.
    await dispatch({ allowInternal: false, resolve: scriptedDns('127.0.0.1').resolve });
    expect(receiver.received).toHaveLength(0);
    const [refused] = await lastErrors(endpoint.id);
    expect(refused).toMatch(/^refused: the host resolves to an address webhooks may not reach/);
    expect(refused).not.toMatch(/127\.0\.0\.1|rebind/);
    // Where private targets are allowed, the checked answer is where it goes (the system resolver knows no such name).
    await dispatch({ resolve: scriptedDns('127.0.0.1').resolve });
    expect(receiver.received.map((r) => [r.json.data.newContent, r.headers.host])).toEqual([
      ['Rex rebinding', `rebind.memgate.test:${port}`],
    ]);
    await deleteEndpoint(endpoint.id);
    receiver.received.length = 0;
  });

  test('cloud metadata stays refused with private targets allowed; lastError gives the class of failure, never an address', async () => {
    const { endpoint } = await register(['MEMORY_CREATED']);
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://[fd00:ec2::254]/',
    ]) {
      const refused = await t.request(
        `mutation($id: ID!, $url: String!) { updateWebhookEndpoint(id: $id, url: $url) { __typename ... on ValidationError { message } } }`,
        { id: endpoint.id, url },
      );
      expect(refused.data.updateWebhookEndpoint).toEqual({
        __typename: 'ValidationError',
        message: 'Webhooks to cloud metadata services are refused.',
      });
    }
    await t.request(`mutation($id: ID!, $url: String!) { updateWebhookEndpoint(id: $id, url: $url) { __typename } }`, {
      id: endpoint.id,
      url: 'http://metadata.memgate.test/computeMetadata/v1/',
    });
    await t.request(ADD, { input: { externalUserId: 'hook-meg', content: 'Meg metadata' } });
    const attempt = async (options: Partial<DispatcherOptions>) => {
      await t.db.prisma
        .$executeRaw`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE endpoint_id = ${uuidOf(endpoint.id)}::uuid`;
      await dispatch(options);
      return (await lastErrors(endpoint.id))[0];
    };
    expect(await attempt({ resolve: scriptedDns('169.254.169.254').resolve })).toMatch(/^refused: /);
    expect(await attempt({ resolve: scriptedDns('::ffff:169.254.169.254').resolve })).toMatch(/^refused: /);
    const unknown = await attempt({
      resolve: async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND metadata.memgate.test'), { code: 'ENOTFOUND' });
      },
    });
    expect(unknown).toBe('DNS: the host name did not resolve');
    expect(await attempt({ resolve: scriptedDns('127.0.0.1').resolve, timeoutMs: 1_000 })).toMatch(
      /^connection refused$|^timeout: /,
    );
    await deleteEndpoint(endpoint.id);
  });

  test("one tenant's dead endpoints do not hold back another tenant's deliveries", async () => {
    const dead = new Receiver();
    await dead.start();
    dead.holdWhile(() => true);
    const create = async (url: string, key: string) =>
      (await t.request(CREATE, { url, events: ['MEMORY_CREATED'] }, key)).data.createWebhookEndpoint.endpoint.id;
    const acme = t.tenants.acme.apiKey;
    const deadEndpoints = await Promise.all(Array.from({ length: 15 }, (_, i) => create(`${dead.url}/${i}`, acme)));
    const inputs = Array.from({ length: 7 }, (_, i) => ({ content: `Flood ${i}` }));
    const flood = await t.request(
      `mutation($memories: [MemoryInput!]!) { addMemories(input: { externalUserId: "hook-flood", memories: $memories }) { __typename } }`,
      { memories: inputs },
    );
    expect(flood.data.addMemories.__typename).toBe('AddedMemories');
    const globex = t.tenants.globex.apiKey;
    const live = await create(receiver.url, globex);
    await t.request(ADD, { input: { externalUserId: 'hook-gil', content: 'Gil waits for nobody' } }, globex);

    const dispatcher = new WebhookDispatcher(t.db.prisma, {
      allowInternal: true,
      pollMs: 50,
      timeoutMs: 5_000,
      backoffMs: () => 60_000,
    });
    dispatcher.start();
    try {
      for (let i = 0; i < 100 && receiver.received.length === 0; i++) await new Promise((r) => setTimeout(r, 30));
      expect(receiver.received.map((r) => r.json.data.newContent)).toEqual(['Gil waits for nobody']);
      // Delivered while every attempt at the dead endpoints still hangs, holding no more than its share.
      for (let i = 0; i < 100 && dead.received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(dead.received.length).toBeGreaterThan(0);
      expect(dead.received.length).toBeLessThanOrEqual(8);
      const [{ finished }] = await t.db.prisma.$queryRaw<{ finished: number }[]>`
        SELECT count(*)::int AS finished FROM webhook_deliveries WHERE endpoint_id = ANY(${deadEndpoints.map(uuidOf)}::uuid[]) AND last_error IS NOT NULL`;
      expect(finished).toBe(0);
    } finally {
      await dispatcher.stop();
      await dead.stop();
    }
    for (const id of deadEndpoints) await deleteEndpoint(id);
    await t.request(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { __typename } }`, { id: live }, globex);
    receiver.received.length = 0;
  });

  test('another tenant cannot see, change, delete or replay an endpoint; an end user’s scope cannot read its secret', async () => {
    const { endpoint } = await register(['MEMORY_CREATED']);
    const globex = t.tenants.globex.apiKey;
    expect((await endpoints(globex)).map((e: any) => e.id)).not.toContain(endpoint.id);
    const update = await t.request(
      `mutation($id: ID!) { updateWebhookEndpoint(id: $id, url: "http://127.0.0.1:1/steal") { __typename } }`,
      { id: endpoint.id },
      globex,
    );
    expect(update.data.updateWebhookEndpoint.__typename).toBe('NotFoundError');
    const removed = await t.request(
      `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { __typename } }`,
      { id: endpoint.id },
      globex,
    );
    expect(removed.data.deleteWebhookEndpoint.__typename).toBe('NotFoundError');
    const alice = { tenantId: t.tenants.acme.tenantId, externalUserId: 'hook-dan' };
    await expect(t.db.readScoped(alice, [Prisma.sql`SELECT secret FROM webhook_endpoints`])).rejects.toThrow(
      /permission denied/,
    );
    const [[changed]] = await t.db.writeScoped(alice, [
      Prisma.sql`WITH changed AS (UPDATE webhook_endpoints SET url = 'http://127.0.0.1:1/steal' RETURNING 1) SELECT count(*)::int AS n FROM changed`,
    ]);
    expect(changed).toEqual({ n: 0 });
    expect((await endpoints()).find((e: any) => e.id === endpoint.id)).toBeDefined();
    const [stored] = await t.db.prisma.$queryRaw<
      { url: string }[]
    >`SELECT url FROM webhook_endpoints WHERE id = ${uuidOf(endpoint.id)}::uuid`;
    expect(stored.url).toBe(receiver.url);
    const [[visible]] = await t.db.readScoped(alice, [Prisma.sql`SELECT count(*)::int AS n FROM webhook_deliveries`]);
    expect(visible).toEqual({ n: 0 });
    const readOnly = await t.request(
      `mutation { createApiKey(name: "r", scopes: [READ, WRITE]) { ... on NewApiKey { apiKey } } }`,
    );
    const denied = await t.request(ENDPOINTS, {}, readOnly.data.createApiKey.apiKey);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await deleteEndpoint(endpoint.id);
  });
});

/** The gateway as deployed (its own process, its own dispatcher), killed while a delivery is in flight. */
const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

onPostgres('a gateway killed mid-delivery', () => {
  let db: TestDatabase;
  let apiKey: string;
  let gateway: GatewayProcess | undefined;
  const receiver = new Receiver();
  let hangNext = true;
  const env = () => ({
    NODE_ENV: 'production',
    DATABASE_URL: db.url!,
    DATABASE_APP_URL: db.appUrl!,
    MEMGATE_SECRET: 'webhooks-test-secret-0123456789abcdef',
    MEMGATE_WEBHOOKS_ALLOW_PRIVATE: 'true',
    MEMGATE_WEBHOOK_TIMEOUT_SECONDS: '1',
  });

  beforeAll(async () => {
    await receiver.start();
    // The first delivery is never answered: the gateway is killed while it waits.
    receiver.holdWhile(() => hangNext);
    db = await openTestDatabase('postgres');
    ({ apiKey } = await createTenant(db.prisma, 'hooked'));
  });
  afterAll(async () => {
    await gateway?.stop();
    killGatewayProcesses();
    await receiver.stop();
    await db?.destroy();
  });

  test('delivers the acknowledged change once the gateway is back, with the same webhook-id', async () => {
    gateway = await startGatewayProcess(env());
    const created = await postGraphQL(gateway.url, apiKey, CREATE, { url: receiver.url, events: ['MEMORY_CREATED'] });
    const { secret } = created.body.data.createWebhookEndpoint;
    const added = await postGraphQL(gateway.url, apiKey, ADD, {
      input: { externalUserId: 'kill-kim', content: 'Kim keeps bees' },
    });
    expect(added.body.data.addMemory.memory.id).toBeDefined();
    await until(() => receiver.received.length === 1, 15_000);
    gateway.child.kill('SIGKILL');
    hangNext = false;

    gateway = await startGatewayProcess(env());
    const restartedAt = Date.now();
    await until(() => receiver.received.length === 2, 20_000);
    console.log(
      `webhooks: the killed delivery was sent again ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart (attempt lease 3 s)`,
    );
    const [first, second] = receiver.received;
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.json).toEqual(first.json);
    expect(second.json).toMatchObject({
      type: 'memory.created',
      data: { externalUserId: 'kill-kim', newContent: 'Kim keeps bees' },
    });
    expect(verifyStandardWebhook(secret, second.headers, second.body)).toBe(true);
    const listed = await postGraphQL(gateway.url, apiKey, ENDPOINTS);
    expect(listed.body.data.webhookEndpoints[0].deliveries).toEqual([
      expect.objectContaining({ status: 'DELIVERED', attempts: 2, lastStatusCode: 200 }),
    ]);
    // Delivered is delivered: nothing more arrives.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.received).toHaveLength(2);
  });
});

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('webhook target addresses', () => {
  const ownPublicOrNot = Object.values(networkInterfaces())
    .flat()
    .map((entry) => entry!.address)
    .filter((address) => !address.startsWith('127.') && address !== '::1');

  test.each([
    '64:ff9b::a00:1', // NAT64 of 10.0.0.1
    '64:ff9b::a9fe:a9fe', // NAT64 of the metadata address
    '64:ff9b::7f00:1',
    '64:ff9b:1::1', // local-use NAT64
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::127.0.0.1',
    '2002:7f00:1::1', // 6to4 of 127.0.0.1
    '2002:a00:1::', // 6to4 of 10.0.0.1
    '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
    '2001:db8::1',
    '100::1',
    'fec0::1',
    'fd12:3456::1',
    'fe80::1%eth0',
    '192.0.0.1',
    '192.0.2.10',
    '198.51.100.7',
    '203.0.113.9',
    '192.88.99.1',
    '100.64.0.1',
    '198.18.0.1',
    '255.255.255.255',
    '0.0.0.0',
    'not-an-address',
  ])('%s is refused as a webhook target', (address) => {
    expect(isInternalAddress(address)).toBe(true);
    expect(mayDeliverTo(address, false)).toBe(false);
  });

  test("this host's own interface addresses are refused, public or not", () => {
    for (const address of ownPublicOrNot) expect(isInternalAddress(address)).toBe(true);
  });

  test.each([
    '8.8.8.8',
    '93.184.216.34',
    '2606:4700:4700::1111',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '::ffff:8.8.8.8',
  ])('%s (public) may be a target', (address) => {
    if (ownPublicOrNot.includes(address)) return;
    expect(isInternalAddress(address)).toBe(false);
    expect(mayDeliverTo(address, false)).toBe(true);
  });

  test.each([
    '169.254.169.254',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe',
    'fd00:ec2::254',
    '100.100.100.200',
    '168.63.129.16',
  ])('metadata service %s is refused even where private targets are allowed', (address) => {
    expect(isMetadataAddress(address)).toBe(true);
    expect(mayDeliverTo(address, true)).toBe(false);
    expect(() => checkWebhookUrl(`http://${address.includes(':') ? `[${address}]` : address}/`, true)).toThrow(
      /metadata/,
    );
  });

  test('private targets are allowed where the operator says so', () => {
    expect(mayDeliverTo('10.0.0.1', true)).toBe(true);
    expect(checkWebhookUrl('http://[64:ff9b::a00:1]/hooks', true)).toBe('http://[64:ff9b::a00:1]/hooks');
    expect(() => checkWebhookUrl('http://[64:ff9b::a00:1]/hooks', false)).toThrow(/refused/);
  });
});
