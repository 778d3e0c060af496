import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { memgateClient, mintEndUserToken, myMemories } from '../examples/typed-client/client.js';
import { AddMemoryDocument } from '../examples/typed-client/gql/graphql.js';
import { loadTrustedDocuments } from '../src/http/trustedDocuments.js';
import { createGateway, type Gateway } from '../src/yoga.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { ADD } from './support/operations.js';

const manifest = fileURLToPath(new URL('../examples/typed-client/gql/persisted-documents.json', import.meta.url));

async function serve(gateway: Gateway): Promise<{ server: Server; url: string }> {
  const server = createServer(gateway);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

/** The example client (urql + codegen's client preset) over real HTTP: a plain gateway, and one that runs only trusted documents. */
describe.each(databaseKinds)('typed client example and trusted documents on %s', (kind) => {
  let t: TestGateway;
  let plain: { server: Server; url: string };
  let trusted: { server: Server; url: string };
  beforeAll(async () => {
    t = await startTestGateway(kind);
    plain = await serve(t.gateway);
    // The same services, in trusted-documents mode.
    trusted = await serve(createGateway({ ...t.services, trustedDocuments: loadTrustedDocuments(manifest) }));
  });
  afterAll(async () => {
    plain.server.close();
    trusted.server.close();
    await t.close();
  });

  test("a backend mints an end-user token; the browser adds, lists and searches only that user's memories", async () => {
    const token = await mintEndUserToken(memgateClient(plain.url, t.tenants.acme.apiKey), 'ines@example.com');
    // Another end user of the tenant, and Ines in another tenant: neither may ever show up.
    const backend = memgateClient(plain.url, t.tenants.acme.apiKey);
    await backend
      .mutation(AddMemoryDocument, { input: { externalUserId: 'ivo@example.com', content: 'I keep bees too' } })
      .toPromise();
    const otherTenant = memgateClient(plain.url, t.tenants.globex.apiKey);
    await otherTenant
      .mutation(AddMemoryDocument, { input: { externalUserId: 'ines@example.com', content: 'Beekeeping at globex' } })
      .toPromise();

    const me = myMemories(memgateClient(plain.url, token));
    const added = await me.remember('I keep bees on my balcony', ['hobby']);
    expect(added.content).toBe('I keep bees on my balcony');
    await me.remember('My favourite composer is Satie');
    const recent = await me.recent(10);
    expect(recent.totalCount).toBe(2);
    expect(recent.edges.map((edge) => edge.node.content).sort()).toEqual([
      'I keep bees on my balcony',
      'My favourite composer is Satie',
    ]);
    const hits = await me.recall('insects I look after at home', 5);
    expect(hits[0].memory.id).toBe(added.id);
    expect(hits.map((hit) => hit.memory.content)).not.toContain('I keep bees too');
    expect(hits.map((hit) => hit.memory.content)).not.toContain('Beekeeping at globex');
    expect(
      await t.db.prisma.memory.count({
        where: { externalUserId: 'ines@example.com', tenantId: t.tenants.acme.tenantId },
      }),
    ).toBe(2);
  });

  test('in trusted-documents mode the client works by hash; a raw query or an unknown id is refused and changes nothing', async () => {
    const token = await mintEndUserToken(
      memgateClient(trusted.url, t.tenants.acme.apiKey, { trustedDocuments: true }),
      'oto@example.com',
    );
    const me = myMemories(memgateClient(trusted.url, token, { trustedDocuments: true }));
    await me.remember('Oto sends only trusted documents');
    expect((await me.recent()).totalCount).toBe(1);

    const post = (body: object) =>
      fetch(trusted.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tenants.acme.apiKey}` },
        body: JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, body: await response.json() }));
    const raw = await post({ query: ADD, variables: { input: { externalUserId: 'mallory', content: 'injected' } } });
    expect(raw.status).toBe(400);
    expect(raw.body.errors[0].extensions.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    const unknown = await post({ documentId: 'sha256:0000', variables: {} });
    expect(unknown.body.errors[0].extensions.code).toBe('TRUSTED_DOCUMENT_UNKNOWN');
    expect(await t.db.prisma.memory.count({ where: { externalUserId: 'mallory' } })).toBe(0);

    // codegen's documentId form, as other clients send it.
    const [hash] = Object.entries(JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>).find(
      ([, document]) => document.startsWith('query MyRecentMemories'),
    )!;
    const listed = await fetch(trusted.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ documentId: hash, variables: { first: 1 } }),
    }).then((response) => response.json());
    expect(listed.data.memories.totalCount).toBe(1);
  });

  test('the demo script runs as the README says, against a plain gateway and in trusted mode', async () => {
    const runDemo = async (url: string, env: Record<string, string>) => {
      const demo = spawn(process.execPath, ['--import', 'tsx', 'examples/typed-client/demo.ts'], {
        env: { ...process.env, NODE_OPTIONS: '', MEMGATE_URL: url, MEMGATE_API_KEY: t.tenants.globex.apiKey, ...env },
      });
      let output = '';
      demo.stdout.on('data', (chunk) => (output += chunk));
      demo.stderr.on('data', (chunk) => (output += chunk));
      const [code] = await once(demo, 'close');
      return { code, output };
    };
    const first = await runDemo(plain.url, {});
    expect(first.output).toContain('2 memories; newest:');
    expect(first.output).toMatch(/recall: I am allergic to penicillin \(score \d\.\d{3}\)/);
    expect(first.code).toBe(0);
    const second = await runDemo(trusted.url, { MEMGATE_SEND_HASHES: '1' });
    expect(second.output).toContain('2 memories; newest:');
    expect(second.code).toBe(0);
  });
});
