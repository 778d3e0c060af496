import WebSocket from 'ws';
import { createLogger } from '../src/observability/logger.js';
import { Metrics } from '../src/observability/metrics.js';
import { logSink } from './support/logSink.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { serve, wsResult, type Served } from './support/served.js';

/**
 * Every transport is counted, limited, logged and measured by the same policy: an MCP batch of N
 * calls counts N, a request may hold at most 20 expensive calls whatever carries it, a failed
 * WebSocket login counts against its address like an HTTP one, and every MCP call, WebSocket
 * operation and streamed subscription leaves a log line and metrics — without content, end users or
 * keys. (The policy does not depend on the database: PGlite only.)
 */
type RpcAnswer = { id: number; result?: { isError?: boolean; structuredContent?: any }; error?: { message: string } };

async function rpcBatch(served: Served, key: string, calls: { name: string; arguments: Record<string, unknown> }[]) {
  const response = await fetch(served.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${key}`,
    },
    body: JSON.stringify(calls.map((params, i) => ({ jsonrpc: '2.0', id: i + 1, method: 'tools/call', params }))),
  });
  const answered = (await response.json()) as RpcAnswer | RpcAnswer[];
  return { status: response.status, answers: Array.isArray(answered) ? answered : [answered] };
}

const outcomes = (answers: RpcAnswer[]) =>
  answers.map((answer) => (answer.result?.isError ? answer.result.structuredContent.code : 'ok'));
const count = (values: string[], value: string) => values.filter((candidate) => candidate === value).length;

async function gateway(
  rateLimits: { perCredential: number; perEndUser: number; authFailuresPerAddress?: number },
  extra = {},
) {
  const t = await startTestGateway('pglite', { rateLimits, extra });
  return { t, served: await serve(t) };
}

describe('limits are per call, in every transport', () => {
  let t: TestGateway;
  let served: Served;
  beforeAll(async () => ({ t, served } = await gateway({ perCredential: 0, perEndUser: 150 })));
  afterAll(async () => {
    await served.close();
    await t.close();
  });

  test('an MCP batch of 100 calls counts 100 against the end user; GraphQL then hears the same limit', async () => {
    const list = Array.from({ length: 100 }, () => ({
      name: 'list_recent',
      arguments: { externalUserId: 'batch@example.com' },
    }));
    const first = await rpcBatch(served, t.tenants.acme.apiKey, list);
    expect(count(outcomes(first.answers), 'ok')).toBe(100);
    const second = await rpcBatch(served, t.tenants.acme.apiKey, list);
    expect(count(outcomes(second.answers), 'ok')).toBe(50);
    expect(count(outcomes(second.answers), 'RATE_LIMITED')).toBe(50);
    const graphql = await t.request(`{ memories(externalUserId: "batch@example.com") { __typename } }`);
    expect(graphql.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(
      (await rpcBatch(served, t.tenants.acme.apiKey, list.slice(0, 1))).answers[0].result?.structuredContent.code,
    ).toBe('RATE_LIMITED');
  });

  test('more than 20 expensive calls in one request are refused whole, with the same code in MCP and GraphQL', async () => {
    const recall = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        name: 'recall',
        arguments: { externalUserId: `cost-${i}@example.com`, query: 'tea' },
      }));
    expect(outcomes((await rpcBatch(served, t.tenants.acme.apiKey, recall(20))).answers)).toEqual(Array(20).fill('ok'));
    const refused = await rpcBatch(served, t.tenants.acme.apiKey, recall(21));
    expect(outcomes(refused.answers)).toEqual(Array(21).fill('COST_LIMIT_EXCEEDED'));
    // GraphQL carries more than 20 root fields in one request as a batch of operations (aliases stop at 20).
    const search = (n: number) => ({
      query: `{ ${Array.from({ length: n }, (_, i) => `s${i}: searchMemories(externalUserId: "cost-${i}@example.com", query: "tea") { __typename }`).join(' ')} }`,
    });
    const batch = async (operations: { query: string }[]) =>
      (await (
        await fetch(served.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tenants.acme.apiKey}` },
          body: JSON.stringify(operations),
        })
      ).json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] }[];
    expect((await batch([search(10), search(10)])).map((answer) => answer.errors)).toEqual([undefined, undefined]);
    const [first, second] = await batch([search(10), search(11)]);
    expect(first.errors).toBeUndefined();
    expect(second.errors?.[0].extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    expect(second.data).toBeUndefined();
  });
});

test("an MCP batch past the credential's limit is refused whole: none of its calls runs", async () => {
  const { t, served } = await gateway({ perCredential: 50, perEndUser: 0 });
  try {
    const forget = Array.from({ length: 60 }, () => ({
      name: 'forget',
      arguments: { externalUserId: 'greedy@example.com', id: '00000000-0000-4000-8000-000000000000' },
    }));
    // Had any of them run, it would answer NOT_FOUND (there is no such memory), as another key's do.
    const refused = await rpcBatch(served, t.tenants.acme.apiKey, forget);
    expect(outcomes(refused.answers)).toEqual(Array(60).fill('RATE_LIMITED'));
    const allowed = await rpcBatch(served, t.tenants.globex.apiKey, forget.slice(0, 40));
    expect(outcomes(allowed.answers)).toEqual(Array(40).fill('NOT_FOUND'));
  } finally {
    await served.close();
    await t.close();
  }
});

test('failed WebSocket logins count against the address as HTTP ones do, and refusals close with their code', async () => {
  const { t, served } = await gateway({ perCredential: 0, perEndUser: 0, authFailuresPerAddress: 3 });
  const close = (credential: string) =>
    new Promise<{ code: number; reason: string }>((resolve) => {
      const socket = new WebSocket(served.graphqlUrl.replace('http', 'ws'), 'graphql-transport-ws');
      socket.on('open', () =>
        socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${credential}` } })),
      );
      socket.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
    });
  try {
    for (let i = 0; i < 3; i++)
      expect(await close('mgk_wrong')).toEqual({
        code: 4403,
        reason: expect.stringMatching(/^UNAUTHENTICATED \(MALFORMED\): /),
      });
    expect(await close('mgk_wrong')).toEqual({ code: 4403, reason: expect.stringMatching(/^RATE_LIMITED: /) });
    // The address is now refused over HTTP too, before any key is looked up.
    const http = await fetch(served.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tenants.acme.apiKey}` },
      body: JSON.stringify({ query: '{ viewer { credential } }' }),
    });
    expect(http.status).toBe(429);
  } finally {
    await served.close();
    await t.close();
  }
});

describe('every transport is logged and measured', () => {
  const log = logSink();
  const metrics = new Metrics();
  let t: TestGateway;
  let served: Served;
  beforeAll(
    async () =>
      ({ t, served } = await gateway(
        { perCredential: 0, perEndUser: 0 },
        { logger: createLogger('info', log.stream), metrics },
      )),
  );
  afterAll(async () => {
    await served.close();
    await t.close();
  });

  test('one line per MCP call, WebSocket operation and streamed subscription, labelled by transport; metrics by transport and operation', async () => {
    const user = 'private-user@example.com';
    await rpcBatch(served, t.tenants.acme.apiKey, [
      { name: 'remember', arguments: { externalUserId: user, content: 'A private fact' } },
      { name: 'recall', arguments: { externalUserId: user, query: 'private' } },
      { name: 'recall', arguments: { externalUserId: user, query: 'x', limit: 1000 } },
    ]);
    const ws = served.ws(t.tenants.acme.apiKey);
    await wsResult(ws, `query($user: String) { memories(externalUserId: $user) { __typename } }`, { user });
    await ws.dispose();
    for (const accept of ['text/event-stream', 'multipart/mixed;subscriptionSpec="1.0", application/json']) {
      const controller = new AbortController();
      const stream = await fetch(served.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${t.tenants.acme.apiKey}` },
        body: JSON.stringify({ query: `subscription { memoryEvents(externalUserId: "${user}") { kind } }` }),
        signal: controller.signal,
      });
      expect(stream.status).toBe(200);
      controller.abort();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));

    const lines = log.entries();
    const calls = lines.filter((line) => line.msg === 'call');
    expect(calls.map(({ transport, tool, outcome }) => [transport, tool, outcome]).sort()).toEqual([
      ['mcp', 'recall', 'VALIDATION_FAILED'],
      ['mcp', 'recall', 'ok'],
      ['mcp', 'remember', 'ok'],
    ]);
    const requests = lines.filter((line) => line.msg === 'request');
    expect(requests.map((line) => line.transport).sort()).toEqual(['mcp', 'multipart', 'sse', 'websocket']);
    expect(requests.find((line) => line.transport === 'websocket')).toMatchObject({
      operation: 'memories',
      outcome: 'ok',
    });
    expect(log.text()).not.toMatch(/private|A private fact/);
    expect(log.text()).not.toContain(t.tenants.acme.apiKey);

    const scraped = await metrics.registry.metrics();
    for (const [transport, operation] of [
      ['mcp', 'addMemory'],
      ['mcp', 'searchMemories'],
      ['websocket', 'memories'],
      ['sse', 'memoryEvents'],
      ['multipart', 'memoryEvents'],
    ]) {
      expect(scraped).toMatch(
        new RegExp(`memgate_calls_total\\{transport="${transport}",operation="${operation}",outcome="ok"\\} [1-9]`),
      );
    }
    expect(scraped).toMatch(/memgate_call_duration_seconds_count\{transport="mcp",operation="searchMemories"\} 1/);
  });
});
