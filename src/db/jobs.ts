import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { ScopedTransaction } from './scope.js';

export interface ClaimedJob {
  tenantId: string;
  id: string;
  externalUserId: string;
  /** Names this claim: only its holder may finish or fail the job. */
  leaseId: string;
  /** FAILED: the job had crashed its instances too often, and was given up instead of run again. */
  status: 'RUNNING' | 'FAILED';
}

/**
 * The job runner's privileged claim across tenants: the oldest conversation that is PENDING (and
 * past its backoff) or RUNNING with an expired lease (its instance stopped). Claiming bumps
 * attempts, takes a new lease for `leaseMs` and records the stopped attempt among the failures;
 * a job whose last allowed attempt was the one that stopped ends FAILED instead. SKIP LOCKED lets
 * several runners share the queue.
 */
export async function claimConversationJob(prisma: PrismaClient, leaseMs: number, maxAttempts: number): Promise<ClaimedJob | null> {
  const stopped = 'The instance running this attempt stopped before finishing (its lease expired).';
  const rows = await prisma.$queryRaw<ClaimedJob[]>`
    WITH next AS (
      SELECT tenant_id, id, status = 'RUNNING' AS stopped, attempts >= ${maxAttempts} AND status = 'RUNNING' AS give_up
      FROM conversations
      WHERE (status = 'PENDING' AND (locked_until IS NULL OR locked_until < now()))
         OR (status = 'RUNNING' AND locked_until < now())
      ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
    UPDATE conversations c SET
      status = CASE WHEN next.give_up THEN 'FAILED' ELSE 'RUNNING' END,
      attempts = CASE WHEN next.give_up THEN c.attempts ELSE c.attempts + 1 END,
      lease_id = ${randomUUID()}::uuid,
      locked_until = CASE WHEN next.give_up THEN NULL ELSE now() + make_interval(secs => ${leaseMs / 1000}) END,
      failures = CASE WHEN next.stopped
        THEN c.failures || jsonb_build_array(jsonb_build_object('attempt', c.attempts, 'at', now(), 'reason', ${stopped}::text))
        ELSE c.failures END,
      error = CASE WHEN next.stopped THEN ${stopped}::text ELSE c.error END,
      finished_at = CASE WHEN next.give_up THEN now() ELSE NULL END
    FROM next
    WHERE (c.tenant_id, c.id) = (next.tenant_id, next.id)
    RETURNING c.tenant_id AS "tenantId", c.id, c.external_user_id AS "externalUserId", c.lease_id AS "leaseId", c.status`;
  return rows[0] ?? null;
}

/** Extends a lease from now, if it is still this one's; false when another instance holds the job now. */
export async function renewLease(tx: ScopedTransaction, jobId: string, leaseId: string, leaseMs: number): Promise<boolean> {
  const renewed = await tx.$executeRaw`
    UPDATE conversations SET locked_until = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE id = ${jobId}::uuid AND lease_id = ${leaseId}::uuid AND status = 'RUNNING'`;
  return renewed === 1;
}
