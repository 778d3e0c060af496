import type { Embedder } from '../embeddings/embedder.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { reembedSql } from './memoryStore.js';

/**
 * Privileged maintenance: gives every memory (live or retired) of one tenant, or of all, a
 * vector from the active model. Work goes in small batches, each its own short transaction, so
 * reads and writes carry on meanwhile; what is done stays done, so a new run resumes where an
 * interrupted one stopped. Until a memory is re-embedded, semantic search skips it (its vector
 * belongs to another model) while keyword search still finds it.
 */

export interface ReembedProgress {
  /** Memories looked at so far, of `total` that needed a new vector when the run began. */
  done: number;
  total: number;
}

export interface ReembedSummary {
  model: string;
  reembedded: number;
  /** Changed by someone else during the run (and so already embedded by the writer). */
  skipped: number;
}

interface Pending {
  tenantId: string;
  id: string;
  content: string;
  contentHash: Uint8Array<ArrayBuffer>;
}

export async function reembedMemories(
  prisma: PrismaClient,
  embedder: Embedder,
  options: { tenantId?: string; batchSize?: number; onProgress?: (progress: ReembedProgress) => void } = {},
): Promise<ReembedSummary> {
  const model = embedder.modelId;
  const tenant = options.tenantId ?? null;
  const batchSize = options.batchSize ?? 64;
  const [{ total }] = await prisma.$queryRaw<{ total: number }[]>`
    SELECT count(*)::int AS total FROM memories
    WHERE embedding_model <> ${model} AND (${tenant}::uuid IS NULL OR tenant_id = ${tenant}::uuid)`;
  const summary: ReembedSummary = { model, reembedded: 0, skipped: 0 };
  let after = { tenantId: '00000000-0000-0000-0000-000000000000', id: '00000000-0000-0000-0000-000000000000' };
  for (;;) {
    const batch = await prisma.$queryRaw<Pending[]>`
      SELECT tenant_id AS "tenantId", id, content, content_hash AS "contentHash" FROM memories
      WHERE embedding_model <> ${model} AND (${tenant}::uuid IS NULL OR tenant_id = ${tenant}::uuid)
        AND (tenant_id, id) > (${after.tenantId}::uuid, ${after.id}::uuid)
      ORDER BY tenant_id, id LIMIT ${batchSize}`;
    if (batch.length === 0) break;
    const vectors = await embedder.embed(batch.map((row) => row.content));
    const updated = await prisma.$transaction(
      batch.map((row, i) => prisma.$executeRaw(reembedSql(row, vectors[i], model))),
    );
    const count = updated.reduce((sum, n) => sum + n, 0);
    summary.reembedded += count;
    summary.skipped += batch.length - count;
    after = batch.at(-1)!;
    options.onProgress?.({ done: Math.min(total, summary.reembedded + summary.skipped), total });
  }
  return summary;
}
