import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createAppLogin } from '../../src/db/appLogin.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';

/**
 * The databases every integration suite runs on: an in-memory PGlite always, PostgreSQL when
 * TEST_DATABASE_URL is set, and a Citus cluster when TEST_CITUS_URL names its coordinator
 * (scripts/setup-citus.sh prints it). On a server, each suite gets a fresh database, dropped
 * afterwards, and scoped work runs as production should run it: on an unprivileged login of its
 * own (TEST_APP_ROLE, created if missing; the local servers trust it), the owner doing the rest.
 */
export type DatabaseKind = 'pglite' | 'postgres' | 'citus';
export const databaseKinds: DatabaseKind[] = [
  'pglite',
  ...(process.env.TEST_DATABASE_URL ? (['postgres'] as const) : []),
  ...(process.env.TEST_CITUS_URL ? (['citus'] as const) : []),
];

export interface TestDatabase extends Database {
  /** Drops the suite's PostgreSQL database as well as closing. */
  destroy(): Promise<void>;
  /** The PostgreSQL database's URL (other processes may connect to it). */
  url?: string;
}

/** The unprivileged login of the PostgreSQL suites (a cluster-wide role, shared by all of them). */
export const TEST_APP_ROLE = 'memgate_gateway_test';

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function run(url: string, ...statements: string[]): Promise<unknown[][]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const results: unknown[][] = [];
    for (const statement of statements) results.push((await client.query(statement)).rows);
    return results;
  } finally {
    await client.end();
  }
}

/** Runs `work` while holding a lock on the server that other suites setting up a database wait for. */
async function oneAtATime<T>(serverUrl: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(727274002)');
    return await work();
  } finally {
    await client.end();
  }
}

/** The URLs of a Citus cluster's workers, as its coordinator's default database knows them. */
async function citusWorkers(coordinatorUrl: string): Promise<string[]> {
  const [rows] = (await run(coordinatorUrl, "SELECT nodename, nodeport FROM pg_dist_node WHERE noderole = 'primary' AND groupid <> 0 ORDER BY nodeport")) as {
    nodename: string;
    nodeport: number;
  }[][];
  return rows.map(({ nodename, nodeport }) => {
    const url = new URL(coordinatorUrl);
    url.hostname = nodename;
    url.port = String(nodeport);
    return url.toString();
  });
}

/** A fresh database on every node of the cluster, with Citus and pgvector, its workers registered. */
async function createCitusDatabase(coordinatorUrl: string, name: string): Promise<string[]> {
  const workers = await citusWorkers(coordinatorUrl);
  for (const worker of [coordinatorUrl, ...workers]) {
    await run(worker, 'SET citus.enable_create_database_propagation = off', `CREATE DATABASE ${name}`);
    await run(withDatabase(worker, name), 'CREATE EXTENSION citus', 'CREATE EXTENSION vector');
  }
  const coordinator = new URL(coordinatorUrl);
  await run(
    withDatabase(coordinatorUrl, name),
    `SELECT citus_set_coordinator_host('${coordinator.hostname}', ${coordinator.port || 5432})`,
    ...workers.map((worker) => `SELECT citus_add_node('${new URL(worker).hostname}', ${new URL(worker).port})`),
  );
  return workers;
}

export async function openTestDatabase(kind: DatabaseKind, options: { onQuery?: (sql: string) => void } = {}): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await openDatabase({ kind: 'pglite', onQuery: options.onQuery });
    await migrate(db);
    return { ...db, destroy: () => db.close() };
  }
  const adminUrl = kind === 'citus' ? process.env.TEST_CITUS_URL! : process.env.TEST_DATABASE_URL!;
  const name = `memgate_t_${randomBytes(6).toString('hex')}`;
  const url = withDatabase(adminUrl, name);
  const appUrl = new URL(url);
  appUrl.username = TEST_APP_ROLE;
  appUrl.password = '';
  // Suites running side by side would change the cluster's roles and nodes at the same time.
  const workers = await oneAtATime(adminUrl, async () => {
    const nodes = kind === 'citus' ? await createCitusDatabase(adminUrl, name) : [];
    if (kind === 'postgres') await run(adminUrl, `CREATE DATABASE ${name}`);
    const owner = await openDatabase({ kind: 'postgres', url, poolSize: 2 }); // the migration lock holds one connection
    await migrate(owner);
    await createAppLogin(owner.prisma, appUrl.toString());
    await owner.close();
    return nodes;
  });
  const db = await openDatabase({ kind: 'postgres', url, appUrl: appUrl.toString(), poolSize: 4, onQuery: options.onQuery });
  return {
    ...db,
    url,
    async destroy() {
      await db.close();
      for (const server of [adminUrl, ...workers]) await run(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
