import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { memgateClient, mintEndUserToken, myMemories } from '../examples/typed-client/client.js';
import { AddMemoryDocument } from '../examples/typed-client/gql/graphql.js';
import { loadTrustedDocuments } from '../src/http/trustedDocuments.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { ADD } from './support/operations.js';

const manifest = fileURLToPath(new URL('../examples/typed-client/gql/persisted-documents.json', import.meta.url));

/** The example client (urql + codegen's client preset) over real HTTP, on a gateway that runs only trusted documents. */
describe.each(databaseKinds)('typed client example and trusted documents on %s', (kind) => {
  let t: TestGateway;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    t = await startTestGateway(kind, { extra: { trustedDocuments: loadTrustedDocuments(manifest) } });
    server = createServer(t.gateway);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    server.close();
    await t.close();
  });

  test('a backend mints an end-user token; the browser adds, lists and searches only that user\'s memories', async () => {
    const token = await mintEndUserToken(memgateClient(url, t.tenants.acme.apiKey), 'ines@example.com');
    // Another end user of the tenant, and Ines in another tenant: neither may ever show up.
    const backend = memgateClient(url, t.tenants.acme.apiKey);
    await backend.mutation(AddMemoryDocument, { input: { externalUserId: 'ivo@example.com', content: 'I keep bees too' } }).toPromise();
    const otherTenant = memgateClient(url, t.tenants.globex.apiKey);
    await otherTenant.mutation(AddMemoryDocument, { input: { externalUserId: 'ines@example.com', content: 'Beekeeping at globex' } }).toPromise();

    const me = myMemories(memgateClient(url, token));
    const added = await me.remember('I keep bees on my balcony', ['hobby']);
    expect(added.content).toBe('I keep bees on my balcony');
    await me.remember('My favourite composer is Satie');
    const recent = await me.recent(10);
    expect(recent.totalCount).toBe(2);
    expect(recent.edges.map((edge) => edge.node.content).sort()).toEqual(['I keep bees on my balcony', 'My favourite composer is Satie']);
    const hits = await me.recall('insects I look after at home', 5);
    expect(hits[0].memory.id).toBe(added.id);
    expect(hits.map((hit) => hit.memory.content)).not.toContain('I keep bees too');
    expect(hits.map((hit) => hit.memory.content)).not.toContain('Beekeeping at globex');

    const stored = await t.db.prisma.memory.count({ where: { externalUserId: 'ines@example.com', tenantId: t.tenants.acme.tenantId } });
    expect(stored).toBe(2);
  });

  test('only the manifest\'s operations run: a raw query or an unknown id is refused and changes nothing', async () => {
    const post = (body: object) =>
      fetch(url, {
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

    // The manifest's own ids work, in codegen's documentId form too.
    const [hash] = Object.entries(JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>).find(([, document]) =>
      document.startsWith('query MyRecentMemories'),
    )!;
    const token = await mintEndUserToken(memgateClient(url, t.tenants.acme.apiKey), 'ines@example.com');
    const listed = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ documentId: hash, variables: { first: 1 } }),
    }).then((response) => response.json());
    expect(listed.data.memories.__typename).toBe('MemoryConnection');
  });

  test('the demo script runs as documented against this gateway', async () => {
    const demo = spawn(process.execPath, ['--import', 'tsx', 'examples/typed-client/demo.ts'], {
      env: { ...process.env, NODE_OPTIONS: '', MEMGATE_URL: url, MEMGATE_API_KEY: t.tenants.globex.apiKey },
    });
    let output = '';
    demo.stdout.on('data', (chunk) => (output += chunk));
    demo.stderr.on('data', (chunk) => (output += chunk));
    const [code] = await once(demo, 'close');
    expect(output).toContain('2 memories; newest:');
    expect(output).toMatch(/recall: I am allergic to penicillin \(score \d\.\d{3}\)/);
    expect(code).toBe(0);
  });
});
