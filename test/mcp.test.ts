import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createApiKey } from '../src/db/admin.js';
import { Claude } from '../src/llm/claude.js';
import { FakeAnthropic } from './support/fakeAnthropic.js';
import { ADD, LIST } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/**
 * The MCP endpoint, driven by the official SDK's own client over real HTTP: the tools a credential
 * may use, each tool against the same data as GraphQL, isolation between end users and tenants,
 * and bad arguments answered as MCP tool errors.
 */
type ToolAnswer = { isError?: boolean; content: { type: string; text: string }[]; structuredContent?: any };

const call = async (client: Client, name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as ToolAnswer;

/** A test gateway served over HTTP, and MCP clients connected to its /mcp with a credential. */
function servedGateway(start: () => Promise<TestGateway>) {
  const served = { t: undefined as unknown as TestGateway, url: undefined as unknown as URL };
  let server: Server | undefined;
  const clients: Client[] = [];
  beforeAll(async () => {
    served.t = await start();
    server = createServer(served.t.gateway);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    served.url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    if (server) await new Promise((resolve) => server!.close(resolve));
    await served.t?.close();
  });
  const connect = async (credential: string): Promise<Client> => {
    const client = new Client({ name: 'memgate-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(served.url, {
        requestInit: { headers: { Authorization: `Bearer ${credential}` } },
      }),
    );
    clients.push(client);
    return client;
  };
  return { served, connect };
}

describe.each(databaseKinds)('MCP endpoint on %s', (kind) => {
  const fake = new FakeAnthropic();
  const { served, connect } = servedGateway(async () => {
    await fake.start();
    const claude = new Claude({
      apiKey: 'test-key',
      baseURL: fake.url,
      model: 'claude-test',
      maxTokens: 1024,
      timeoutMs: 2_000,
      maxRetries: 0,
    });
    return startTestGateway(kind, { claude });
  });
  afterAll(() => fake.stop());

  test('an API key lists every memory tool, each with a description and a JSON schema naming the end user', async () => {
    const { t } = served;
    const client = await connect(t.tenants.acme.apiKey);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'about',
      'context_for_prompt',
      'forget',
      'list_recent',
      'recall',
      'remember',
      'remember_conversation',
      'update',
    ]);
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(20);
      expect(tool.inputSchema.required).toContain('externalUserId');
    }
    expect(tools.find((tool) => tool.name === 'recall')!.annotations?.readOnlyHint).toBe(true);
    // Every parameter, nested ones included, tells an agent what it is and its scale or default.
    const undescribed: string[] = [];
    const walk = (schema: any, path: string) => {
      for (const [name, property] of Object.entries<any>(schema?.properties ?? {})) {
        if (!property.description) undescribed.push(`${path}.${name}`);
        walk(property, `${path}.${name}`);
        walk(property.items, `${path}.${name}[]`);
      }
    };
    for (const tool of tools) walk(tool.inputSchema, tool.name);
    expect(undescribed).toEqual([]);
    const recall = tools.find((tool) => tool.name === 'recall')!.inputSchema.properties as any;
    expect(recall.minScore.description).toMatch(/0 .*to 1.*default/);
    expect(tools.find((tool) => tool.name === 'remember')!.description).toMatch(/use update on that memory instead/);
  });

  test('remember, recall, context, list, update and forget act on the same memories as GraphQL', async () => {
    const { t } = served;
    const client = await connect(t.tenants.acme.apiKey);
    const user = 'mcp-alice@example.com';
    const remembered = await call(client, 'remember', {
      externalUserId: user,
      content: 'Alice is allergic to peanuts',
      tags: ['health'],
    });
    expect(remembered.isError).toBeFalsy();
    expect(remembered.structuredContent).toMatchObject({
      created: true,
      memory: { content: 'Alice is allergic to peanuts', tags: ['health'] },
    });
    const id = remembered.structuredContent.memory.id;
    const lisbon = await call(client, 'remember', {
      externalUserId: user,
      content: 'Alice flies to Lisbon in May',
      threadId: 'trip-chat',
    });
    expect(lisbon.structuredContent.memory.threadId).toBe('trip-chat');
    await call(client, 'remember', {
      externalUserId: user,
      content: 'Alice: Bob booked us a hotel',
      threadId: 'trip-chat',
    });

    const listed = await t.request(LIST, { user });
    expect(listed.data.memories.edges.map((edge: any) => edge.node.id)).toContain(id);

    const recalled = await call(client, 'recall', {
      externalUserId: user,
      query: 'what is she allergic to?',
      limit: 1,
    });
    expect(recalled.structuredContent.hits).toHaveLength(1);
    expect(recalled.structuredContent.hits[0]).toMatchObject({ id, content: 'Alice is allergic to peanuts' });
    expect(JSON.parse(recalled.content[0].text)).toEqual(recalled.structuredContent);

    const context = await call(client, 'context_for_prompt', {
      externalUserId: user,
      query: 'plan a dinner for Alice',
    });
    expect(context.structuredContent.text).toContain('<user_memories>');
    expect(context.structuredContent.text).toContain('peanuts');
    const around = await call(client, 'context_for_prompt', {
      externalUserId: user,
      query: 'when does Alice fly to Lisbon?',
      threadContext: 1,
    });
    expect(around.structuredContent.text).toContain('just after in its conversation: Alice: Bob booked us a hotel');

    const updated = await call(client, 'update', {
      externalUserId: user,
      id,
      content: 'Alice is allergic to peanuts and cashews',
      reason: 'she said so',
    });
    expect(updated.structuredContent.memory).toMatchObject({ id, content: 'Alice is allergic to peanuts and cashews' });

    // What is known about Lisbon: the entity the name means, and the memories that name it.
    const about = await call(client, 'about', { externalUserId: user, name: 'lisbon' });
    expect(about.structuredContent).toMatchObject({
      found: true,
      entity: { name: 'Lisbon', type: 'PLACE' },
      memories: [{ content: 'Alice flies to Lisbon in May' }],
    });
    expect((await call(client, 'about', { externalUserId: user, name: 'Zebulon' })).structuredContent).toMatchObject({
      found: false,
      memories: [],
    });
    expect(
      (await call(client, 'about', { externalUserId: 'tok-bob@example.com', name: 'lisbon' })).structuredContent.found,
    ).toBe(false);

    const forgotten = await call(client, 'forget', { externalUserId: user, id });
    expect(forgotten.isError).toBeFalsy();
    const recent = await call(client, 'list_recent', { externalUserId: user });
    expect(recent.structuredContent.memories.map((memory: any) => memory.content)).toEqual([
      'Alice: Bob booked us a hotel',
      'Alice flies to Lisbon in May',
    ]);
  });

  test('an end-user token is offered no user argument, and cannot reach another end user', async () => {
    const { t } = served;
    const minted = await t.request(
      `mutation { createEndUserToken(externalUserId: "tok-bob@example.com", scopes: [READ, WRITE]) { ... on EndUserToken { token } } }`,
    );
    const client = await connect(minted.data.createEndUserToken.token);
    const { tools } = await client.listTools();
    for (const tool of tools) expect(Object.keys(tool.inputSchema.properties ?? {})).not.toContain('externalUserId');
    const remembered = await call(client, 'remember', { content: 'Bob plays the cello' });
    expect(remembered.structuredContent.memory.content).toBe('Bob plays the cello');
    const own = await t.request(LIST, { user: 'tok-bob@example.com' });
    expect(own.data.memories.edges.map((edge: any) => edge.node.content)).toEqual(['Bob plays the cello']);

    await t.request(ADD, {
      input: { externalUserId: 'tok-carol@example.com', content: 'Carol hides a surprise party' },
    });
    const elsewhere = await call(client, 'recall', {
      externalUserId: 'tok-carol@example.com',
      query: 'surprise party',
    });
    expect(elsewhere.isError).toBe(true);
    expect(elsewhere.content[0].text).toMatch(/^VALIDATION_FAILED: externalUserId/);
    expect(JSON.stringify(elsewhere)).not.toContain('surprise');
  });

  test('end users and tenants are isolated: recall, update and forget never reach another’s memory', async () => {
    const { t } = served;
    const acme = await connect(t.tenants.acme.apiKey);
    const globex = await connect(t.tenants.globex.apiKey);
    const secret = await call(acme, 'remember', {
      externalUserId: 'iso-dave@example.com',
      content: 'Dave keeps the vault code 4711',
    });
    const secretId = secret.structuredContent.memory.id;
    for (const [client, user] of [
      [acme, 'iso-erin@example.com'],
      [globex, 'iso-dave@example.com'],
    ] as const) {
      const recalled = await call(client, 'recall', {
        externalUserId: user,
        query: 'vault code 4711',
        mode: 'KEYWORD',
      });
      expect(recalled.structuredContent.hits).toEqual([]);
      for (const [tool, args] of [
        ['update', { id: secretId, content: 'overwritten' }],
        ['forget', { id: secretId }],
      ] as const) {
        const attempt = await call(client, tool, { externalUserId: user, ...args });
        expect(attempt.isError).toBe(true);
        expect(attempt.content[0].text).toMatch(/^NOT_FOUND/);
      }
    }
    const still = await call(acme, 'recall', {
      externalUserId: 'iso-dave@example.com',
      query: 'vault code',
      mode: 'KEYWORD',
    });
    expect(still.structuredContent.hits.map((hit: any) => hit.content)).toEqual(['Dave keeps the vault code 4711']);
  });

  test('bad arguments are MCP tool errors, and change nothing', async () => {
    const { t } = served;
    const client = await connect(t.tenants.acme.apiKey);
    const user = 'bad-frank@example.com';
    const missing = await call(client, 'remember', { externalUserId: user });
    expect(missing.isError).toBe(true);
    expect(missing.content[0].text).toMatch(/^VALIDATION_FAILED: content/);
    expect(missing.structuredContent).toMatchObject({ code: 'VALIDATION_FAILED', field: 'content' });
    const empty = await call(client, 'remember', { externalUserId: user, content: '   ' });
    expect(empty.isError).toBe(true);
    expect(empty.content[0].text).toMatch(/^VALIDATION_FAILED/);
    const badId = await call(client, 'forget', { externalUserId: user, id: 'not-a-memory' });
    expect(badId.content[0].text).toMatch(/^VALIDATION_FAILED/);
    const badLimit = await call(client, 'recall', { externalUserId: user, query: 'x', limit: 1000 });
    expect(badLimit.content[0].text).toMatch(/^VALIDATION_FAILED: limit/);
    const list = await t.request(LIST, { user });
    expect(list.data.memories.edges).toEqual([]);
  });

  test('a read-only key is offered only the reading tools, and is told FORBIDDEN for another; no credential, or a wrong one, is refused with 401', async () => {
    const { t, url } = served;
    const readOnly = await createApiKey(t.db.prisma, t.tenants.acme.tenantId, 'reader', ['READ']);
    const reader = await connect(readOnly);
    const { tools } = await reader.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['about', 'context_for_prompt', 'list_recent', 'recall']);
    // A tool it is not offered answers why, with GraphQL's code and words.
    const write = await call(reader, 'remember', { externalUserId: 'ro@example.com', content: 'Not written' });
    expect(write.content[0].text).toBe('FORBIDDEN: This credential lacks the WRITE scope.');
    expect((await call(reader, 'no_such_tool', {})).content[0].text).toMatch(/^VALIDATION_FAILED: No tool named/);
    expect((await t.request(LIST, { user: 'ro@example.com' })).data.memories.edges).toEqual([]);
    for (const headers of [{}, { Authorization: 'Bearer mgk_wrong' }] as Record<string, string>[]) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  test('remember_conversation gives the conversation to Claude and answers the changes it made', async () => {
    const { t } = served;
    fake.answer(
      { tool: 'record_facts', input: { facts: ['The user is learning Portuguese'] } },
      {
        tool: 'decide_memory_changes',
        input: { decisions: [{ fact: 0, action: 'ADD', text: 'The user is learning Portuguese', reason: 'new' }] },
      },
    );
    const client = await connect(t.tenants.acme.apiKey);
    const answered = await call(client, 'remember_conversation', {
      externalUserId: 'conv-gina@example.com',
      messages: [
        { role: 'user', content: 'Obrigada! I am learning Portuguese for my move.' },
        { role: 'assistant', content: 'Boa sorte!' },
      ],
    });
    expect(answered.isError).toBeFalsy();
    expect(answered.structuredContent).toMatchObject({
      status: 'DONE',
      changes: [{ action: 'ADD', content: 'The user is learning Portuguese' }],
    });
    const list = await t.request(LIST, { user: 'conv-gina@example.com' });
    expect(list.data.memories.edges.map((edge: any) => edge.node.id)).toEqual([
      answered.structuredContent.changes[0].memoryId,
    ]);
  });
});

describe('MCP endpoint without Claude', () => {
  const { served, connect } = servedGateway(() => startTestGateway('pglite'));

  test('remember_conversation is not offered', async () => {
    const { tools } = await (await connect(served.t.tenants.acme.apiKey)).listTools();
    expect(tools.map((tool) => tool.name)).not.toContain('remember_conversation');
    expect(tools.map((tool) => tool.name)).toContain('remember');
  });
});

describe('MCP endpoint rate limits', () => {
  const { served, connect } = servedGateway(() =>
    startTestGateway('pglite', { rateLimits: { perCredential: 6, perEndUser: 2, authFailuresPerAddress: 0 } }),
  );

  test('the same limits as GraphQL: per end user a tool error, per credential HTTP 429', async () => {
    const client = await connect(served.t.tenants.acme.apiKey); // initialize and its notification: 2 requests
    const recall = (user: string) => call(client, 'recall', { externalUserId: user, query: 'anything' });
    expect((await recall('limited@example.com')).isError).toBeFalsy();
    expect((await recall('limited@example.com')).isError).toBeFalsy();
    const third = await recall('limited@example.com');
    expect(third.isError).toBe(true);
    expect(third.content[0].text).toMatch(/^RATE_LIMITED/);
    expect((await recall('other@example.com')).isError).toBeFalsy();
    await expect(recall('another@example.com')).rejects.toThrow(/429|Too many requests/);
  });
});
