import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { ADD } from './support/operations.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { killGatewayProcesses, postGraphQL, startGatewayProcess } from './support/gatewayProcess.js';

/** Runs bin/memgate.js with --json against a data directory; resolves with its parsed output. */
function memgate(
  dataDir: string,
  ...args: string[]
): Promise<{ status: number | null; results: any[]; stderr: string }> {
  const cli = fileURLToPath(new URL('../bin/memgate.js', import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args, '--json'], {
      env: { ...process.env, MEMGATE_DATA_DIR: dataDir, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) =>
      resolve({
        status,
        results: stdout
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line)),
        stderr,
      }),
    );
  });
}

describe('npm start', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'memgate-main-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  afterEach(killGatewayProcesses);

  test('creates a dev tenant once in development, serves it, and stops cleanly on SIGTERM', async () => {
    const env = { MEMGATE_DATA_DIR: dataDir, NODE_ENV: 'development' };
    const first = await startGatewayProcess(env);
    const key = /mgk_[0-9A-Za-z]{36}/.exec(first.output())?.[0];
    expect(key).toBeDefined();
    const response = await fetch(`${first.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ viewer { tenant { name } } }' }),
    });
    expect(await response.json()).toEqual({ data: { viewer: { tenant: { name: 'dev' } } } });
    expect(await first.stop()).toBe(0);

    const second = await startGatewayProcess(env);
    expect(second.output()).not.toMatch(/mgk_/);
    expect(await second.stop()).toBe(0);
  });

  test('never creates a dev tenant in production', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memgate-prod-'));
    const gateway = await startGatewayProcess({ MEMGATE_DATA_DIR: dir, NODE_ENV: 'production' });
    try {
      expect(gateway.output()).not.toMatch(/mgk_|development tenant/);
      expect(await gateway.stop()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the command line works through the running gateway: a key it revokes stops working at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memgate-admin-'));
    const gateway = await startGatewayProcess({ MEMGATE_DATA_DIR: dir, NODE_ENV: 'development' });
    try {
      const created = await memgate(
        dir,
        'keys',
        'create',
        '--tenant',
        'dev',
        '--name',
        'temporary',
        '--scopes',
        'READ',
      );
      expect(created.status).toBe(0);
      const { apiKey, keyId } = created.results[0];
      const viewer = '{ viewer { tenant { name } } }';
      expect((await postGraphQL(gateway.url, apiKey, viewer)).status).toBe(200);
      const revoked = await memgate(dir, 'keys', 'revoke', '--tenant', 'dev', '--id', keyId);
      expect(revoked.status).toBe(0);
      // Not after the 30 s cache bound: the gateway that revoked it forgets it now.
      expect((await postGraphQL(gateway.url, apiKey, viewer)).status).toBe(401);
      expect(await gateway.stop()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the drain has a deadline, and a second signal ends it at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memgate-deadline-'));
    try {
      // A client that connected and never sent anything keeps the drain waiting.
      const hold = async (url: string) => {
        const socket = connect(Number(new URL(url).port), '127.0.0.1');
        await once(socket, 'connect');
        return socket;
      };
      const timed = await startGatewayProcess({
        MEMGATE_DATA_DIR: dir,
        NODE_ENV: 'production',
        MEMGATE_SHUTDOWN_TIMEOUT_MS: '1000',
      });
      const idle = await hold(timed.url);
      const startedAt = Date.now();
      expect(await timed.stop()).toBe(1);
      expect(Date.now() - startedAt).toBeLessThan(10_000);
      expect(timed.output()).toMatch(/shutdown deadline/);
      idle.destroy();

      const patient = await startGatewayProcess({ MEMGATE_DATA_DIR: dir, NODE_ENV: 'production' });
      const other = await hold(patient.url);
      const exited = patient.stop();
      // Later than half a second: not the same signal arriving twice (see src/main.ts).
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(patient.child.exitCode).toBeNull();
      patient.child.kill('SIGINT');
      expect(await exited).toBe(1);
      expect(patient.output()).toMatch(/second signal while draining/);
      other.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(
    'SIGTERM under load: every accepted request is answered, then the process exits 0',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'memgate-drain-'));
      const unlimited = { MEMGATE_RATE_LIMIT_PER_KEY: '0', MEMGATE_RATE_LIMIT_PER_USER: '0' };
      const gateway = await startGatewayProcess({ MEMGATE_DATA_DIR: dir, NODE_ENV: 'development', ...unlimited });
      try {
        const key = /mgk_[0-9A-Za-z]{36}/.exec(gateway.output())![0];
        let signalledAt = 0;
        const outcomes = { ok: 0, failed: [] as string[], finishedAfterSignal: 0, refused: 0, reset: [] as string[] };
        // 16 clients write memories (each a transaction with an embedding) until the gateway stops listening.
        const client = async (n: number) => {
          for (let i = 0; ; i++) {
            const startedAt = Date.now();
            const content = `Fact ${i} of client ${n}`;
            try {
              const response = await fetch(`${gateway.url}/graphql`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
                body: JSON.stringify({ query: ADD, variables: { input: { externalUserId: `drain-${n}`, content } } }),
              });
              const body = await response.json();
              // Connected after the signal: told to go elsewhere, nothing run.
              if (
                signalledAt &&
                response.status === 503 &&
                body.errors?.[0]?.extensions?.code === 'SERVICE_UNAVAILABLE'
              ) {
                outcomes.refused++;
                return;
              }
              if (response.status === 200 && body.data?.addMemory?.memory) outcomes.ok++;
              else outcomes.failed.push(`${response.status} ${JSON.stringify(body)}`);
              if (signalledAt && startedAt < signalledAt) outcomes.finishedAfterSignal++;
            } catch (error) {
              // Refused at connect: never accepted (a load balancer sends it elsewhere). Reset once the
              // listener closed: the kernel had completed the handshake but the busy gateway had not
              // accepted it yet, and closing a listening socket resets its backlog — checked below to
              // have changed nothing. Anything else is a loss.
              const code = (error as { cause?: { code?: string } }).cause?.code;
              if (signalledAt && (code === 'ECONNREFUSED' || code === 'ECONNRESET')) {
                outcomes.refused++;
                if (code === 'ECONNRESET') outcomes.reset.push(content);
                return;
              }
              outcomes.failed.push(`${code ?? (error as Error).message}`);
              return;
            }
          }
        };
        // A subscriber too: its stream must complete normally, not hold the shutdown until the deadline.
        const subscription = await fetch(`${gateway.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
          body: JSON.stringify({ query: 'subscription { memoryEvents(externalUserId: "drain-0") { kind } }' }),
        });
        let stream = '';
        const streamEnded = (async () => {
          const reader = subscription.body!.getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return stream;
            stream += new TextDecoder().decode(value);
          }
        })();
        // The subscription is live once it has delivered one event.
        for (let i = 0; !stream.includes('"kind":"CREATED"'); i++) {
          if (i % 20 === 0)
            await postGraphQL(gateway.url, key, ADD, { input: { externalUserId: 'drain-0', content: `Warm-up ${i}` } });
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const clients = Array.from({ length: 16 }, (_, n) => client(n));
        await new Promise((resolve) => setTimeout(resolve, 1500));
        signalledAt = Date.now();
        const exitCode = gateway.stop();
        await Promise.all(clients);
        expect(outcomes.failed).toEqual([]);
        expect(outcomes.ok).toBeGreaterThan(16);
        expect(outcomes.finishedAfterSignal).toBeGreaterThan(0);
        expect(outcomes.refused).toBe(16);
        expect(await exitCode).toBe(0);
        expect(gateway.output()).toMatch(/"msg":"stopped"/);
        expect(await streamEnded).toMatch(/event: complete/);
        // A request reset unanswered was never run: its memory is not there.
        const stored = await openDatabase({ kind: 'pglite', dataDir: dir });
        try {
          const found = await stored.prisma.memory.findMany({
            where: { content: { in: outcomes.reset } },
            select: { content: true },
          });
          expect(found).toEqual([]);
          expect(await stored.prisma.memory.count({ where: { content: { startsWith: 'Fact ' } } })).toBe(outcomes.ok);
        } finally {
          await stored.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    // A gateway process, 16 writers and a drain: over 60 s once, with other suites and builds on both cores.
    120_000,
  );
});
