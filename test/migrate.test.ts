import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { listMigrations, migrate } from '../src/db/migrate.js';
import { databaseKinds, openTestDatabase } from './support/databases.js';

describe.each(databaseKinds)('migrations on %s', (kind) => {
  test('are applied once and recorded the way prisma migrate deploy reads them', async () => {
    const db = await openTestDatabase(kind);
    try {
      expect(await migrate(db)).toEqual([]);
      const migrations = await listMigrations();
      const rows = await db.prisma.$queryRaw<{ migration_name: string; checksum: string; finished_at: Date | null }[]>`
        SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`;
      expect(rows.map((row) => row.migration_name)).toEqual(migrations.map((m) => m.name));
      for (const [i, row] of rows.entries()) {
        const file = readFileSync(new URL(`../prisma/migrations/${row.migration_name}/migration.sql`, import.meta.url));
        expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.checksum).toBe(migrations[i].checksum);
      }
      const vector = await db.prisma.$queryRaw<
        { extname: string }[]
      >`SELECT extname FROM pg_extension WHERE extname = 'vector'`;
      expect(vector).toHaveLength(1);
    } finally {
      await db.destroy();
    }
  });
});

(process.env.TEST_DATABASE_URL ? test : test.skip)(
  'two gateways migrating a fresh PostgreSQL at once take turns',
  async () => {
    const { default: pg } = await import('pg');
    const { openDatabase } = await import('../src/db/database.js');
    const adminUrl = process.env.TEST_DATABASE_URL!;
    const name = `memgate_race_${Date.now()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const [a, b] = await Promise.all([
      openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2 }),
      openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2 }),
    ]);
    try {
      const [ranA, ranB] = await Promise.all([migrate(a), migrate(b)]);
      const all = (await listMigrations()).map((m) => m.name);
      expect([ranA, ranB].sort((x, y) => y.length - x.length)).toEqual([all, []]);
      const rows = await a.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "_prisma_migrations"`;
      expect(rows[0].n).toBe(all.length);
    } finally {
      await Promise.all([a.close(), b.close()]);
      // Without FORCE: terminating a connection a pool still holds would crash this worker. Retry
      // briefly while the closed pools' connections go away; leaving the database behind is harmless.
      for (let attempt = 0; attempt < 20; attempt++) {
        const dropped = await admin.query(`DROP DATABASE IF EXISTS ${name}`).then(
          () => true,
          () => false,
        );
        if (dropped) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await admin.end();
    }
  },
);
