import type { Config } from '../config.js';
import { openDatabase, type Database } from './database.js';
import { appLoginProblem, appLoginReport } from './appLogin.js';
import { migrate } from './migrate.js';
import { explainStartupProblem } from './startupProblems.js';

/**
 * Row-level security is forced on every tenant-owned table, so the connecting role (which runs
 * migrations, key lookups and the command line) must bypass it; user work runs as memgate_app.
 */
async function assertPrivilegedRole(db: Database): Promise<void> {
  const [role] = await db.prisma.$queryRaw<{ name: string; privileged: boolean }[]>`
    SELECT rolname AS name, (rolsuper OR rolbypassrls) AS privileged FROM pg_roles WHERE rolname = current_user`;
  if (!role?.privileged) {
    throw new Error(
      `The database role "${role?.name}" must be a superuser or have BYPASSRLS ` +
        `(ALTER ROLE "${role?.name}" BYPASSRLS): it runs migrations and key lookups; user work runs as memgate_app.`,
    );
  }
}

/** Opens the configured database (PostgreSQL or embedded PGlite) and applies pending migrations (unless told not to). */
export async function openConfiguredDatabase(
  config: Config,
  options: { migrate?: boolean; onNotice?: (message: string) => void } = {},
): Promise<Database> {
  const db = await openDatabase(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl, appUrl: config.databaseAppUrl, poolSize: config.databasePoolSize }
      : { kind: 'pglite', dataDir: config.dataDir, onNotice: options.onNotice },
  ).catch((error: unknown) => {
    throw explainStartupProblem(error, config.databaseUrl);
  });
  try {
    await assertPrivilegedRole(db);
    if (options.migrate !== false) await migrate(db);
    if (db.separateAppLogin) {
      const report = await appLoginReport(db.appPrisma).catch((error: Error) => {
        throw new Error(
          `DATABASE_APP_URL: cannot log in (${error.message.trim().split('\n').pop()}). Run \`npx memgate roles\` with DATABASE_URL (the owner) to create the login.`,
        );
      });
      const problem = appLoginProblem(report);
      if (problem)
        throw new Error(
          `DATABASE_APP_URL: ${problem}. Run \`npx memgate roles\` with DATABASE_URL (the owner) to set it up.`,
        );
    }
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw explainStartupProblem(error, config.databaseUrl);
  }
}
