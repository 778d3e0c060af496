import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { pendingMigrations } from '../db/migrate.js';
import { appLoginProblem, appLoginReport } from '../db/appLogin.js';
import { nonconformingIdentifiers } from '../db/identifiers.js';
import { APP_ROLE } from '../db/scope.js';
import { isConformingExternalUserId } from '../memory/validate.js';
import type { Embedder } from '../embeddings/embedder.js';

export interface Finding {
  check: string;
  /** false fails the doctor (exit code 1); a warning passes with a note. */
  ok: boolean;
  warning?: boolean;
  detail: string;
}

async function attempt(check: string, probe: () => Promise<Omit<Finding, 'check'>>): Promise<Finding> {
  try {
    return { check, ...(await probe()) };
  } catch (error) {
    return { check, ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

/** What an operator checks first when something is off: each finding says what it saw. */
export async function diagnose(
  db: Database,
  embedder: Embedder,
  llm: Pick<Config['llm'], 'apiKey' | 'model'>,
): Promise<Finding[]> {
  const prisma = db.prisma;
  const reachable = await attempt('database', async () => {
    const [row] = await prisma.$queryRaw<{ version: string }[]>`SELECT version() AS version`;
    return {
      ok: true,
      detail: `${db.kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'}: ${row.version.split(',')[0]}`,
    };
  });
  if (!reachable.ok) return [reachable];
  return [
    reachable,
    await attempt('pgvector', async () => {
      const [row] = await prisma.$queryRaw<
        { version: string }[]
      >`SELECT extversion AS version FROM pg_extension WHERE extname = 'vector'`;
      return row
        ? { ok: true, detail: `vector ${row.version}` }
        : { ok: false, detail: 'the vector extension is not installed in this database' };
    }),
    await attempt('migrations', async () => {
      const pending = await pendingMigrations(db);
      return pending.length === 0
        ? { ok: true, detail: 'all applied' }
        : { ok: false, detail: `pending: ${pending.join(', ')} (run memgate migrate)` };
    }),
    await attempt('row-level security', async () => {
      const tables = await prisma.$queryRaw<{ name: string; enabled: boolean; forced: boolean }[]>`
        SELECT c.relname AS name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
        ORDER BY 1`;
      const [role] = await prisma.$queryRaw<{ unsafe: boolean }[]>`
        SELECT (rolsuper OR rolbypassrls) AS unsafe FROM pg_roles WHERE rolname = ${APP_ROLE}`;
      const open = tables.filter((table) => !table.enabled || !table.forced).map((table) => table.name);
      if (!role) return { ok: false, detail: `the role ${APP_ROLE} does not exist` };
      if (role.unsafe) return { ok: false, detail: `${APP_ROLE} is a superuser or bypasses row-level security` };
      if (tables.length === 0) return { ok: false, detail: 'no tenant-owned tables found' };
      return open.length === 0
        ? {
            ok: true,
            detail: `enabled and forced on ${tables.length} tenant-owned tables; ${APP_ROLE} cannot bypass it`,
          }
        : { ok: false, detail: `not enforced on: ${open.join(', ')}` };
    }),
    await attempt('login role', async () => {
      if (db.kind === 'pglite')
        return { ok: true, detail: 'embedded PGlite: one in-process superuser; user work runs as memgate_app' };
      if (db.separateAppLogin) {
        const report = await appLoginReport(db.appPrisma);
        const problem = appLoginProblem(report);
        return problem
          ? { ok: false, detail: `DATABASE_APP_URL: ${problem}` }
          : {
              ok: true,
              detail: `end users' work logs in as ${report.role}: not superuser, no BYPASSRLS, no rights but SET ROLE ${APP_ROLE}`,
            };
      }
      const [role] = await prisma.$queryRaw<{ name: string }[]>`SELECT current_user AS name`;
      return {
        ok: true,
        warning: true,
        detail:
          `end users' work logs in as ${role.name} (DATABASE_URL), which may RESET ROLE out of row-level security inside a scoped ` +
          'transaction: set DATABASE_APP_URL to an unprivileged login (npx memgate roles; docs/security.md)',
      };
    }),
    await attempt('end-user identifiers', async () => {
      const odd = await nonconformingIdentifiers(prisma, isConformingExternalUserId);
      if (odd.length === 0) return { ok: true, detail: 'every stored identifier meets the identifier rule' };
      const examples = odd
        .slice(0, 5)
        .map((row) => JSON.stringify(row.externalUserId))
        .join(', ');
      return {
        ok: true,
        warning: true,
        detail:
          `${odd.length} stored identifiers do not meet the current rule (control, format or invisible characters, ` +
          `not NFC, or non-ASCII case folding), e.g. ${examples}: the API refuses them, so those end users can only be ` +
          'exported or erased with the command line; nothing was merged or rewritten',
      };
    }),
    await attempt('embedding model', async () => {
      const startedAt = performance.now();
      const [vector] = await embedder.embed(['memgate doctor']);
      return {
        ok: true,
        detail: `${embedder.modelId}, ${vector.length} dimensions, answered in ${Math.round(performance.now() - startedAt)} ms`,
      };
    }),
    llm.apiKey
      ? { check: 'LLM', ok: true, detail: `Claude configured (${llm.model})` }
      : {
          check: 'LLM',
          ok: true,
          warning: true,
          detail: 'ANTHROPIC_API_KEY is not set: conversation features answer LLM_NOT_CONFIGURED',
        },
  ];
}
