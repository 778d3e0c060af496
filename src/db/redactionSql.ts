import { Prisma } from '../generated/prisma/client.js';

/** Rows: the tenant's redaction rules [{ name, pattern }], in the order they were given. */
export function redactionRulesSql(tenantId: string): Prisma.Sql {
  return Prisma.sql`SELECT name, pattern FROM redaction_rules WHERE tenant_id = ${tenantId}::uuid ORDER BY created_at, id`;
}
