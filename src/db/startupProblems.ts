import { DatabaseStartupError } from '../errors.js';
/** Why the database could not be opened, in one line with the fix, instead of an ORM dump. */

interface DriverCause {
  kind?: string;
  originalCode?: string;
  originalMessage?: string;
  db?: string;
  host?: string;
  port?: number;
}

function driverCause(error: unknown): DriverCause | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: DriverCause } } })?.meta;
  return meta?.driverAdapterError?.cause;
}

/** Redacts the password of a database URL before it is shown. */
function shown(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

/** A clear error for the usual ways DATABASE_URL is wrong; anything else is returned unchanged. */
export function explainStartupProblem(error: unknown, url: string | undefined): unknown {
  const cause = driverCause(error);
  const where = url ? `DATABASE_URL (${shown(url)})` : 'the database';
  if (cause?.kind === 'DatabaseDoesNotExist' || cause?.originalCode === '3D000') {
    return new DatabaseStartupError(
      `${where}: database "${cause.db ?? '?'}" does not exist. Create it (createdb ${cause.db ?? '<name>'}) or fix the URL.`,
    );
  }
  if (cause?.kind === 'DatabaseAccessDenied' || cause?.originalCode === '28000' || cause?.originalCode === '28P01') {
    return new DatabaseStartupError(
      `${where}: login refused (${cause.originalMessage ?? 'access denied'}). Create the role or fix the user and password in the URL.`,
    );
  }
  if (cause?.kind === 'DatabaseNotReachable') {
    const at = cause.port ? `${cause.host}:${cause.port}` : cause.host;
    return new DatabaseStartupError(
      `${where}: no PostgreSQL server answers at ${at}. Start it, or fix the host and port in the URL.`,
    );
  }
  const message = error instanceof Error ? error.message : '';
  if (/extension "vector"|vector\.control|type "vector" does not exist/.test(message)) {
    return new DatabaseStartupError(
      `${where}: the pgvector extension is not installed on this server. Install it (e.g. apt-get install postgresql-15-pgvector; see scripts/setup-postgres.sh).`,
    );
  }
  return error;
}
