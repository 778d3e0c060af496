import { randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import type { UserKey } from './memorySql.js';
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

const STOPPED = 'The instance running this attempt stopped before finishing (its lease expired).';

const CLAIMABLE = Prisma.sql`((status = 'PENDING' AND (locked_until IS NULL OR locked_until < now()))
  OR (status = 'RUNNING' AND locked_until < now()))`;

/** How many of the oldest claimable jobs a claim tries, in order, before it gives up for this poll. */
const CANDIDATES = 8;

/**
 * The job runner's privileged claim across tenants: the oldest conversation that is PENDING (and
 * past its backoff) or RUNNING with an expired lease (its instance stopped). Claiming bumps
 * attempts, takes a new lease for `leaseMs` and records the stopped attempt among the failures;
 * a job whose last allowed attempt was the one that stopped ends FAILED instead.
 *
 * Two steps, so that it also runs on Citus (where a row lock across shards is not possible): the
 * oldest candidates are read, then each is claimed by an UPDATE of that one row that checks again
 * that it is claimable. Runners racing for a row queue on its lock, and all but the first find it
 * claimed and try their next candidate.
 */
export async function claimConversationJob(
  prisma: PrismaClient,
  leaseMs: number,
  maxAttempts: number,
): Promise<ClaimedJob | null> {
  const candidates = await prisma.$queryRaw<
    { tenantId: string; externalUserId: string; id: string; status: string; attempts: number; at: Date }[]
  >`
    SELECT tenant_id AS "tenantId", external_user_id AS "externalUserId", id, status, attempts, now() AS at FROM conversations
    WHERE ${CLAIMABLE} ORDER BY created_at LIMIT ${CANDIDATES}`;
  for (const { tenantId, externalUserId, id, status, attempts, at } of candidates) {
    // Decided here from the row as read, and written only if it is still so (Citus allows no
    // stable function such as now() inside CASE, so the update holds no decision of its own).
    const stopped = status === 'RUNNING';
    const giveUp = stopped && attempts >= maxAttempts;
    const failure = stopped ? [{ attempt: attempts, at: at.toISOString(), reason: STOPPED }] : [];
    const [claimed] = await prisma.$queryRaw<ClaimedJob[]>`
      UPDATE conversations SET
        status = ${giveUp ? 'FAILED' : 'RUNNING'},
        attempts = attempts + ${giveUp ? 0 : 1},
        lease_id = ${randomUUID()}::uuid,
        locked_until = ${giveUp ? null : new Date(at.getTime() + leaseMs)}::timestamptz,
        failures = failures || ${JSON.stringify(failure)}::jsonb,
        error = coalesce(${stopped ? STOPPED : null}::text, error),
        finished_at = ${giveUp ? at : null}::timestamptz
      WHERE tenant_id = ${tenantId}::uuid AND external_user_id = ${externalUserId} AND id = ${id}::uuid
        AND status = ${status} AND attempts = ${attempts} AND ${CLAIMABLE}
      RETURNING tenant_id AS "tenantId", id, external_user_id AS "externalUserId", lease_id AS "leaseId", status`;
    if (claimed) return claimed;
  }
  return null;
}

/** Extends a lease from now, if it is still this one's; false when another instance holds the job now. */
export async function renewLease(
  tx: ScopedTransaction,
  key: UserKey,
  jobId: string,
  leaseId: string,
  leaseMs: number,
): Promise<boolean> {
  const renewed = await tx.$executeRaw`
    UPDATE conversations SET locked_until = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND id = ${jobId}::uuid
      AND lease_id = ${leaseId}::uuid AND status = 'RUNNING'`;
  return renewed === 1;
}
