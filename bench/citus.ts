/**
 * npm run bench:citus (and the last section of npm run bench) — the gateway on the local Citus cluster next to the same gateway on the
 * single-node PostgreSQL, with the same data and load: per-user search and addMemory (no
 * embedding) at concurrency 1 and 32, the probe user's search as the table grows, and how one
 * tenant's end users are spread over the workers. Prints a table and writes
 * bench/results/citus.json. BENCH_CITUS_URL (the coordinator, as scripts/setup-citus.sh prints it;
 * default postgres://postgres@127.0.0.1:5441/memgate), BENCH_CITUS_USERS (20000), BENCH_SECONDS (5).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { run, withDatabase } from '../test/support/citus.js';
import { migrateWithTenants, recreateCitus } from './database.js';
import { startGateway } from './child.js';
import { graphqlClient, measure, type LoadResult } from './load.js';
import {
  addBody,
  BENCH_SECRET,
  MEMORIES_PER_USER,
  pickUser,
  populationUser,
  PROBE_MEMORIES,
  PROBE_USER,
  queryText,
  searchBody,
} from './scenario.js';
import { seed } from './seed.js';

const TENANTS = 4;
const DIMENSIONS = 512;
const coordinator = process.env.BENCH_CITUS_URL ?? 'postgres://postgres@127.0.0.1:5441/memgate';
const single = 'postgres://postgres@127.0.0.1:5432/postgres';
const population = Number(process.env.BENCH_CITUS_USERS ?? 20_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const NAME = 'memgate_bench_scale';

interface TargetResult {
  target: string;
  /** The probe user's search (100 memories), c=1, with a tenth of the population and with all of it. */
  probe: { tableMemories: number; p50: number }[];
  search: { c1: LoadResult; c32: LoadResult };
  add: { c1: LoadResult; c32: LoadResult };
  /** Citus: workers (port) holding tenant 0's end users, and how many each. */
  spread?: { port: number; endUsers: number }[];
}

const log = (message: string) => console.log(`[bench citus] ${message}`);

async function prepare(target: 'postgres' | 'citus'): Promise<string> {
  const server = target === 'citus' ? coordinator : single;
  if (target === 'citus') return recreateCitus(server, NAME);
  const url = withDatabase(server, NAME);
  await run(server, `DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`, `CREATE DATABASE ${NAME}`);
  await run(url, 'CREATE EXTENSION vector');
  return url;
}

async function benchTarget(target: 'postgres' | 'citus'): Promise<TargetResult> {
  const url = await prepare(target);
  const tenants = await migrateWithTenants(url, TENANTS);

  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const users = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => {
      const user = populationUser(from + k, TENANTS);
      return {
        tenantId: tenants[user.tenant].tenantId,
        externalUserId: user.externalUserId,
        memories: MEMORIES_PER_USER,
      };
    });
  await seed(admin, [{ tenantId: tenants[0].tenantId, externalUserId: PROBE_USER, memories: PROBE_MEMORIES }], {
    dimensions: DIMENSIONS,
  });

  const gateway = await startGateway({
    DATABASE_URL: url,
    BENCH_EMBEDDER: 'synthetic',
    DATABASE_POOL_SIZE: '16',
    MEMGATE_SECRET: BENCH_SECRET,
  });
  const clients = tenants.map((tenant) => graphqlClient(gateway.url, tenant.apiKey, 64));
  const probe: TargetResult['probe'] = [];
  for (const seeded of [Math.ceil(population / 10), population]) {
    await seed(admin, users(probe.length === 0 ? 0 : Math.ceil(population / 10), seeded), { dimensions: DIMENSIONS });
    await admin.query('VACUUM ANALYZE memories'); // one statement each: VACUUM runs outside a transaction
    await admin.query('VACUUM ANALYZE end_users');
    const run = await measure((i) => clients[0](searchBody(PROBE_USER, queryText(i))), {
      concurrency: 1,
      seconds: Math.min(seconds, 3),
    });
    probe.push({ tableMemories: PROBE_MEMORIES + seeded * MEMORIES_PER_USER, p50: run.p50 });
    log(`${target}: probe search with ${probe.at(-1)!.tableMemories} memories: p50 ${run.p50.toFixed(2)} ms`);
  }

  const user = (i: number) => pickUser(i, population, TENANTS);
  const search = (i: number) => clients[user(i).tenant](searchBody(user(i).externalUserId, queryText(i)));
  const add = (i: number) => clients[user(i).tenant](addBody(user(i).externalUserId, `added ${i} ${Math.random()}`));
  const result: TargetResult = {
    target,
    probe,
    search: {
      c1: await measure(search, { concurrency: 1, seconds }),
      c32: await measure(search, { concurrency: 32, seconds }),
    },
    add: { c1: await measure(add, { concurrency: 1, seconds }), c32: await measure(add, { concurrency: 32, seconds }) },
  };
  await gateway.stop();
  if (target === 'citus') {
    // The tenant's end users first (a query over every shard), then where each one's shard lives.
    const endUsers = (
      await admin.query<{ id: string }>('SELECT external_user_id AS id FROM end_users WHERE tenant_id = $1', [
        tenants[0].tenantId,
      ])
    ).rows;
    const { rows } = await admin.query<{ port: number; endUsers: number }>(
      `SELECT s.nodeport AS port, count(*)::int AS "endUsers"
       FROM unnest($1::text[]) AS u(external_user_id)
       JOIN citus_shards s ON s.table_name = 'end_users'::regclass
         AND s.shardid = get_shard_id_for_distribution_column('end_users', u.external_user_id)
       GROUP BY s.nodeport ORDER BY s.nodeport`,
      [endUsers.map((user) => user.id)],
    );
    result.spread = rows;
  }
  await admin.end();
  log(
    `${target}: search p50 ${result.search.c1.p50.toFixed(2)} ms, ${Math.round(result.search.c32.rps)} rps @32; ` +
      `addMemory p50 ${result.add.c1.p50.toFixed(2)} ms, ${Math.round(result.add.c32.rps)} rps @32`,
  );
  return result;
}

/** Both targets, printed as a table and written to bench/results/citus.json. */
export async function runCitusBench(): Promise<void> {
  const results = [await benchTarget('postgres'), await benchTarget('citus')];
  const ms = (value: number) => value.toFixed(2);
  console.log(
    `\n${population.toLocaleString('en')} end users × ${MEMORIES_PER_USER} memories in ${TENANTS} tenants, ${seconds} s per measurement\n`,
  );
  console.log(
    '| database | search p50 ms (c=1) | p95 | rps @32 | addMemory p50 ms (c=1) | p95 | rps @32 | probe p50 ms as the table grows |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    const growth = r.probe.map((p) => `${ms(p.p50)} (${p.tableMemories.toLocaleString('en')})`).join(' → ');
    console.log(
      `| ${r.target === 'citus' ? 'Citus: coordinator + 2 workers' : 'PostgreSQL, one node'} | ${ms(r.search.c1.p50)} | ${ms(r.search.c1.p95)} | ` +
        `${Math.round(r.search.c32.rps)} | ${ms(r.add.c1.p50)} | ${ms(r.add.c1.p95)} | ${Math.round(r.add.c32.rps)} | ${growth} |`,
    );
  }
  const spread = results[1].spread ?? [];
  console.log(
    `\nOne tenant's ${spread.reduce((sum, worker) => sum + worker.endUsers, 0)} end users by worker: ${spread.map((w) => `${w.port}: ${w.endUsers}`).join(', ')}`,
  );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/citus.json',
    `${JSON.stringify({ at: new Date().toISOString(), population, seconds, results }, null, 2)}\n`,
  );
  console.log('Written to bench/results/citus.json');
}

/** Whether the coordinator answers (npm run bench skips its Citus section without one). */
export async function citusReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: coordinator });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runCitusBench();
