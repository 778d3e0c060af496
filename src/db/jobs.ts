import type { PrismaClient } from '../generated/prisma/client.js';

export interface ClaimedJob {
  tenantId: string;
  id: string;
  externalUserId: string;
}

/**
 * The job runner's privileged claim across tenants: the oldest conversation that is PENDING (and
 * past its backoff) or RUNNING with an expired lock (its process died). Claiming bumps attempts
 * and locks it for `lockMs`; SKIP LOCKED lets several runners share the queue.
 */
export async function claimConversationJob(prisma: PrismaClient, lockMs: number): Promise<ClaimedJob | null> {
  const rows = await prisma.$queryRaw<ClaimedJob[]>`
    UPDATE conversations c SET status = 'RUNNING', attempts = c.attempts + 1,
           locked_until = now() + make_interval(secs => ${lockMs / 1000})
    WHERE (c.tenant_id, c.id) = (
      SELECT tenant_id, id FROM conversations
      WHERE (status = 'PENDING' AND (locked_until IS NULL OR locked_until < now()))
         OR (status = 'RUNNING' AND locked_until < now())
      ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING c.tenant_id AS "tenantId", c.id, c.external_user_id AS "externalUserId"`;
  return rows[0] ?? null;
}
