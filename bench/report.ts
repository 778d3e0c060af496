import type { LoadResult } from './load.js';
import type { PgliteBench } from './pglite.js';
import type { PostgresBench } from './postgres.js';
import type { ServedBench } from './served.js';

export interface BenchReport {
  at: string;
  machine: string;
  postgres: PostgresBench;
  pglite?: PgliteBench;
  /** The gateway as `npm start` runs it (bench/served.ts). */
  served?: ServedBench;
}

const ms = (value: number | undefined) => (value === undefined ? '' : value.toFixed(2));
const rps = (result: LoadResult | undefined) => (result ? String(Math.round(result.rps)) : '');

export function sideBySideRows(rows: { name: string; c1: LoadResult; c8?: LoadResult; c32?: LoadResult }[]) {
  return rows.map((row) => ({
    contender: row.name,
    'p50 ms': ms(row.c1.p50),
    'p95 ms': ms(row.c1.p95),
    'p99 ms': ms(row.c1.p99),
    'rps @8': rps(row.c8),
    'rps @32': rps(row.c32),
    errors: row.c1.errors + (row.c8?.errors ?? 0) + (row.c32?.errors ?? 0),
  }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The figures the issue sets targets on, computed from the run. */
export function targets(report: PostgresBench) {
  const find = (prefix: string) => report.sideBySide.find((row) => row.name.startsWith(prefix))!;
  const floor = find('pg floor (prepared');
  const gateway = find('gateway searchMemories (SEMANTIC');
  const graphqlFloor = find('GraphQL floor');
  const scaling = report.scaling;
  return {
    'gateway p50 − pg floor p50 (ms, target ≤ 1.5)': gateway.c1.p50 - floor.c1.p50,
    'gateway rps @32 ÷ GraphQL floor rps @32, median of alternating rounds (target ≥ 0.60)': median(
      report.throughputPairs.map((pair) => pair.ratio),
    ),
    'the same from the table (measured a minute apart)': gateway.c32!.rps / graphqlFloor.c32!.rps,
    'gateway rps @32 ÷ pg floor rps @32': gateway.c32!.rps / floor.c32!.rps,
    'scaling: p50 at largest ÷ p50 at 10k (target ≤ 1.3)':
      scaling.length > 1 ? scaling.at(-1)!.gatewayP50 / scaling[0].gatewayP50 : NaN,
  };
}

export function printReport(report: BenchReport): void {
  const pgReport = report.postgres;
  console.log(`\n== PostgreSQL (${report.machine}) ==`);
  console.log('Seeding:');
  console.table(
    pgReport.seeding.map((s) => ({
      memories: s.memories,
      'end users': s.endUsers,
      seconds: s.seconds.toFixed(1),
      'rows/s': Math.round(s.rowsPerSecond),
    })),
  );
  console.log('Side by side (warm, same data and query vectors; c=1 latency, throughput at concurrency 8 and 32):');
  console.table(sideBySideRows(pgReport.sideBySide));
  console.log('Scaling: search for one user with 100 memories as the table grows (c=1 p50, ms):');
  console.table(
    pgReport.scaling.map((s) => ({
      'memories in table': s.tableMemories,
      gateway: ms(s.gatewayP50),
      'pg floor': ms(s.floorP50),
    })),
  );
  console.log('Throughput at concurrency 32, search (SEMANTIC) and { __typename } in alternating rounds of 3 s:');
  console.table(
    pgReport.throughputPairs.map((pair, i) => ({
      round: i + 1,
      '{ __typename } rps': Math.round(pair.graphqlFloorRps),
      'search rps': Math.round(pair.searchRps),
      ratio: pair.ratio.toFixed(3),
    })),
  );
  console.log('Targets:');
  console.table(Object.entries(targets(pgReport)).map(([figure, value]) => ({ figure, value: value.toFixed(3) })));
  console.log(
    `Local model embedding (worker thread): 1 text p50 ${ms(pgReport.localEmbeddingMs.one.p50)} ms, 10 texts p50 ${ms(pgReport.localEmbeddingMs.batchOf10.p50)} ms`,
  );
  console.log(
    `Gateway RSS under load: ${pgReport.gatewayRssMiB.syntheticUnderLoad.toFixed(0)} MiB (synthetic vectors), ${pgReport.gatewayRssMiB.localModelUnderLoad.toFixed(0)} MiB (local model loaded)`,
  );
  const large = pgReport.largeScope;
  if (large) {
    console.log(
      `Large scope: one user with ${large.memories} memories (HNSW index built in ${large.hnswBuildSeconds.toFixed(0)} s)`,
    );
    console.table([
      {
        plan: 'pg floor, exact scan',
        'p50 ms': ms(large.exact.p50),
        'p95 ms': ms(large.exact.p95),
        'recall@10': '1.000',
        'HYBRID p50 ms': '',
        'KEYWORD p50 ms': '',
        '10-memory users p50 ms': '',
      },
      {
        plan: 'gateway, exact (no index)',
        'p50 ms': ms(large.gatewayExact.p50),
        'p95 ms': ms(large.gatewayExact.p95),
        'recall@10': '1.000',
        'HYBRID p50 ms': ms(large.gatewayExactModes.HYBRID.p50),
        'KEYWORD p50 ms': ms(large.gatewayExactModes.KEYWORD.p50),
        '10-memory users p50 ms': ms(large.smallUsersBefore.p50),
      },
      {
        plan: 'gateway, HNSW + iterative scan',
        'p50 ms': ms(large.gatewayHnsw.p50),
        'p95 ms': ms(large.gatewayHnsw.p95),
        'recall@10': large.recallAt10.toFixed(3),
        'HYBRID p50 ms': ms(large.gatewayHnswModes.HYBRID.p50),
        'KEYWORD p50 ms': ms(large.gatewayHnswModes.KEYWORD.p50),
        '10-memory users p50 ms': ms(large.smallUsersAfter.p50),
      },
    ]);
  }
  if (report.pglite) {
    console.log(
      `\n== PGlite (${report.pglite.memories} memories, ${report.pglite.endUsers} end users; seeded at ${Math.round(report.pglite.seedingRowsPerSecond)} rows/s) ==`,
    );
    console.table(sideBySideRows(report.pglite.sideBySide));
  }
}
