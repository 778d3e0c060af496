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
      const vector = await db.prisma.$queryRaw<{ extname: string }[]>`SELECT extname FROM pg_extension WHERE extname = 'vector'`;
      expect(vector).toHaveLength(1);
    } finally {
      await db.destroy();
    }
  });
});
