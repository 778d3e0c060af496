import pg from 'pg';
import { citusWorkers, createCitusDatabase, run, withDatabase } from '../test/support/citus.js';
import { createTenant } from '../src/db/admin.js';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import type { BenchTenant } from './scenario.js';

/** Migrates the bench's fresh database and creates its tenants (`bench-0`, `bench-1`, …). */
export async function migrateWithTenants(url: string, count: number): Promise<BenchTenant[]> {
  const db = await openDatabase({ kind: 'postgres', url, poolSize: 2 });
  try {
    await migrate(db);
    const tenants: BenchTenant[] = [];
    for (let i = 0; i < count; i++) tenants.push(await createTenant(db.prisma, `bench-${i}`));
    return tenants;
  } finally {
    await db.close();
  }
}

/** Drops and creates the database of `url`. */
export async function recreate(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
}

/**
 * Drops database `name` on every node of the Citus cluster led by `coordinatorUrl` (a database of
 * the cluster, as scripts/setup-citus.sh prints it) and creates it again there; returns its URL.
 */
export async function recreateCitus(coordinatorUrl: string, name: string): Promise<string> {
  for (const node of [coordinatorUrl, ...(await citusWorkers(coordinatorUrl))])
    await run(node, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await createCitusDatabase(coordinatorUrl, name);
  return withDatabase(coordinatorUrl, name);
}
