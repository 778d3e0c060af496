import { Prisma } from '../generated/prisma/client.js';
import type { MemoryFilter } from '../model.js';

/** The pieces every memory query of one end user is made of (memorySql.ts, keywordSql.ts). */

export interface UserKey {
  tenantId: string;
  externalUserId: string;
}

export const live = Prisma.sql`deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now())`;

export function filterSql(filter: MemoryFilter = {}): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filter.tags?.length) parts.push(Prisma.sql`tags @> ${filter.tags}::text[]`);
  if (filter.anyTags?.length) parts.push(Prisma.sql`tags && ${filter.anyTags}::text[]`);
  if (filter.metadata) parts.push(Prisma.sql`metadata @> ${JSON.stringify(filter.metadata)}::jsonb`);
  if (filter.createdAfter) parts.push(Prisma.sql`created_at >= ${filter.createdAfter}::timestamptz`);
  if (filter.createdBefore) parts.push(Prisma.sql`created_at < ${filter.createdBefore}::timestamptz`);
  if (filter.occurredAfter) parts.push(Prisma.sql`occurred_at >= ${filter.occurredAfter}::timestamptz`);
  if (filter.occurredBefore) parts.push(Prisma.sql`occurred_at < ${filter.occurredBefore}::timestamptz`);
  if (filter.threadId !== undefined) parts.push(Prisma.sql`thread_id = ${filter.threadId}`);
  return parts.length ? Prisma.sql`AND ${Prisma.join(parts, ' AND ')}` : Prisma.empty;
}

export const scopeOf = (key: UserKey) =>
  Prisma.sql`tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId}`;
