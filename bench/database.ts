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
