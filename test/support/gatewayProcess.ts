import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SharedOperation } from './operations.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** For afterEach/afterAll: a failed test must not leave a gateway behind (Jest would wait for it). */
export function killGatewayProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Starts `src/main.ts` as `npm start` does, on a free port, and resolves once it listens. */
export function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  // Below Linux's ephemeral range (32768-60999), where outgoing connections — many, with Citus —
  // take their local ports: a port from there can be taken between choosing it and listening.
  const port = String(20000 + Math.floor(Math.random() * 12000));
  const child = spawn(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', HOST: '127.0.0.1', PORT: port, ...env },
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (/Memgate listening/.test(output)) {
        resolve({
          child,
          url: `http://127.0.0.1:${port}`,
          output: () => output,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`gateway exited with ${code}: ${output}`)));
  });
}

/** A GraphQL POST to a gateway process. */
export async function postGraphQL(
  url: string,
  key: string,
  query: string | SharedOperation,
  variables?: Record<string, unknown>,
) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] },
  };
}
