import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveAdminSocket } from '../src/cli/adminSocket.js';
import { loadConfig } from '../src/config.js';
import { createTenant } from '../src/db/admin.js';
import { openDatabase } from '../src/db/database.js';
import { openConfiguredDatabase } from '../src/db/open.js';
import { createServices } from '../src/services.js';
import { createGateway } from '../src/yoga.js';
import { ADD, LIST, type SharedOperation } from './support/operations.js';
import { localEmbedder, TEST_SECRET } from './support/gateway.js';
import { FakeEmbeddings } from './support/fakeEmbeddings.js';
import { OpenAICompatibleEmbedder } from '../src/embeddings/openaiCompatible.js';
import { DataDirInUseError } from '../src/errors.js';

const cli = fileURLToPath(new URL('../bin/memgate.js', import.meta.url));

describe('the embedded database on disk', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'memgate-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** Runs the command line in a child process (asynchronously: the admin socket lives in this one). */
  function memgate(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [cli, ...args, '--json'], {
        env: { ...process.env, MEMGATE_DATA_DIR: dataDir, NODE_OPTIONS: '' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  async function call(
    db: Awaited<ReturnType<typeof openConfiguredDatabase>>,
    key: string,
    query: SharedOperation,
    variables: object,
  ) {
    const services = createServices(loadConfig({ NODE_ENV: 'test', MEMGATE_SECRET: TEST_SECRET }), db, {
      embedder: localEmbedder(),
    });
    const gateway = createGateway(services);
    const response = await gateway.fetch('http://memgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    await services.close();
    return body;
  }

  // Starts gateways and a command line as processes: over 60 s once on a loaded two-core machine.
  test('keeps every memory across a restart; one process opens it, the command line goes through it', async () => {
    const config = loadConfig({ MEMGATE_DATA_DIR: dataDir });
    const first = await openConfiguredDatabase(config);
    const { apiKey } = await createTenant(first.prisma, 'acme');
    for (const content of ['Alice likes jazz', 'Alice has a cat']) {
      const added = await call(first, apiKey, ADD, { input: { externalUserId: 'alice@example.com', content } });
      expect(added.data.addMemory.created).toBe(true);
    }

    await expect(openDatabase({ kind: 'pglite', dataDir })).rejects.toBeInstanceOf(DataDirInUseError);
    const busy = await memgate('tenants', 'list');
    expect(busy.status).toBe(1);
    expect(busy.stderr).toMatch(/in use by process \d+/);

    // The gateway's embedding model is a remote one: `reembed` through it uses that model.
    const provider = new FakeEmbeddings(32);
    await provider.start();
    const remote = new OpenAICompatibleEmbedder({
      url: provider.url,
      model: 'fake-embed',
      batchSize: 1,
      timeoutMs: 1000,
      maxRetries: 0,
    });
    const socket = await serveAdminSocket(dataDir, { db: first, embedder: remote, llm: { model: 'none' } });
    const viaGateway = await memgate('tenants', 'create', '--name', 'beta');
    expect(viaGateway.status).toBe(0);
    expect(JSON.parse(viaGateway.stdout)).toEqual({
      tenantId: expect.any(String),
      apiKey: expect.stringMatching(/^mgk_/),
    });
    const taken = await memgate('tenants', 'create', '--name', 'beta');
    expect([taken.status, taken.stderr.trim()]).toEqual([1, 'memgate: A tenant named "beta" already exists.']);
    const reembedded = await memgate('reembed', '--tenant', 'acme');
    expect(reembedded.status).toBe(0);
    expect(JSON.parse(reembedded.stdout)).toEqual({
      model: 'fake-embed',
      tenant: 'acme',
      reembedded: 2,
      skipped: 0,
      dimensions: 32,
    });
    expect(reembedded.stderr).toContain('reembed: 2/2 (100%)');
    expect(provider.requests).toHaveLength(2);
    const unknown = await memgate('reembed', '--tenant', 'nobody');
    expect([unknown.status, unknown.stderr.trim()]).toEqual([1, 'memgate: No tenant named "nobody".']);
    await new Promise((resolve) => socket.close(resolve));
    await provider.stop();
    await first.close();

    const listed = await memgate('tenants', 'list');
    expect(listed.status).toBe(0);
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).name),
    ).toEqual(['acme', 'beta']);

    const second = await openConfiguredDatabase(config);
    try {
      const list = await call(second, apiKey, LIST, { user: 'alice@example.com' });
      expect(list.data.memories.edges.map((edge: any) => edge.node.content).sort()).toEqual([
        'Alice has a cat',
        'Alice likes jazz',
      ]);
    } finally {
      await second.close();
    }
  }, 120_000);
});
