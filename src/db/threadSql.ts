import { Prisma } from '../generated/prisma/client.js';
import { memoryColumns } from './memoryColumns.js';
import type { UserKey } from './memorySql.js';

/**
 * Threads: the memories of one conversation or session, in the order they occurred (occurred_at,
 * then created_at and id for memories of the same instant). Every query names the end user for
 * each table it reads, so that on Citus it runs on that user's shard alone. (The context words of
 * a new memory are set by its add: threadContextSql in addMemorySql.ts.)
 */

export const userOf = (key: UserKey, table: string) =>
  Prisma.sql`${Prisma.raw(table)}.tenant_id = ${key.tenantId}::uuid AND ${Prisma.raw(table)}.external_user_id = ${key.externalUserId}`;

/**
 * Up to `before` live memories that precede each of these memories in its thread and up to `after`
 * that follow it, each row naming its anchor and side; nothing for a memory outside any thread.
 */
export function threadNeighboursSql(key: UserKey, ids: readonly string[], before: number, after: number): Prisma.Sql {
  const side = (name: 'before' | 'after', count: number) => {
    const [compare, order] = name === 'before' ? ['<', 'DESC'] : ['>', 'ASC'];
    return Prisma.sql`
      SELECT a.id AS anchor, ${name}::text AS side, n.*
      FROM memories a CROSS JOIN LATERAL (
        SELECT ${memoryColumns('m')} FROM memories m
        WHERE ${userOf(key, 'm')} AND m.thread_id = a.thread_id AND m.deleted_at IS NULL
          AND (m.expires_at IS NULL OR m.expires_at > now())
          AND (m.occurred_at, m.created_at, m.id) ${Prisma.raw(compare)} (a.occurred_at, a.created_at, a.id)
        ORDER BY m.occurred_at ${Prisma.raw(order)}, m.created_at ${Prisma.raw(order)}, m.id ${Prisma.raw(order)}
        LIMIT ${count}) n
      WHERE ${userOf(key, 'a')} AND a.id = ANY(${ids}::uuid[]) AND a.thread_id IS NOT NULL`;
  };
  return Prisma.sql`${side('before', before)} UNION ALL ${side('after', after)}`;
}
