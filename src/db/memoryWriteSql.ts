import { Prisma } from '../generated/prisma/client.js';
import type { MemoryRecord } from '../model.js';
import { storedMemorySql, type UserKey } from './memorySql.js';
import type { ScopedTransaction } from './scope.js';
import { vectorLiteral } from './vectorParameter.js';

/**
 * The memory writes Prisma cannot express (vectors, bulk inserts that skip known content, row
 * locks), run on a scoped transaction. Like the reads, each names its tenant and end user.
 */

export interface NewMemoryRow {
  id: string;
  content: string;
  contentHash: Uint8Array<ArrayBuffer>;
  metadata: Record<string, unknown>;
  tags: string[];
  embedding: readonly number[];
  embeddingModel: string;
  expiresAt: Date | null;
  /** null: when it is stored. */
  occurredAt: Date | null;
}

/**
 * Inserts memories in one statement (rows travel as one JSON document); returns the ids of those
 * inserted. A row whose content the user already has live is skipped, not written.
 */
export async function insertMemories(
  tx: ScopedTransaction,
  key: UserKey,
  rows: readonly NewMemoryRow[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await tx.$queryRaw<{ id: string }[]>`${insertMemoriesSql(key, rows)} RETURNING id`;
  return new Set(inserted.map((row) => row.id));
}

/** The insert (rows travel as one JSON document), of the rows only if `when` holds; skips content the user has live. */
export function insertMemoriesSql(key: UserKey, rows: readonly NewMemoryRow[], when = Prisma.sql`true`): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO memories (tenant_id, id, external_user_id, content, content_hash, metadata, tags,
                          embedding, embedding_model, expires_at, occurred_at)
    SELECT ${key.tenantId}::uuid, r.id, ${key.externalUserId}, r.content, decode(r.content_hash, 'hex'), r.metadata,
           ARRAY(SELECT jsonb_array_elements_text(r.tags)), r.embedding::vector, r.embedding_model, r.expires_at,
           coalesce(r.occurred_at, now())
    FROM jsonb_to_recordset(${memoriesDocument(rows)}::jsonb) AS r(id uuid, content text, content_hash text, metadata jsonb, tags jsonb,
                                                  embedding text, embedding_model text, expires_at timestamptz, occurred_at timestamptz)
    WHERE ${when}
    ON CONFLICT (tenant_id, external_user_id, content_hash) WHERE deleted_at IS NULL DO NOTHING`;
}

/** New rows as one JSON document, for jsonb_to_recordset. */
function memoriesDocument(rows: readonly NewMemoryRow[]): string {
  return JSON.stringify(
    rows.map((row) => ({
      id: row.id,
      content: row.content,
      content_hash: Buffer.from(row.contentHash).toString('hex'),
      metadata: row.metadata,
      tags: row.tags,
      embedding: vectorLiteral(row.embedding),
      embedding_model: row.embeddingModel,
      expires_at: row.expiresAt,
      occurred_at: row.occurredAt,
    })),
  );
}

export async function setEmbedding(
  tx: ScopedTransaction,
  key: UserKey,
  id: string,
  embedding: readonly number[],
  embeddingModel: string,
): Promise<void> {
  await tx.$executeRaw`
    UPDATE memories SET embedding = ${vectorLiteral(embedding)}::vector, embedding_model = ${embeddingModel}
    WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND id = ${id}::uuid`;
}

/** A memory as a write sees it: retired ones too. */
export type StoredMemory = MemoryRecord & { deletedAt: Date | null };

/** Reads one memory of the user and locks it until the transaction ends; null when there is none. */
export async function lockMemory(tx: ScopedTransaction, key: UserKey, id: string): Promise<StoredMemory | null> {
  const [row] = await tx.$queryRaw<StoredMemory[]>`${storedMemorySql(key, id)} FOR UPDATE`;
  return row ?? null;
}
