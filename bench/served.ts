/**
 * The gateway exactly as `npm start` runs it — the same command line read from package.json
 * (node, its flags, dist/main.js), its defaults and plugins, the development tenant it creates —
 * measured by a plain `fetch` client with keep-alive at concurrency 1, as an application's
 * backend calls it. Embeddings come from an OpenAI-compatible server on loopback that answers at
 * once, so what is measured is the gateway. The operations alternate round by round (the
 * machine's speed drifts); each line gives the median of the rounds' p50s and their spread.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { recreate } from './database.js';
import { benchVector } from './synthetic.js';

const DIMENSIONS = 512;
/** The checkout whose `npm start` is measured: this one, or BENCH_SERVED_DIR (an A/B against another commit). */
const CHECKOUT = process.env.BENCH_SERVED_DIR ?? '.';
const USER = 'served@bench.test';
const MEMORIES = 50;

export interface ServedOperation {
  name: string;
  /** Median over the rounds of each round's p50, ms. */
  p50: number;
  /** The lowest and highest round p50, ms. */
  spread: [number, number];
  /** p50 minus `{ __typename }`'s, ms. */
  aboveFloor: number;
}

export interface ServedBench {
  command: string;
  rounds: number;
  requestsPerRound: number;
  operations: ServedOperation[];
}

/** An OpenAI-compatible `/v1/embeddings` that answers at once with the bench's synthetic vectors. */
async function instantEmbedder(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const input = (JSON.parse(body) as { input: string | string[] }).input;
      const texts = Array.isArray(input) ? input : [input];
      const data = texts.map((text, index) => ({
        object: 'embedding',
        index,
        embedding: Array.from(benchVector(text, DIMENSIONS)),
      }));
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({ object: 'list', data, model: 'bench-instant', usage: { prompt_tokens: 0, total_tokens: 0 } }),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, server };
}

/** `npm start`'s command (package.json scripts.start, without `exec`), as node and its arguments. */
function startCommand(): string[] {
  const scripts = (JSON.parse(readFileSync(`${CHECKOUT}/package.json`, 'utf8')) as { scripts: Record<string, string> })
    .scripts;
  return scripts.start.replace(/^exec\s+/, '').split(/\s+/);
}

/** Starts it and waits for the development tenant's key and the listening line. */
async function startServed(env: Record<string, string>): Promise<{ child: ChildProcess; apiKey: string }> {
  const prestart = spawnSync('npm', ['run', '--silent', 'prestart'], { cwd: CHECKOUT, stdio: 'inherit' });
  if (prestart.status !== 0) throw new Error('npm run prestart (the build) failed');
  const [node, ...args] = startCommand();
  // BENCH_PROFILE_DIR: a CPU profile of the gateway, written when it stops.
  const profile = process.env.BENCH_PROFILE_DIR;
  if (profile) args.unshift('--cpu-prof', `--cpu-prof-dir=${profile}`);
  const child = spawn(node, args, {
    cwd: CHECKOUT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const apiKey = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const key = /mgk_[A-Za-z0-9_-]+/.exec(output)?.[0];
      if (key && output.includes('listening')) resolve(key);
    });
    child.once('exit', (code) => reject(new Error(`the gateway exited with ${code}:\n${output}`)));
  });
  child.stdout!.resume();
  return { child, apiKey };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function runServedBench(databaseUrl: string): Promise<ServedBench> {
  const rounds = Number(process.env.BENCH_SERVED_ROUNDS ?? 7);
  const requestsPerRound = Number(process.env.BENCH_SERVED_REQUESTS ?? 300);
  await recreate(databaseUrl);
  const embedder = await instantEmbedder();
  const port = 4900 + Math.floor(Math.random() * 90);
  const { child, apiKey } = await startServed({
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    EMBEDDINGS_URL: embedder.url,
    EMBEDDINGS_MODEL: 'bench-instant',
    // Thousands of calls a minute for one key and user: the limits would answer 429.
    MEMGATE_RATE_LIMIT_PER_KEY: '0',
    MEMGATE_RATE_LIMIT_PER_USER: '0',
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  const post = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    if (res.status !== 200 || text.includes('"errors"')) throw new Error(`${res.status} ${text.slice(0, 300)}`);
  };
  try {
    const memories = Array.from({ length: MEMORIES }, (_, i) => ({ content: `bench fact ${i}: likes topic ${i % 7}` }));
    await post(
      `mutation($u: String!, $m: [MemoryInput!]!) { addMemories(input: { externalUserId: $u, memories: $m }) { __typename } }`,
      { u: USER, m: memories },
    );
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query('VACUUM ANALYZE'); // so that autovacuum does not compete with the rounds
    await admin.end();

    const search = (mode: string) => (i: number) =>
      post(
        `query($u: String!, $q: String!) { searchMemories(externalUserId: $u, query: $q, mode: ${mode}, limit: 10) { ... on MemorySearch { hits { score memory { id content } } } } }`,
        { u: USER, q: `topic ${i % 7} likes` },
      );
    const operations: [string, (i: number) => Promise<void>][] = [
      ['{ __typename }', () => post('{ __typename }')],
      [
        'memories (first 10)',
        () => post(`query($u: String!) { memories(externalUserId: $u, first: 10) { __typename } }`, { u: USER }),
      ],
      ['searchMemories KEYWORD', search('KEYWORD')],
      ['searchMemories SEMANTIC', search('SEMANTIC')],
      ['searchMemories HYBRID', search('HYBRID')],
      [
        'addMemory',
        (i) =>
          post(
            `mutation($u: String!, $c: String!) { addMemory(input: { externalUserId: $u, content: $c }) { __typename } }`,
            {
              u: `writer-${i % 50}@bench.test`,
              c: `served write ${i} ${Date.now()}`,
            },
          ),
      ],
    ];
    // BENCH_SERVED_ONLY=KEYWORD: only the floor and the operations whose name holds it (for a profile).
    const only = process.env.BENCH_SERVED_ONLY;
    if (only)
      operations.splice(0, operations.length, ...operations.filter(([name], i) => i === 0 || name.includes(only)));
    const p50s = new Map<string, number[]>(operations.map(([name]) => [name, []]));
    for (let i = 0; i < 50; i++) for (const [, run] of operations) await run(i); // warm-up
    let n = 0;
    for (let round = 0; round < rounds; round++) {
      for (const [name, run] of operations) {
        const latencies: number[] = [];
        for (let i = 0; i < requestsPerRound; i++) {
          const started = performance.now();
          await run(n++);
          latencies.push(performance.now() - started);
        }
        p50s.get(name)!.push(median(latencies));
      }
    }
    const floor = median(p50s.get('{ __typename }')!);
    return {
      command: `npm start (${startCommand().join(' ')})`,
      rounds,
      requestsPerRound,
      operations: operations.map(([name]) => {
        const values = p50s.get(name)!;
        const p50 = median(values);
        return { name, p50, spread: [Math.min(...values), Math.max(...values)], aboveFloor: p50 - floor };
      }),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    embedder.server.close();
  }
}

export function printServed(bench: ServedBench): void {
  console.log(`\n## As npm start runs it\n`);
  console.log(
    `${bench.command}, rate limits off; a fetch client with keep-alive at concurrency 1; ${bench.rounds} alternating rounds of ${bench.requestsPerRound} requests; an end user with ${MEMORIES} memories.\n`,
  );
  console.log('| operation | p50 ms (median of rounds) | rounds min–max | above `{ __typename }` |');
  console.log('|---|---:|---:|---:|');
  for (const op of bench.operations)
    console.log(
      `| ${op.name} | ${op.p50.toFixed(2)} | ${op.spread[0].toFixed(2)}–${op.spread[1].toFixed(2)} | ${op.aboveFloor.toFixed(2)} |`,
    );
}

// Run alone: npx tsx bench/served.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  printServed(
    await runServedBench(process.env.BENCH_SERVED_URL ?? 'postgres://postgres@127.0.0.1:5432/memgate_bench_served'),
  );
}
