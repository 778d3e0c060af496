import type { PrismaClient } from '../generated/prisma/client.js';
import { APP_ROLE } from './scope.js';

/**
 * The login end users' work runs on (DATABASE_APP_URL). It may log in and SET ROLE memgate_app,
 * nothing else: not superuser, no BYPASSRLS, NOINHERIT (no table rights of its own), owns nothing.
 * Whatever runs inside a scoped transaction — which switches to memgate_app first — and tries
 * RESET ROLE ends up with no rights at all.
 */

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Creates the login named in `appUrl` (with its password), or brings an existing one to these rules. Privileged. */
export async function createAppLogin(
  prisma: PrismaClient,
  appUrl: string,
): Promise<{ role: string; created: boolean }> {
  const parsed = new URL(appUrl);
  const role = decodeURIComponent(parsed.username);
  if (!ROLE_NAME.test(role))
    throw new Error(`DATABASE_APP_URL must name a role of lower-case letters, digits and _ (got "${role}").`);
  const password = decodeURIComponent(parsed.password);
  const passwordSql = password ? `PASSWORD '${password.replace(/'/g, "''")}'` : '';
  const rules = `LOGIN NOINHERIT NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION ${passwordSql}`;
  const [existing] = await prisma.$queryRaw<
    { n: number }[]
  >`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = ${role}`;
  let created = false;
  if (existing.n === 0) {
    try {
      await prisma.$executeRawUnsafe(`CREATE ROLE "${role}" ${rules}`);
      created = true;
    } catch (error) {
      // Created meanwhile by another process: bring it to the rules below.
      if (!/already exists/.test(String(error))) throw error;
    }
  }
  if (!created) await prisma.$executeRawUnsafe(`ALTER ROLE "${role}" ${rules}`);
  await prisma.$executeRawUnsafe(`GRANT ${APP_ROLE} TO "${role}"`);
  return { role, created };
}

export interface AppLoginReport {
  role: string;
  superuser: boolean;
  bypassrls: boolean;
  /** May SET ROLE memgate_app. */
  member: boolean;
  /** Reads memories without switching roles: it inherits rights it should not have. */
  readsDirectly: boolean;
}

/** What the scoped client's login is, read through that client. */
export async function appLoginReport(appPrisma: PrismaClient): Promise<AppLoginReport> {
  const [row] = await appPrisma.$queryRaw<AppLoginReport[]>`
    SELECT r.rolname AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
           pg_has_role(current_user, ${APP_ROLE}, 'MEMBER') AS member,
           has_table_privilege(current_user, 'memories', 'SELECT') AS "readsDirectly"
    FROM pg_roles r WHERE r.rolname = current_user`;
  return row;
}

/** Why the login is not fit for end users' work, or null. */
export function appLoginProblem(report: AppLoginReport): string | null {
  if (report.superuser || report.bypassrls)
    return `${report.role} is ${report.superuser ? 'a superuser' : 'BYPASSRLS'}`;
  if (!report.member) return `${report.role} may not SET ROLE ${APP_ROLE} (run memgate roles)`;
  if (report.readsDirectly)
    return `${report.role} reads tables without switching to ${APP_ROLE} (it must be NOINHERIT and hold no grants)`;
  return null;
}
