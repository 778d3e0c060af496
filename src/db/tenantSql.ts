import { Prisma } from '../generated/prisma/client.js';
import { memoryColumns } from './memoryColumns.js';
import { live } from './memorySql.js';

/**
 * Tenant-wide reads (an ADMIN's or READ key's view over its end users), run by ScopedDatabase.read
 * in a tenant scope: each names its tenant, and row-level security checks it again.
 */

export interface EndUserStatsRow {
  externalUserId: string;
  memoryCount: number;
}

/** Live memory counts for many end users of one tenant in one query. */
export function countMemoriesByUserSql(tenantId: string, externalUserIds: readonly string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT external_user_id AS "externalUserId", count(*)::int AS "memoryCount" FROM memories
    WHERE tenant_id = ${tenantId}::uuid AND external_user_id = ANY(${externalUserIds}::text[]) AND ${live}
    GROUP BY external_user_id`;
}

/** Conversation jobs of any end user of the tenant, by id (ids must be UUIDs). */
export function tenantJobsByIdSql(tenantId: string, ids: readonly string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT id, external_user_id AS "externalUserId", status, result, error, attempts, failures,
           created_at AS "createdAt", finished_at AS "finishedAt"
    FROM conversations WHERE tenant_id = ${tenantId}::uuid AND id = ANY(${ids}::uuid[])`;
}

/** Live memories of any end user of the tenant, by id (ids must be UUIDs). */
export function tenantMemoriesByIdSql(tenantId: string, ids: readonly string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT ${memoryColumns()} FROM memories
    WHERE tenant_id = ${tenantId}::uuid AND id = ANY(${ids}::uuid[]) AND deleted_at IS NULL`;
}

const endUserColumns = Prisma.sql`external_user_id AS "externalUserId", created_at AS "createdAt", last_activity_at AS "lastActivityAt"`;

export function endUserSql(tenantId: string, externalUserId: string): Prisma.Sql {
  return Prisma.sql`SELECT ${endUserColumns} FROM end_users WHERE tenant_id = ${tenantId}::uuid AND external_user_id = ${externalUserId}`;
}

/** A keyset page of identifiers: after `from` (exclusive) in ascending order, or before it in descending order when `backward`. */
export interface IdentifierPage {
  from?: string;
  backward: boolean;
  take: number;
}

function identifierPosition(page: IdentifierPage): Prisma.Sql {
  if (page.from === undefined) return Prisma.empty;
  return page.backward
    ? Prisma.sql`AND external_user_id < ${page.from}`
    : Prisma.sql`AND external_user_id > ${page.from}`;
}

const identifierOrder = (page: IdentifierPage) =>
  page.backward ? Prisma.sql`external_user_id DESC` : Prisma.sql`external_user_id ASC`;

export function endUsersPageSql(tenantId: string, page: IdentifierPage): Prisma.Sql {
  return Prisma.sql`
    SELECT ${endUserColumns} FROM end_users
    WHERE tenant_id = ${tenantId}::uuid ${identifierPosition(page)}
    ORDER BY ${identifierOrder(page)} LIMIT ${page.take}`;
}

export interface UsageRow {
  externalUserId: string;
  operation: string;
  model: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  modelMs: number;
}

const usageTotals = Prisma.sql`count(*)::int AS calls, coalesce(sum(input_tokens), 0)::float8 AS "inputTokens",
  coalesce(sum(output_tokens), 0)::float8 AS "outputTokens", coalesce(sum(model_ms), 0)::float8 AS "modelMs"`;

/** Model usage per operation and model between two instants; per end user too when `externalUserIds` is given. */
export function usageByOperationSql(
  tenantId: string,
  from: Date,
  to: Date,
  externalUserIds?: readonly string[],
): Prisma.Sql {
  const users = externalUserIds ? Prisma.sql`AND external_user_id = ANY(${externalUserIds}::text[])` : Prisma.empty;
  const perUser = externalUserIds ? Prisma.sql`external_user_id` : Prisma.sql`NULL::text`;
  return Prisma.sql`
    SELECT ${perUser} AS "externalUserId", operation, model, ${usageTotals} FROM llm_usage
    WHERE tenant_id = ${tenantId}::uuid AND created_at >= ${from}::timestamptz AND created_at < ${to}::timestamptz ${users}
    GROUP BY 1, operation, model ORDER BY operation, model`;
}

/** Model usage per UTC day between two instants (days without calls are absent). */
export function usageByDaySql(tenantId: string, from: Date, to: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT date_trunc('day', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day, ${usageTotals} FROM llm_usage
    WHERE tenant_id = ${tenantId}::uuid AND created_at >= ${from}::timestamptz AND created_at < ${to}::timestamptz
    GROUP BY 1 ORDER BY 1`;
}

/** Model usage totals per end user between two instants, a keyset page in order of identifier. */
export function usageByEndUserSql(
  tenantId: string,
  from: Date,
  to: Date,
  page: IdentifierPage & { externalUserId?: string },
): Prisma.Sql {
  const one =
    page.externalUserId === undefined ? Prisma.empty : Prisma.sql`AND external_user_id = ${page.externalUserId}`;
  return Prisma.sql`
    SELECT external_user_id AS "externalUserId", ${usageTotals} FROM llm_usage
    WHERE tenant_id = ${tenantId}::uuid AND created_at >= ${from}::timestamptz AND created_at < ${to}::timestamptz ${one} ${identifierPosition(page)}
    GROUP BY external_user_id ORDER BY ${identifierOrder(page)} LIMIT ${page.take}`;
}
