import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Authenticator } from '../src/auth/authenticator.js';
import { loadConfig } from '../src/config.js';
import { createTenant } from '../src/db/admin.js';
import { openDatabase } from '../src/db/database.js';
import { DataDirInUseError } from '../src/db/lock.js';
import { openConfiguredDatabase } from '../src/db/open.js';
import { createGateway } from '../src/yoga.js';
import { ADD, LIST } from './support/operations.js';
import { localEmbedder } from './support/gateway.js';

const cli = fileURLToPath(new URL('../bin/memgate.js', import.meta.url));

describe('the embedded database on disk', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'memgate-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function call(db: Awaited<ReturnType<typeof openConfiguredDatabase>>, key: string, query: string, variables: object) {
    const gateway = createGateway({ prisma: db.prisma, embedder: localEmbedder(), authenticator: new Authenticator(db.prisma) });
    const response = await gateway.fetch('http://memgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return response.json();
  }

  test('keeps every memory across a restart, and one process at a time may open it', async () => {
    const config = loadConfig({ MEMGATE_DATA_DIR: dataDir });
    const first = await openConfiguredDatabase(config);
    const { apiKey } = await createTenant(first.prisma, 'acme');
    for (const content of ['Alice likes jazz', 'Alice has a cat']) {
      const added = await call(first, apiKey, ADD, { input: { externalUserId: 'alice@example.com', content } });
      expect(added.data.addMemory.created).toBe(true);
    }

    await expect(openDatabase({ kind: 'pglite', dataDir })).rejects.toBeInstanceOf(DataDirInUseError);
    const busy = spawnSync(process.execPath, [cli, 'tenants', 'list'], {
      env: { ...process.env, MEMGATE_DATA_DIR: dataDir, NODE_OPTIONS: '' },
      encoding: 'utf8',
    });
    expect(busy.status).toBe(1);
    expect(busy.stderr).toMatch(/in use by process \d+/);
    await first.close();

    const listed = spawnSync(process.execPath, [cli, 'tenants', 'list'], {
      env: { ...process.env, MEMGATE_DATA_DIR: dataDir, NODE_OPTIONS: '' },
      encoding: 'utf8',
    });
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout.trim())).toMatchObject({ name: 'acme' });

    const second = await openConfiguredDatabase(config);
    try {
      const list = await call(second, apiKey, LIST, { user: 'alice@example.com' });
      expect(list.data.memories.edges.map((edge: any) => edge.node.content).sort()).toEqual(['Alice has a cat', 'Alice likes jazz']);
    } finally {
      await second.close();
    }
  });
});
