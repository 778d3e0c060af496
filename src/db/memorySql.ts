import { Prisma } from '../generated/prisma/client.js';
import type { MemoryFilter, MemoryRecord } from '../memory/model.js';
import type { ScopedTransaction } from './scope.js';

/**
 * The memory queries Prisma cannot express (pgvector, JSON containment, keyset tuples), as
 * tagged-template SQL: every value is a bound parameter, and every query names its scope's
 * tenant and end user explicitly (row-level security checks them again).
 */

export interface UserKey {
  tenantId: string;
  externalUserId: string;
}

const columns = Prisma.sql`id, external_user_id AS "externalUserId", content, metadata, tags,
  embedding_model AS "embeddingModel", created_at AS "createdAt", updated_at AS "updatedAt", expires_at AS "expiresAt"`;

const live = Prisma.sql`deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now())`;

export function vectorLiteral(vector: readonly number[]): string {
  return `[${vector.join(',')}]`;
}

function filterSql(filter: MemoryFilter = {}): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filter.tags?.length) parts.push(Prisma.sql`tags @> ${filter.tags}::text[]`);
  if (filter.anyTags?.length) parts.push(Prisma.sql`tags && ${filter.anyTags}::text[]`);
  if (filter.metadata) parts.push(Prisma.sql`metadata @> ${JSON.stringify(filter.metadata)}::jsonb`);
  if (filter.createdAfter) parts.push(Prisma.sql`created_at >= ${filter.createdAfter}::timestamptz`);
  if (filter.createdBefore) parts.push(Prisma.sql`created_at < ${filter.createdBefore}::timestamptz`);
  return parts.length ? Prisma.sql`AND ${Prisma.join(parts, ' AND ')}` : Prisma.empty;
}

export interface NewMemoryRow {
  id: string;
  content: string;
  contentHash: Uint8Array<ArrayBuffer>;
  metadata: Record<string, unknown>;
  tags: string[];
  embedding: readonly number[];
  embeddingModel: string;
  expiresAt: Date | null;
}

/** Inserts a memory; returns false (and writes nothing) when the user already has this exact content. */
export async function insertMemory(tx: ScopedTransaction, key: UserKey, row: NewMemoryRow): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO memories (tenant_id, id, external_user_id, content, content_hash, metadata, tags,
                          embedding, embedding_model, expires_at)
    VALUES (${key.tenantId}::uuid, ${row.id}::uuid, ${key.externalUserId}, ${row.content}, ${row.contentHash},
            ${JSON.stringify(row.metadata)}::jsonb, ${row.tags}::text[], ${vectorLiteral(row.embedding)}::vector,
            ${row.embeddingModel}, ${row.expiresAt}::timestamptz)
    ON CONFLICT (tenant_id, external_user_id, content_hash) WHERE deleted_at IS NULL DO NOTHING`;
  return inserted === 1;
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

export interface PageQuery {
  filter?: MemoryFilter;
  /** Keyset position (exclusive); rows come newest first, or oldest first when `backward`. */
  after?: { createdAt: Date; id: string };
  backward: boolean;
  take: number;
}

export async function listMemories(tx: ScopedTransaction, key: UserKey, page: PageQuery): Promise<MemoryRecord[]> {
  const position = page.after
    ? page.backward
      ? Prisma.sql`AND (created_at, id) > (${page.after.createdAt}::timestamptz, ${page.after.id}::uuid)`
      : Prisma.sql`AND (created_at, id) < (${page.after.createdAt}::timestamptz, ${page.after.id}::uuid)`
    : Prisma.empty;
  const order = page.backward ? Prisma.sql`created_at ASC, id ASC` : Prisma.sql`created_at DESC, id DESC`;
  return tx.$queryRaw<MemoryRecord[]>`
    SELECT ${columns} FROM memories
    WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND ${live}
      ${filterSql(page.filter)} ${position}
    ORDER BY ${order} LIMIT ${page.take}`;
}

export async function countMemories(tx: ScopedTransaction, key: UserKey, filter?: MemoryFilter): Promise<number> {
  const [row] = await tx.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM memories
    WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND ${live} ${filterSql(filter)}`;
  return row.count;
}

export interface CandidateQuery {
  limit: number;
  filter?: MemoryFilter;
}

export type Candidate = MemoryRecord & { score: number };

/**
 * Exact nearest neighbours by cosine distance inside one end user's live memories of one model
 * (and, defensively, of the query's dimension): the (tenant_id, external_user_id) index narrows
 * the rows, `<=>` orders them (recall 1.0). Score: cosine similarity.
 */
export async function semanticCandidates(
  tx: ScopedTransaction,
  key: UserKey,
  query: CandidateQuery & { embedding: readonly number[]; embeddingModel: string },
): Promise<Candidate[]> {
  const vector = vectorLiteral(query.embedding);
  return tx.$queryRaw<Candidate[]>`
    SELECT ${columns}, 1 - (embedding <=> ${vector}::vector) AS score FROM memories
    WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND ${live}
      AND embedding_model = ${query.embeddingModel} AND vector_dims(embedding) = ${query.embedding.length}
      ${filterSql(query.filter)}
    ORDER BY embedding <=> ${vector}::vector LIMIT ${query.limit}`;
}

/**
 * Full-text matches inside one end user's live memories: any of the query's words (stemmed,
 * stop words dropped), ranked by ts_rank scaled to 0-1. Independent of the embedding model.
 */
export async function keywordCandidates(tx: ScopedTransaction, key: UserKey, query: CandidateQuery & { text: string }): Promise<Candidate[]> {
  return tx.$queryRaw<Candidate[]>`
    WITH q AS (SELECT replace(plainto_tsquery('english', ${query.text})::text, ' & ', ' | ')::tsquery AS words)
    SELECT ${columns}, ts_rank(search_vector, q.words, 32) AS score FROM memories, q
    WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND ${live}
      AND search_vector @@ q.words ${filterSql(query.filter)}
    ORDER BY score DESC, created_at DESC LIMIT ${query.limit}`;
}

export interface EndUserStatsRow {
  externalUserId: string;
  memoryCount: number;
}

/** Live memory counts for many end users of one tenant in one query. */
export async function countMemoriesByUser(
  tx: ScopedTransaction,
  tenantId: string,
  externalUserIds: readonly string[],
): Promise<EndUserStatsRow[]> {
  return tx.$queryRaw<EndUserStatsRow[]>`
    SELECT external_user_id AS "externalUserId", count(*)::int AS "memoryCount" FROM memories
    WHERE tenant_id = ${tenantId}::uuid AND external_user_id = ANY(${externalUserIds}::text[]) AND ${live}
    GROUP BY external_user_id`;
}
