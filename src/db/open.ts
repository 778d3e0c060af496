import type { Config } from '../config.js';
import { openDatabase, type Database } from './database.js';
import { migrate } from './migrate.js';

/** Opens the configured database (PostgreSQL or embedded PGlite) and applies pending migrations. */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  const db = await openDatabase(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl, poolSize: config.databasePoolSize }
      : { kind: 'pglite', dataDir: config.dataDir },
  );
  try {
    await migrate(db);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
