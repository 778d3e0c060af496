/**
 * npm run bench:ab — two checkouts of Memgate side by side on one PostgreSQL database, in
 * alternating rounds (the machine's speed drifts: compare only inside one run). A is the checkout
 * at BENCH_A_DIR (e.g. `git worktree add /tmp/memgate-a <commit>`, its node_modules linked to
 * this one's and src/generated copied), B is this one. Each serves the same seeded end users with
 * synthetic vectors; each round measures search (HYBRID, KEYWORD) and addMemory at concurrency 1,
 * then 32, on A then B (B then A every other round). Prints the medians of the rounds' p50s and
 * rps. BENCH_CITUS=1: on the local Citus cluster instead (BENCH_CITUS_URL, as
 * scripts/setup-citus.sh prints it).
 */
import { fork } from 'node:child_process';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { migrateWithTenants, recreate, recreateCitus } from './database.js';
import { graphqlClient, measure, type LoadResult } from './load.js';
import { addBody, searchBody } from './scenario.js';
import { withDatabase } from '../test/support/citus.js';

const A_DIR = process.env.BENCH_A_DIR;
if (!A_DIR) throw new Error('Set BENCH_A_DIR to the checkout to compare with (see bench/ab.ts).');
const CITUS_URL =
  process.env.BENCH_CITUS === '1'
    ? (process.env.BENCH_CITUS_URL ?? 'postgres://postgres@127.0.0.1:5441/memgate')
    : undefined;
const URL_ = CITUS_URL
  ? withDatabase(CITUS_URL, 'memgate_ab')
  : (process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/memgate_ab');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const USERS = 200;
const MEMORIES = 50;

/** A new fact as an assistant stores one: a few names (entities to find and link), never twice the same. */
const NAMES = ['Maya', 'Leo', 'Priya', 'Tom', 'Aiko'];
const PLACES = ['Lisbon', 'Porto', 'Kyoto', 'the Monterey Bay Aquarium', 'Night Noodle'];
const fact = (i: number) =>
  `${NAMES[i % 5]} told ${NAMES[(i + 2) % 5]} about the trip to ${PLACES[i % 5]} with my sister (${i} ${Math.random()})`;

/** bench/gateway.ts of a checkout, in a process of its own. */
async function start(dir: string) {
  const child = fork(join(dir, 'bench/gateway.ts'), {
    cwd: dir,
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: URL_, BENCH_EMBEDDER: 'synthetic', LOG_LEVEL: 'warn' },
    execArgv: ['--max-semi-space-size=32', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((done, fail) => {
    child.once('message', (message: { port: number }) => done(message.port));
    child.once('exit', (code) => fail(new Error(`the gateway in ${dir} exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/graphql`, stop: () => void child.disconnect() };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

await (CITUS_URL ? recreateCitus(CITUS_URL, 'memgate_ab') : recreate(URL_));
const b = await start(resolve('.'));
const a = await start(resolve(A_DIR));
// The tenant and its key, made by B's code (A's schema is the same: no migration between them).
const [{ apiKey }] = await migrateWithTenants(URL_, 1);
const seedClient = graphqlClient(b.url, apiKey, 8);
for (let user = 0; user < USERS; user++) {
  const memories = Array.from({ length: MEMORIES }, (_, i) => ({
    content: `user ${user} fact ${i}: likes topic ${(user * 7 + i) % 97}`,
  }));
  await seedClient(
    JSON.stringify({
      query: `mutation($u: String!, $m: [MemoryInput!]!) { addMemories(input: { externalUserId: $u, memories: $m }) { __typename } }`,
      variables: { u: `user-${user}`, m: memories },
    }),
  );
}
const db = new pg.Client({ connectionString: URL_ });
await db.connect();
await db.query('VACUUM ANALYZE');
await db.end();

type Scenario = { name: string; concurrency: number; body: (i: number) => string };
const allScenarios: Scenario[] = [
  {
    name: 'search HYBRID c1',
    concurrency: 1,
    body: (i) => searchBody(`user-${i % USERS}`, `likes topic ${i % 97}`, 'HYBRID'),
  },
  {
    name: 'search KEYWORD c1',
    concurrency: 1,
    body: (i) => searchBody(`user-${i % USERS}`, `topic ${i % 97}`, 'KEYWORD'),
  },
  {
    name: 'search HYBRID c32',
    concurrency: 32,
    body: (i) => searchBody(`user-${i % USERS}`, `likes topic ${i % 97}`, 'HYBRID'),
  },
  { name: 'addMemory c1', concurrency: 1, body: (i) => addBody(`user-${i % USERS}`, fact(i)) },
  {
    name: 'addMemory c32',
    concurrency: 32,
    body: (i) => addBody(`user-${i % USERS}`, fact(i)),
  },
];
// BENCH_ONLY=search runs the scenarios whose name contains it.
const scenarios = allScenarios.filter((scenario) => scenario.name.includes(process.env.BENCH_ONLY ?? ''));
const results = new Map<string, { a: LoadResult[]; b: LoadResult[] }>(scenarios.map((s) => [s.name, { a: [], b: [] }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const scenario of scenarios) {
    const order = round % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
    for (const which of order) {
      const client = graphqlClient((which === 'a' ? a : b).url, apiKey, scenario.concurrency);
      const result = await measure((i) => client(scenario.body(i)), {
        concurrency: scenario.concurrency,
        seconds: SECONDS,
      });
      results.get(scenario.name)![which].push(result);
    }
  }
  console.log(`round ${round + 1}/${ROUNDS} done`);
}
a.stop();
b.stop();

console.log(`\nA: ${A_DIR}\nB: this checkout\nmedians of ${ROUNDS} rounds of ${SECONDS} s (p50 in ms)\n`);
console.log('| scenario | A p50 | B p50 | B − A | A rps | B rps | errors A/B |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const [name, { a: ra, b: rb }] of results) {
  const [pa, pb] = [median(ra.map((r) => r.p50)), median(rb.map((r) => r.p50))];
  const [qa, qb] = [median(ra.map((r) => r.rps)), median(rb.map((r) => r.rps))];
  const errors = `${ra.reduce((s, r) => s + r.errors, 0)}/${rb.reduce((s, r) => s + r.errors, 0)}`;
  console.log(
    `| ${name} | ${pa.toFixed(2)} | ${pb.toFixed(2)} | ${(pb - pa).toFixed(2)} | ${qa.toFixed(0)} | ${qb.toFixed(0)} | ${errors} |`,
  );
}
process.exit(0);
