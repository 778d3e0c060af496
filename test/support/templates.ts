import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.js';
import { listMigrations, migrate } from '../../src/db/migrate.js';
import { createCitusDatabase, run, withDatabase } from './citus.js';

/** Databases migrated once and copied by every suite: a migration per suite cost CI minutes. */

/**
 * A migrated in-memory PGlite, dumped once and loaded by every suite: creating a PGlite runs
 * initdb in WebAssembly (2–4 s here), loading a dumped data directory takes a fraction of that.
 * The dump is kept in the temporary directory under a name made of the migrations and PGlite's
 * version, so a changed migration makes a new one; suites in parallel may both write it (the
 * rename is atomic).
 */
export function migratedPGliteDump(): Promise<Blob> {
  // Read (41 MB) and hashed once per suite file, however many databases it opens.
  pgliteDump ??= readOrMakePGliteDump();
  return pgliteDump;
}

let pgliteDump: Promise<Blob> | undefined;

async function readOrMakePGliteDump(): Promise<Blob> {
  const path = join(tmpdir(), `memgate-pglite-${await migrationsVersion(...pgliteVersions())}.tar`);
  try {
    return new Blob([await readFile(path)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const db = await openDatabase({ kind: 'pglite' });
  try {
    await migrate(db);
    const dump = await db.dumpDataDir!();
    const partial = `${path}.${process.pid}`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, path);
    for (const stale of await readdir(tmpdir())) {
      if (/^memgate-pglite-\w+\.tar$/.test(stale) && join(tmpdir(), stale) !== path)
        await rm(join(tmpdir(), stale), { force: true });
    }
    return dump;
  } finally {
    await db.close();
  }
}

/**
 * A migrated database on every node of a server (the coordinator and each worker on Citus), made
 * once and copied by each suite with CREATE DATABASE … TEMPLATE: a copy takes a fraction of a
 * migration (on Citus, 5–10 s of distributing tables). Named after the migrations, so a changed
 * migration makes a new one. A finished template refuses connections, which marks it finished and
 * keeps it unused, as a copy needs (Citus's maintenance daemon would otherwise stay connected).
 * Call it while holding oneAtATime's lock.
 */
export async function migratedTemplate(adminUrl: string, nodes: readonly string[], citus: boolean): Promise<string> {
  const name = `memgate_template_${await migrationsVersion()}`;
  const finished = await Promise.all(
    nodes.map(async (node) => {
      const [rows] = (await run(
        node,
        `SELECT 1 FROM pg_database WHERE datname = '${name}' AND NOT datallowconn`,
      )) as unknown[][];
      return rows.length === 1;
    }),
  );
  if (finished.every(Boolean)) return name;
  for (const node of nodes) await run(node, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  if (citus) await createCitusDatabase(adminUrl, name);
  else await run(adminUrl, `CREATE DATABASE ${name}`);
  const owner = await openDatabase({ kind: 'postgres', url: withDatabase(adminUrl, name), poolSize: 2 });
  try {
    await migrate(owner);
  } finally {
    await owner.close();
  }
  for (const node of nodes) {
    await run(
      node,
      `ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`,
    );
    // Templates of earlier migrations are of no more use (a checkout still using one remakes it).
    const [stale] = (await run(
      node,
      `SELECT datname FROM pg_database WHERE datname LIKE 'memgate\\_template\\_%' AND datname <> '${name}'`,
    )) as { datname: string }[][];
    for (const { datname } of stale) await run(node, `DROP DATABASE ${datname} WITH (FORCE)`).catch(() => undefined);
  }
  return name;
}

/** Names the migrations (and, for PGlite, its version): a template of other ones is never used. */
async function migrationsVersion(...more: string[]): Promise<string> {
  const migrations = (await listMigrations()).map((migration) => `${migration.name}:${migration.checksum}`);
  return createHash('sha256')
    .update([...more, ...migrations].join('\n'))
    .digest('hex')
    .slice(0, 16);
}

function pgliteVersions(): string[] {
  const { dependencies } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  return ['@electric-sql/pglite', '@electric-sql/pglite-pgvector'].map((name) => dependencies[name]);
}
