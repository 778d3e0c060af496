import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { recordEntitiesSql, type EntityMention } from './entitySql.js';

/**
 * Privileged maintenance: the entities of memories stored before Memgate read them at ingest (or
 * by an older extractor), for one tenant or all. Memories that name no entity yet are read again in
 * small batches, each its own short transaction, so a new run resumes where an interrupted one
 * stopped. (The link to what the turn before named is not made here: that needs the thread's order
 * at the time of the add.)
 */

export interface EntityBackfillSummary {
  /** Memories read again. */
  read: number;
  /** Of them, the memories that now name at least one entity. */
  linked: number;
}

interface Pending {
  tenantId: string;
  externalUserId: string;
  id: string;
  content: string;
}

export async function backfillEntities(
  prisma: PrismaClient,
  extract: (content: string) => EntityMention[],
  options: {
    tenantId?: string;
    batchSize?: number;
    onProgress?: (progress: { done: number; total: number }) => void;
  } = {},
): Promise<EntityBackfillSummary> {
  const tenant = options.tenantId ?? null;
  const unlinked = Prisma.sql`(${tenant}::uuid IS NULL OR tenant_id = ${tenant}::uuid)
    AND NOT EXISTS (SELECT 1 FROM memory_entities l
                    WHERE l.tenant_id = m.tenant_id AND l.external_user_id = m.external_user_id AND l.memory_id = m.id)`;
  const [{ total }] = await prisma.$queryRaw<
    { total: number }[]
  >`SELECT count(*)::int AS total FROM memories m WHERE ${unlinked}`;
  const summary: EntityBackfillSummary = { read: 0, linked: 0 };
  let after = { tenantId: '00000000-0000-0000-0000-000000000000', id: '00000000-0000-0000-0000-000000000000' };
  for (;;) {
    const batch = await prisma.$queryRaw<Pending[]>`
      SELECT tenant_id AS "tenantId", external_user_id AS "externalUserId", id, content FROM memories m
      WHERE ${unlinked} AND (tenant_id, id) > (${after.tenantId}::uuid, ${after.id}::uuid)
      ORDER BY tenant_id, id LIMIT ${options.batchSize ?? 200}`;
    if (batch.length === 0) break;
    await prisma.$transaction(async (tx) => {
      for (const row of batch) {
        const statements = recordEntitiesSql(row, [{ id: row.id, entities: extract(row.content) }]);
        for (const sql of statements) await tx.$executeRaw(sql);
        if (statements.length > 0) summary.linked++;
      }
    });
    summary.read += batch.length;
    options.onProgress?.({ done: summary.read, total });
    after = batch.at(-1)!;
  }
  return summary;
}
