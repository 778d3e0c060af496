import { randomBytes } from 'node:crypto';
import { createAppLogin } from '../../src/db/appLogin.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { citusWorkers, oneAtATime, run, withDatabase } from './citus.js';
import { migratedPGliteDump, migratedTemplate } from './templates.js';

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
  /** The unprivileged login end users' work runs on (DATABASE_APP_URL for other processes). */
  appUrl?: string;
}

/** The unprivileged login of the PostgreSQL suites (a cluster-wide role, shared by all of them). */
export const TEST_APP_ROLE = 'memgate_gateway_test';

export async function openTestDatabase(
  kind: DatabaseKind,
  options: { onQuery?: (sql: string) => void } = {},
): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await openDatabase({
      kind: 'pglite',
      onQuery: options.onQuery,
      loadDataDir: await migratedPGliteDump(),
    });
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
    const workers = kind === 'citus' ? await citusWorkers(adminUrl) : [];
    const nodes = [adminUrl, ...workers];
    const template = await migratedTemplate(adminUrl, nodes, kind === 'citus');
    // Each node gets its copy of its own part of the template (Citus would propagate the statement).
    const noPropagation = kind === 'citus' ? ['SET citus.enable_create_database_propagation = off'] : [];
    for (const node of nodes) {
      await run(node, ...noPropagation, `CREATE DATABASE ${name} TEMPLATE ${template}`);
      if (kind === 'citus') await run(withDatabase(node, name), CITUS_DATABASE_IS_ITSELF);
    }
    const owner = await openDatabase({ kind: 'postgres', url, poolSize: 1 });
    await createAppLogin(owner.prisma, appUrl.toString());
    await owner.close();
    return workers;
  });
  const db = await openDatabase({
    kind: 'postgres',
    url,
    appUrl: appUrl.toString(),
    poolSize: 4,
    onQuery: options.onQuery,
  });
  return {
    ...db,
    url,
    appUrl: appUrl.toString(),
    async destroy() {
      await db.close();
      for (const server of [adminUrl, ...workers]) await dropDatabase(server, name);
    },
  };
}

/**
 * Citus records the database it runs in among its distributed objects by oid: a copy names its
 * template there, which a node joining later would be told to create (citusScaleOut.test).
 */
const CITUS_DATABASE_IS_ITSELF = `UPDATE pg_catalog.pg_dist_object
  SET objid = (SELECT oid FROM pg_database WHERE datname = current_database())
  WHERE classid = 'pg_database'::regclass`;

/**
 * FORCE ends the database's sessions, but on Citus a node's maintenance daemon or the coordinator's
 * connection cache may open one again at that moment ("is being accessed by other users"): retry.
 */
async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await run(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}
