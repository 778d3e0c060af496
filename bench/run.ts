/**
 * npm run bench — the gateway beside its floors, on the local PostgreSQL and (smaller) on PGlite.
 * Prints a table, writes bench/results/bench.json and bench/results/bench.svg. Sizes can be
 * lowered for a quick look: BENCH_USERS (default 100000), BENCH_SECONDS (5),
 * BENCH_LARGE_SCOPE (100000), BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/memgate_bench).
 * Then the gateway exactly as `npm start` runs it, measured as a backend calls it (bench/served.ts),
 * and the Citus section (bench/citus.ts) when the local cluster answers; BENCH_SKIP_CITUS skips it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { runPostgresBench } from './postgres.js';
import { runPgliteBench } from './pglite.js';
import { citusReachable, runCitusBench } from './citus.js';
import { renderChart } from './chart.js';
import { printServed, runServedBench } from './served.js';
import { printReport, type BenchReport } from './report.js';

const report: BenchReport = {
  at: new Date().toISOString(),
  machine: await import('node:os').then(
    (os) => `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  ),
  postgres: await runPostgresBench(),
  pglite: process.env.BENCH_SKIP_PGLITE ? undefined : await runPgliteBench(),
  served: await runServedBench(
    process.env.BENCH_SERVED_URL ?? 'postgres://postgres@127.0.0.1:5432/memgate_bench_served',
  ),
};
printReport(report);
printServed(report.served!);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/bench.json', `${JSON.stringify(report, null, 2)}\n`);
writeFileSync('bench/results/bench.svg', renderChart(report));
console.log('\nWritten to bench/results/bench.json and bench/results/bench.svg');

// Last, single node next to the local Citus cluster (scripts/setup-citus.sh), when it runs.
if (process.env.BENCH_SKIP_CITUS) console.log('\nCitus section skipped (BENCH_SKIP_CITUS).');
else if (!(await citusReachable()))
  console.log('\nCitus section skipped: no coordinator answers (bash scripts/setup-citus.sh starts one).');
else {
  console.log('\n## Citus\n');
  await runCitusBench();
}
