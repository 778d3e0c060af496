import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { openSession } from '../src/app/session.js';
import type { Principal } from '../src/auth/principal.js';
import { Claude } from '../src/llm/claude.js';
import { mcpServer } from '../src/mcp/server.js';
import { databaseKinds } from './support/databases.js';
import { FakeAnthropic } from './support/fakeAnthropic.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { sweepDocuments } from './support/schemaSweep.js';
import { callTool, serve, wsResult, type Served } from './support/served.js';

/**
 * One door: every credential kind through every operation of every transport — GraphQL over HTTP,
 * GraphQL over WebSocket, MCP. acme's end user alice holds memories whose content, tags and metadata
 * carry SECRET, a conversation job that changed them, and webhook deliveries announcing it all. Only
 * acme's credentials with READ may see SECRET; a WRITE-only or ADMIN-only key, a WRITE-only token, an
 * end-user token of another end user and another tenant's key never may, whatever they ask and
 * however they ask it (they write with the content they guess, as an attacker would).
 */
const SECRET = 'SECRET';
const ALICE = 'alice@example.com';
const CONTENT = `${SECRET} alice is allergic to peanuts`;
/** Alice's graph, asked for whole: her entities (SECRET is one), one by id, her relations (Claude read SECRET Hives). */
const GRAPH = [
  `query { entities(externalUserId: "${ALICE}") { ... on EntityConnection { edges { node { name aliases memories { content } } } } } }`,
  `query($id: ID!) { entity(externalUserId: "${ALICE}", id: $id) { ... on Entity { name relations { object { name } } neighbours { name } } } }`,
  `query { relations(externalUserId: "${ALICE}") { subject { name } predicate object { name } } }`,
];

const CREDENTIALS = [
  'full key',
  'READ-only key',
  'WRITE-only key',
  'ADMIN-only key',
  'WRITE-only token of alice',
  'token of another end user',
  "another tenant's key",
] as const;

interface Credential {
  name: string;
  secret: string;
  /** May see alice's memories (acme, with READ): the sweep must find SECRET there, or it proves nothing. */
  reads: boolean;
  /** What it writes: the content it guesses (acme's), or its own (another tenant or end user). */
  content: string;
}

/** The tools, each called as an agent would for alice (a token's end user is its own). */
function toolCalls(credential: Credential, memoryId: string, bound: boolean) {
  const user = bound ? {} : { externalUserId: ALICE };
  return [
    ['remember', { ...user, content: credential.content }],
    ['recall', { ...user, query: 'SECRET peanuts allergic' }],
    ['context_for_prompt', { ...user, query: 'what is alice allergic to?' }],
    ['list_recent', { ...user }],
    ['about', { ...user, name: 'secret' }],
    ['update', { ...user, id: memoryId, tags: [`${SECRET}-TAG`] }],
    ['update', { ...user, id: memoryId, reason: 'probe' }],
    ['remember_conversation', { ...user, messages: [{ role: 'user', content: credential.content }] }],
  ] as const;
}

/** Answers that show SECRET, with what was asked. */
function leaksIn(asked: string, answer: unknown): string[] {
  const text = JSON.stringify(answer ?? null);
  return text.includes(SECRET) ? [`${asked}: ${text.slice(0, 200)}`] : [];
}

describe.each(databaseKinds)('one door: every credential, operation and transport, on %s', (kind) => {
  const fake = new FakeAnthropic();
  let t: TestGateway;
  let served: Served;
  let memoryId = '';
  let entityId = '';
  let values: Record<string, unknown> = {};
  const credentials: Credential[] = [];

  beforeAll(async () => {
    await fake.start();
    // Claude echoes what it is given: a conversation's first message is the fact to add.
    fake.answerEach((request) => {
      if (request.tool === 'record_facts') {
        // A relation from what was said: SECRET only where the conversation held it.
        const said = request.block('conversation')[0].content as string;
        const relations = [
          { subject: 'user', predicate: 'keeps', object: said.includes(SECRET) ? `${SECRET} Hives` : 'Hives' },
        ];
        return { tool: 'record_facts', input: { facts: [said], relations } };
      }
      if (request.tool === 'decide_memory_changes') {
        const [fact] = request.block('facts');
        return {
          tool: 'decide_memory_changes',
          input: { decisions: [{ fact: 0, action: 'ADD', text: `${fact.fact} too`, reason: fact.fact }] },
        };
      }
      const [first] = request.block('memories');
      return { tool: 'answer_from_memories', input: { known: true, answer: first.content, citations: [first.alias] } };
    });
    const claude = new Claude({
      apiKey: 'test-key',
      baseURL: fake.url,
      model: 'claude-test',
      maxTokens: 1024,
      timeoutMs: 5_000,
      maxRetries: 0,
    });
    t = await startTestGateway(kind, { claude, extra: { webhooksAllowPrivate: true } });
    served = await serve(t);
    // Deliveries of every event are queued (nothing sends them here): their payloads hold alice's texts.
    const endpoint = await t.request(
      `mutation { createWebhookEndpoint(url: "http://127.0.0.1:9/hook", events: [MEMORY_CREATED, MEMORY_UPDATED, CONVERSATION_FINISHED]) { ... on NewWebhookEndpoint { endpoint { id } } } }`,
    );
    const added = await t.request(
      `mutation($input: AddMemoryInput!) { addMemory(input: $input) { ... on AddedMemory { memory { id } } } }`,
      {
        input: {
          externalUserId: ALICE,
          content: CONTENT,
          tags: [`${SECRET}-TAG`],
          metadata: { note: `${SECRET} note` },
        },
      },
    );
    memoryId = added.data.addMemory.memory.id;
    await t.request(
      `mutation($id: ID!) { updateMemory(input: { externalUserId: "${ALICE}", id: $id, content: "${CONTENT} and cashews", reason: "${SECRET} reason" }) { __typename } }`,
      { id: memoryId },
    );
    await t.request(
      `mutation($id: ID!) { updateMemory(input: { externalUserId: "${ALICE}", id: $id, content: "${CONTENT}" }) { __typename } }`,
      { id: memoryId },
    );
    await t.request(
      `mutation { rememberConversation(input: { externalUserId: "${ALICE}", messages: [{ role: USER, content: "${SECRET} alice keeps bees" }] }) { __typename } }`,
    );
    const endpointId = endpoint.data.createWebhookEndpoint.endpoint.id;
    const graph = await t.request(
      `{ entities(externalUserId: "${ALICE}", query: "secret") { ... on EntityConnection { edges { node { id name } } } } }`,
    );
    expect(graph.data.entities.edges.map((edge: any) => edge.node.name).sort()).toEqual([SECRET, `${SECRET} Hives`]);
    entityId = graph.data.entities.edges.find((edge: any) => edge.node.name === SECRET).node.id;
    const deliveries = await t.request(`{ webhookEndpoints { deliveries { eventId payload } } }`);
    const eventId = deliveries.data.webhookEndpoints[0].deliveries[0].eventId;
    expect(JSON.stringify(deliveries.data)).toContain(SECRET);

    const key = async (name: string, scopes: string[]) =>
      (
        await t.request(
          `mutation($name: String!, $scopes: [ApiScope!]!) { createApiKey(name: $name, scopes: $scopes) { ... on NewApiKey { apiKey } } }`,
          {
            name,
            scopes,
          },
        )
      ).data.createApiKey.apiKey as string;
    const token = async (user: string, scopes: string) =>
      (
        await t.request(
          `mutation { createEndUserToken(externalUserId: "${user}", scopes: [${scopes}]) { ... on EndUserToken { token } } }`,
        )
      ).data.createEndUserToken.token as string;
    credentials.push(
      { name: 'full key', secret: t.tenants.acme.apiKey, reads: true, content: CONTENT },
      { name: 'READ-only key', secret: await key('reader', ['READ']), reads: true, content: CONTENT },
      { name: 'WRITE-only key', secret: await key('writer', ['WRITE']), reads: false, content: CONTENT },
      { name: 'ADMIN-only key', secret: await key('admin', ['ADMIN']), reads: false, content: CONTENT },
      { name: 'WRITE-only token of alice', secret: await token(ALICE, 'WRITE'), reads: false, content: CONTENT },
      {
        name: 'token of another end user',
        secret: await token('bob@example.com', 'READ, WRITE'),
        reads: false,
        content: 'bob likes tea',
      },
      {
        name: "another tenant's key",
        secret: t.tenants.globex.apiKey,
        reads: false,
        content: 'globex alice likes tea',
      },
    );
    values = {
      externalUserId: ALICE,
      id: memoryId,
      endpointId,
      eventId,
      query: 'SECRET peanuts',
      question: 'What is alice allergic to?',
      reason: 'probe',
      name: 'probe',
      tokenBudget: 500,
      url: 'http://127.0.0.1:9/other',
    };
  });

  afterAll(async () => {
    await served?.close();
    await t?.close();
    await fake.stop();
  });

  /** Every document of the sweep over HTTP, ten to a batched request (the gateway's batch limit). */
  async function overHttp(
    credential: Credential,
    documents: { document: string; variables: Record<string, unknown> }[],
  ) {
    const leaks: string[] = [];
    for (let start = 0; start < documents.length; start += 10) {
      const batch = documents.slice(start, start + 10);
      const response = await fetch(served.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${credential.secret}` },
        body: JSON.stringify(batch.map(({ document, variables }) => ({ query: document, variables }))),
      });
      const answers = (await response.json()) as { data?: unknown }[];
      expect(answers).toHaveLength(batch.length);
      answers.forEach((answer, i) => leaks.push(...leaksIn(`HTTP ${batch[i].document}`, answer.data)));
    }
    return leaks;
  }

  /** The same documents over one WebSocket connection, twenty at a time. */
  async function overWebSocket(
    credential: Credential,
    documents: { document: string; variables: Record<string, unknown> }[],
  ) {
    const client = served.ws(credential.secret);
    const leaks: string[] = [];
    for (let start = 0; start < documents.length; start += 20) {
      const batch = documents.slice(start, start + 20);
      const answers = await Promise.all(batch.map(({ document, variables }) => wsResult(client, document, variables)));
      answers.forEach(({ results }, i) =>
        leaks.push(
          ...leaksIn(
            `WS ${batch[i].document}`,
            results.map((result: any) => result.data),
          ),
        ),
      );
    }
    await client.dispose();
    return leaks;
  }

  async function overMcp(client: McpClient, credential: Credential, bound: boolean) {
    const leaks: string[] = [];
    const offered = new Set((await client.listTools()).tools.map((tool) => tool.name));
    for (const [tool, args] of toolCalls(credential, Buffer.from(`Memory:${memoryId}`).toString('base64'), bound)) {
      if (!offered.has(tool)) continue;
      leaks.push(...leaksIn(`MCP ${tool}`, (await callTool(client, tool, args)).structuredContent));
    }
    return leaks;
  }

  test.each(CREDENTIALS)(
    '%s: GraphQL over HTTP and WebSocket, and MCP, show alice only to acme with READ',
    async (name) => {
      const credential = credentials.find((candidate) => candidate.name === name)!;
      // Every leaf a text can come back in, four levels down, with the content this credential writes;
      // and the graph asked for whole (the sweep's shared `query` and `id` find no entity).
      const documents = [
        ...sweepDocuments({ ...values, content: credential.content }, { depth: 4, textOnly: true }),
        ...GRAPH.map((document) => ({ document, variables: { id: entityId } })),
      ];
      const bound = name.includes('token');
      const leaks = [
        ...(await overHttp(credential, documents)),
        ...(await overWebSocket(credential, documents)),
        ...(await overMcp(await served.mcp(credential.secret), credential, bound)),
      ];
      if (credential.reads) {
        // The sweep can see: READ finds alice's texts by every transport, her graph included.
        for (const transport of ['HTTP', 'WS', 'MCP'])
          expect(leaks.some((leak) => leak.startsWith(transport))).toBe(true);
        for (const field of ['entities(', 'entity(', 'relations('])
          expect([field, leaks.some((leak) => leak.startsWith('HTTP') && leak.includes(field))]).toEqual([field, true]);
        expect(leaks.some((leak) => leak.startsWith('MCP about'))).toBe(true);
      } else {
        expect(leaks).toEqual([]);
      }
    },
    240_000,
  );

  test('with the policy removed from one transport (an MCP session that ignores the scopes it was given), the sweep finds the leak', async () => {
    const writer = credentials.find((credential) => credential.name === 'WRITE-only key')!;
    const principal = (await t.services.authenticator.authenticate(`Bearer ${writer.secret}`))!;
    // A session built as if the credential held READ: what an MCP path that bypassed the policy would answer.
    const unchecked: Principal = { ...principal, scopes: ['READ', 'WRITE'] };
    const server = mcpServer(openSession(t.services, unchecked, { transport: 'mcp' }), {
      claudeConfigured: true,
      onCall: () => {},
      onUnexpected: () => {},
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new McpClient({ name: 'bypass', version: '1.0.0' });
    await server.connect(serverSide);
    await client.connect(clientSide);
    try {
      expect((await overMcp(client, writer, false)).length).toBeGreaterThan(0);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('a subscription never carries alice to a credential without READ on her', async () => {
    const subscribed = credentials
      .filter((credential) => !credential.reads)
      .map((credential) => {
        const events: unknown[] = [];
        const client = served.ws(credential.secret);
        const done = new Promise<unknown>((resolve) =>
          client.subscribe(
            {
              query: `subscription($user: String) { memoryEvents(externalUserId: $user) { newContent oldContent memory { content tags metadata } } }`,
              variables: credential.name.includes('token') ? {} : { user: ALICE },
            },
            { next: (event) => void events.push(event), error: resolve, complete: () => resolve(null) },
          ),
        );
        return { credential, events, done, client };
      });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await t.request(
      `mutation($id: ID!) { updateMemory(input: { externalUserId: "${ALICE}", id: $id, tags: ["${SECRET}-TAG", "more"] }) { __typename } }`,
      { id: memoryId },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const { credential, events, client } of subscribed) {
      expect([credential.name, leaksIn('WS memoryEvents', events)]).toEqual([credential.name, []]);
      await client.dispose();
    }
  });
});
