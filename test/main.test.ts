import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Starts `src/main.ts` as `npm start` does and resolves once it listens; collects its output. */
function startGateway(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Memgate listening')) resolve({ child, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`gateway exited with ${code}: ${output}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('npm start', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'memgate-main-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('creates a dev tenant once in development, serves it, and stops cleanly on SIGTERM', async () => {
    const port = String(41000 + Math.floor(Math.random() * 1000));
    const env = { MEMGATE_DATA_DIR: dataDir, PORT: port, HOST: '127.0.0.1', NODE_ENV: 'development' };
    const first = await startGateway(env);
    const key = /mgk_[0-9A-Za-z]{36}/.exec(first.output())?.[0];
    expect(key).toBeDefined();
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ viewer { tenant { name } } }' }),
    });
    expect(await response.json()).toEqual({ data: { viewer: { tenant: { name: 'dev' } } } });
    expect(await stop(first.child)).toBe(0);

    const second = await startGateway(env);
    expect(second.output()).not.toMatch(/mgk_/);
    expect(await stop(second.child)).toBe(0);
  });

  test('never creates a dev tenant in production', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memgate-prod-'));
    try {
      const port = String(42000 + Math.floor(Math.random() * 1000));
      const gateway = await startGateway({ MEMGATE_DATA_DIR: dir, PORT: port, HOST: '127.0.0.1', NODE_ENV: 'production' });
      expect(gateway.output()).not.toMatch(/mgk_|development tenant/);
      expect(await stop(gateway.child)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
