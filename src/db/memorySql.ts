import { Prisma } from '../generated/prisma/client.js';
import type { MemoryFilter, MemoryRecord } from '../memory/model.js';
import type { ScopedTransaction } from './scope.js';
import { VectorParameter, vectorLiteral } from './vectorParameter.js';

/**
 * The memory queries Prisma cannot express (pgvector, full-text search, JSON containment, keyset
 * tuples), as tagged-template SQL: every value is a bound parameter, and every query names its
 * scope's tenant and end user explicitly (row-level security checks them again). Reads are
 * built here and run by ScopedDatabase.read; writes run on a scoped transaction.
 */

export interface UserKey {
  tenantId: string;
  externalUserId: string;
}

const columns = Prisma.sql`id, external_user_id AS "externalUserId", content, metadata, tags,
  embedding_model AS "embeddingModel", created_at AS "createdAt", updated_at AS "updatedAt", expires_at AS "expiresAt"`;

const live = Prisma.sql`deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now())`;

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

export function listMemoriesSql(key: UserKey, page: PageQuery): Prisma.Sql {
  const position = page.after
    ? page.backward
      ? Prisma.sql`AND (created_at, id) > (${page.after.createdAt}::timestamptz, ${page.after.id}::uuid)`
      : Prisma.sql`AND (created_at, id) < (${page.after.createdAt}::timestamptz, ${page.after.id}::uuid)`
    : Prisma.empty;
  const order = page.backward ? Prisma.sql`created_at ASC, id ASC` : Prisma.sql`created_at DESC, id DESC`;
  return Prisma.sql`
    SELECT ${columns} FROM memories
    WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND ${live}
      ${filterSql(page.filter)} ${position}
    ORDER BY ${order} LIMIT ${page.take}`;
}

/** These memories of the user (ids must be UUIDs); retired ones too unless `liveOnly`. */
export function memoriesByIdSql(key: UserKey, ids: readonly string[], liveOnly: boolean): Prisma.Sql {
  return Prisma.sql`
    SELECT ${columns} FROM memories
    WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND id = ANY(${ids}::uuid[])
      ${liveOnly ? Prisma.sql`AND deleted_at IS NULL` : Prisma.empty}`;
}

/** Rows: [{ count }]. */
export function countMemoriesSql(key: UserKey, filter?: MemoryFilter): Prisma.Sql {
  return Prisma.sql`
    SELECT count(*)::int AS count FROM memories
    WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND ${live} ${filterSql(filter)}`;
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
export function semanticCandidatesSql(
  key: UserKey,
  query: CandidateQuery & { embedding: readonly number[]; embeddingModel: string; approximate?: boolean },
): Prisma.Sql {
  if (query.approximate) return approximateCandidatesSql(key, query);
  // The vector is sent once (it is the largest parameter by far) and named by the one-row q.
  return Prisma.sql`
    WITH q AS (SELECT ${new VectorParameter(query.embedding)}::vector AS v)
    SELECT ${columns}, 1 - (embedding <=> q.v) AS score FROM memories, q
    WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND ${live}
      AND embedding_model = ${query.embeddingModel} AND vector_dims(embedding) = ${query.embedding.length}
      ${filterSql(query.filter)}
    ORDER BY embedding <=> q.v LIMIT ${query.limit}`;
}

/**
 * The same search written so that the model's HNSW index (annIndex.ts) can serve it: ordered by
 * the index's expression. Run with a custom plan (see APPROXIMATE_SEARCH_SETTINGS), the planner
 * picks the HNSW index only where the end user's scope is large, and the exact (tenant, user)
 * index scan elsewhere. relaxed_order may return neighbours slightly out of order: re-sorted here.
 */
function approximateCandidatesSql(key: UserKey, query: CandidateQuery & { embedding: readonly number[]; embeddingModel: string }): Prisma.Sql {
  const cast = Prisma.raw(`vector(${Math.trunc(query.embedding.length)})`);
  // MATERIALIZED: otherwise PostgreSQL trusts the index's (relaxed) order and skips the final sort.
  return Prisma.sql`
    WITH nearest AS MATERIALIZED (
      SELECT ${columns}, (embedding::${cast}) <=> ${new VectorParameter(query.embedding)}::${cast} AS distance FROM memories
      WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND ${live}
        AND embedding_model = ${query.embeddingModel} ${filterSql(query.filter)}
      ORDER BY distance LIMIT ${query.limit})
    SELECT id, "externalUserId", content, metadata, tags, "embeddingModel", "createdAt", "updatedAt", "expiresAt",
           1 - distance AS score
    FROM nearest ORDER BY distance`;
}

/** Transaction settings for approximateCandidatesSql (hnsw.ef_search: see docs/scaling.md). */
export const APPROXIMATE_SEARCH_SETTINGS = {
  plan_cache_mode: 'force_custom_plan',
  'hnsw.iterative_scan': 'relaxed_order',
  'hnsw.ef_search': '100',
} as const;

/**
 * Full-text matches inside one end user's live memories: any of the query's words (stemmed,
 * stop words dropped), ranked by ts_rank scaled to 0-1. Independent of the embedding model.
 */
export function keywordCandidatesSql(key: UserKey, query: CandidateQuery & { text: string }): Prisma.Sql {
  return Prisma.sql`
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
export function countMemoriesByUserSql(tenantId: string, externalUserIds: readonly string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT external_user_id AS "externalUserId", count(*)::int AS "memoryCount" FROM memories
    WHERE tenant_id = ${tenantId}::uuid AND external_user_id = ANY(${externalUserIds}::text[]) AND ${live}
    GROUP BY external_user_id`;
}
