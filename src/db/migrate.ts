import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';

const migrationsDir = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));

/** Prisma's own bookkeeping table, so that `prisma migrate deploy` sees these migrations as applied. */
const bookkeeping = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export async function listMigrations(): Promise<{ name: string; sql: string; checksum: string }[]> {
  const names = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(`${migrationsDir}${name}/migration.sql`, 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/** Applies pending migrations in order, each in its own transaction; returns the names applied. */
export async function migrate(db: Database): Promise<string[]> {
  return db.withMigrationLock(() => applyPending(db));
}

async function appliedMigrations(db: Database): Promise<Map<string, string>> {
  const applied = await db.prisma.$queryRaw<{ migration_name: string; checksum: string }[]>`
    SELECT migration_name, checksum FROM "_prisma_migrations"
    WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  return new Map(applied.map((row) => [row.migration_name, row.checksum]));
}

/** The names of the migrations this code has and the database has not applied yet. */
export async function pendingMigrations(db: Database): Promise<string[]> {
  await db.execScript(bookkeeping);
  const done = await appliedMigrations(db);
  return (await listMigrations()).map((migration) => migration.name).filter((name) => !done.has(name));
}

async function applyPending(db: Database): Promise<string[]> {
  await db.execScript(bookkeeping);
  const done = await appliedMigrations(db);
  const ran: string[] = [];
  for (const migration of await listMigrations()) {
    if (!/^\d+_\w+$/.test(migration.name)) throw new Error(`Bad migration folder name: ${migration.name}`);
    const checksum = done.get(migration.name);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) {
        throw new Error(`Migration ${migration.name} was changed after it was applied (checksum mismatch).`);
      }
      continue;
    }
    const id = randomUUID();
    await db.execScript(
      `BEGIN;\n${migration.sql}\n;INSERT INTO "_prisma_migrations" ` +
        `(id, checksum, finished_at, migration_name, applied_steps_count) VALUES ` +
        `('${id}', '${migration.checksum}', now(), '${migration.name}', 1);\nCOMMIT;`,
    );
    ran.push(migration.name);
  }
  return ran;
}
