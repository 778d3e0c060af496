import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createAppLogin } from '../../src/db/appLogin.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';

/**
 * The databases every integration suite runs on: an in-memory PGlite always, and PostgreSQL when
 * TEST_DATABASE_URL is set (each suite gets a fresh database there, dropped afterwards). On
 * PostgreSQL, scoped work runs as production should run it: on an unprivileged login of its own
 * (TEST_APP_ROLE, created if missing; the local server trusts it), the owner doing the rest.
 */
export const databaseKinds: ('pglite' | 'postgres')[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

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

export async function openTestDatabase(kind: 'pglite' | 'postgres', options: { onQuery?: (sql: string) => void } = {}): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await openDatabase({ kind: 'pglite', onQuery: options.onQuery });
    await migrate(db);
    return { ...db, destroy: () => db.close() };
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `memgate_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const owner = await openDatabase({ kind: 'postgres', url, poolSize: 2 }); // the migration lock holds one connection
  await migrate(owner);
  const appUrl = new URL(url);
  appUrl.username = TEST_APP_ROLE;
  appUrl.password = '';
  await createAppLogin(owner.prisma, appUrl.toString());
  await owner.close();
  const db = await openDatabase({ kind: 'postgres', url, appUrl: appUrl.toString(), poolSize: 4, onQuery: options.onQuery });
  return {
    ...db,
    url,
    async destroy() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
