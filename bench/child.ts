import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface GatewayProcess {
  url: string;
  /** Resident set size of the gateway process, in MiB. */
  rssMiB(): number;
  stop(): Promise<void>;
}

/** Starts bench/gateway.ts in its own process with these environment variables. */
export async function startGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./gateway.ts', import.meta.url)), {
    env: { ...process.env, NODE_ENV: 'production', ...env },
    execArgv: [
      '--max-semi-space-size=32',
      '--import',
      'tsx',
      ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean) : []),
      ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the bench gateway exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    rssMiB: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
