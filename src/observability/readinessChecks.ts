import type { Database } from '../db/database.js';
import { pendingMigrations } from '../db/migrate.js';
import type { Embedder } from '../embeddings/embedder.js';
import type { ReadinessCheck } from './readiness.js';

/** The checks behind /ready: what the gateway needs before it takes traffic. */

export function databaseCheck(db: Database): ReadinessCheck {
  return async () => {
    await db.prisma.$queryRaw`SELECT 1`;
  };
}

/** Ready once the embedder is warm: every thread of the local model loaded, or one embedding answered by a provider. */
export function embedderCheck(embedder: Embedder): ReadinessCheck {
  let loaded: Promise<unknown> | undefined;
  return async () => {
    loaded ??= (embedder.warmUp ? embedder.warmUp() : embedder.embed(['readiness probe'])).catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    await loaded;
  };
}

/** Ready once every migration of this code is applied (they never un-apply: checked until true). */
export function migrationsCheck(db: Database): ReadinessCheck {
  let applied = false;
  return async () => {
    if (applied) return;
    const pending = await pendingMigrations(db);
    if (pending.length > 0) throw new Error(`Migrations not applied: ${pending.join(', ')}`);
    applied = true;
  };
}
