import { Prisma } from '../generated/prisma/client.js';
import type { MemoryFilter, MemoryRecord } from '../model.js';
import { eventColumns, memoryColumns, memoryFields, storedColumns } from './memoryColumns.js';
import { entityMatchesCtes } from './entitySql.js';
import { bm25Ctes } from './keywordSql.js';
import { filterSql, live, scopeOf, type UserKey } from './scopeSql.js';
import { userOf } from './threadSql.js';
import { VectorParameter } from './vectorParameter.js';

/**
 * The memory queries Prisma cannot express (pgvector, full-text search, JSON containment, keyset
 * tuples), as tagged-template SQL: every value is a bound parameter, and every query names its
 * scope's tenant and end user explicitly (row-level security checks them again). Reads are
 * built here and run by ScopedDatabase.read; writes are in memoryWriteSql.ts.
 */

export { live, type UserKey } from './scopeSql.js';

/** Which memories a listing holds: the live ones, or the deleted ones (which restoreMemory can bring back). */
const stateOf = (deleted: boolean | undefined) => (deleted ? Prisma.sql`deleted_at IS NOT NULL` : live);

export interface PageQuery {
  filter?: MemoryFilter;
  /** Keyset position (exclusive); rows come newest first, or oldest first when `backward`. */
  after?: { createdAt: Date; id: string };
  backward: boolean;
  take: number;
  deleted?: boolean;
}

export function listMemoriesSql(key: UserKey, page: PageQuery): Prisma.Sql {
  const position = page.after
    ? page.backward
      ? Prisma.sql`AND (created_at, id) > (${page.after.createdAt}::timestamptz, ${page.after.id}::uuid)`
      : Prisma.sql`AND (created_at, id) < (${page.after.createdAt}::timestamptz, ${page.after.id}::uuid)`
    : Prisma.empty;
  const order = page.backward ? Prisma.sql`created_at ASC, id ASC` : Prisma.sql`created_at DESC, id DESC`;
  return Prisma.sql`
    SELECT ${storedColumns()} FROM memories
    WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND ${stateOf(page.deleted)}
      ${filterSql(page.filter)} ${position}
    ORDER BY ${order} LIMIT ${page.take}`;
}

/**
 * The user's memories as they were at `asOf`, from their history: those stored by then, not
 * expired then, whose last change by then was not a deletion, each with its text then
 * (`contentThen`) and when that text was written (`changedThen`) — the history keeps texts, so
 * tags and metadata are today's. A page (newest first, as listMemoriesSql), or one memory by `id`.
 */
export function memoriesAsOfSql(key: UserKey, asOf: Date, page: PageQuery | { id: string }): Prisma.Sql {
  const at = Prisma.sql`${asOf}::timestamptz`;
  const narrowed =
    'id' in page
      ? Prisma.sql`AND m.id = ${page.id}::uuid`
      : Prisma.sql`${filterSql(page.filter)} ${
          page.after
            ? page.backward
              ? Prisma.sql`AND (m.created_at, m.id) > (${page.after.createdAt}::timestamptz, ${page.after.id}::uuid)`
              : Prisma.sql`AND (m.created_at, m.id) < (${page.after.createdAt}::timestamptz, ${page.after.id}::uuid)`
            : Prisma.empty
        }`;
  const order =
    'id' in page
      ? Prisma.empty
      : page.backward
        ? Prisma.sql`ORDER BY m.created_at ASC, m.id ASC LIMIT ${page.take}`
        : Prisma.sql`ORDER BY m.created_at DESC, m.id DESC LIMIT ${page.take}`;
  return Prisma.sql`
    SELECT ${storedColumns('m')}, last.new_content AS "contentThen", last.changed_at AS "changedThen"
    FROM memories m
    CROSS JOIN LATERAL (
      SELECT ev.kind, ev.new_content, ev.created_at AS changed_at FROM memory_events ev
      WHERE ev.tenant_id = ${key.tenantId}::uuid AND ev.external_user_id = ${key.externalUserId} AND ev.memory_id = m.id
        AND ev.created_at <= ${at}
      ORDER BY ev.created_at DESC, ev.id DESC LIMIT 1) last
    WHERE m.tenant_id = ${key.tenantId}::uuid AND m.external_user_id = ${key.externalUserId}
      AND m.created_at <= ${at} AND (m.expires_at IS NULL OR m.expires_at > ${at}) AND last.kind <> 'DELETED'
      ${narrowed}
    ${order}`;
}

/** Rows: [{ count }] of memoriesAsOfSql's memories (all pages). */
export function countMemoriesAsOfSql(key: UserKey, asOf: Date, filter?: MemoryFilter): Prisma.Sql {
  return Prisma.sql`SELECT count(*)::int AS count FROM (${memoriesAsOfSql(key, asOf, { filter, backward: false, take: 2_147_483_647 })}) listed`;
}

/** These memories of the user (ids must be UUIDs); retired ones too unless `liveOnly`. */
export function memoriesByIdSql(key: UserKey, ids: readonly string[], liveOnly: boolean): Prisma.Sql {
  return Prisma.sql`
    SELECT ${storedColumns()} FROM memories
    WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND id = ANY(${ids}::uuid[])
      ${liveOnly ? Prisma.sql`AND deleted_at IS NULL` : Prisma.empty}`;
}

/** The history of these memories of the user (ids must be UUIDs), oldest first. */
export function historySql(key: UserKey, memoryIds: readonly string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT ${eventColumns} FROM memory_events
    WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND memory_id = ANY(${memoryIds}::uuid[])
    ORDER BY created_at, id`;
}

/** One memory of the user (id must be a UUID), retired or not, with when it was retired. */
export function storedMemorySql(key: UserKey, id: string): Prisma.Sql {
  return Prisma.sql`
    SELECT ${storedColumns()} FROM memories
    WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND id = ${id}::uuid`;
}

/** Rows: [{ count }]. */
export function countMemoriesSql(key: UserKey, filter?: MemoryFilter, deleted?: boolean): Prisma.Sql {
  return Prisma.sql`
    SELECT count(*)::int AS count FROM memories
    WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND ${stateOf(deleted)} ${filterSql(filter)}`;
}

export interface CandidateQuery {
  limit: number;
  filter?: MemoryFilter;
}

export interface VectorQuery {
  embedding: readonly number[];
  embeddingModel: string;
  /** An HNSW index serves this model (annIndex.ts): let the planner use it for large scopes. */
  approximate?: boolean;
}

/** A candidate with the scores of the rankings that were consulted (null or absent: not consulted, or no match). */
export type Candidate = MemoryRecord & {
  semanticScore: number | null;
  keywordScore: number | null;
  entityScore?: number | null;
  /** HYBRID: the candidate this one replies to in its thread, when that one asks a question (see hybridCandidatesSql). */
  questionId?: string | null;
};

/**
 * The nearest neighbours by cosine distance inside one end user's live memories of one model
 * (and, defensively, of the query's dimension), as a CTE body over `q(v)`: `(id, distance)`.
 * Exact: the (tenant_id, external_user_id) index narrows the rows, `<=>` orders them (recall
 * 1.0). Approximate: ordered by the HNSW index's expression, so that, run with a custom plan (see
 * APPROXIMATE_SEARCH_SETTINGS), the planner takes the index where the scope is large and the
 * exact scan elsewhere; relaxed_order may return neighbours slightly out of order, so the caller
 * sorts again (and MATERIALIZED stops PostgreSQL from trusting the index's order).
 */
function nearestSql(key: UserKey, query: CandidateQuery & VectorQuery): Prisma.Sql {
  const model = Prisma.sql`embedding_model = ${query.embeddingModel}`;
  if (!query.approximate) {
    return Prisma.sql`
      SELECT id, embedding <=> (SELECT v FROM q) AS distance FROM memories
      WHERE ${scopeOf(key)} AND ${live} AND ${model} AND vector_dims(embedding) = ${query.embedding.length} ${filterSql(query.filter)}
      ORDER BY embedding <=> (SELECT v FROM q) LIMIT ${query.limit}`;
  }
  const cast = Prisma.raw(`vector(${Math.trunc(query.embedding.length)})`);
  return Prisma.sql`
    SELECT id, (embedding::${cast}) <=> (SELECT v FROM q)::${cast} AS distance FROM memories
    WHERE ${scopeOf(key)} AND ${live} AND ${model} ${filterSql(query.filter)}
    ORDER BY distance LIMIT ${query.limit}`;
}

const queryVector = (query: VectorQuery) =>
  Prisma.sql`q AS (SELECT ${new VectorParameter(query.embedding)}::vector AS v)`;

/** Semantic candidates: the nearest neighbours, best first; the score is cosine similarity. */
export function semanticCandidatesSql(key: UserKey, query: CandidateQuery & VectorQuery): Prisma.Sql {
  if (!query.approximate) {
    // One scan that returns the rows it ranks (the common case, kept as lean as it can be).
    return Prisma.sql`
      WITH ${queryVector(query)}
      SELECT ${memoryColumns('m')}, 1 - (embedding <=> q.v) AS "semanticScore", NULL::float8 AS "keywordScore" FROM memories m, q
      WHERE ${scopeOf(key)} AND ${live} AND embedding_model = ${query.embeddingModel}
        AND vector_dims(embedding) = ${query.embedding.length} ${filterSql(query.filter)}
      ORDER BY embedding <=> q.v LIMIT ${query.limit}`;
  }
  // The neighbours with their columns in one CTE (MATERIALIZED: see nearestSql), sorted again.
  const cast = Prisma.raw(`vector(${Math.trunc(query.embedding.length)})`);
  return Prisma.sql`
    WITH nearest AS MATERIALIZED (
      SELECT ${memoryColumns()}, (embedding::${cast}) <=> ${new VectorParameter(query.embedding)}::${cast} AS distance FROM memories
      WHERE ${scopeOf(key)} AND ${live} AND embedding_model = ${query.embeddingModel} ${filterSql(query.filter)}
      ORDER BY distance LIMIT ${query.limit})
    SELECT ${memoryFields}, 1 - distance AS "semanticScore", NULL::float8 AS "keywordScore"
    FROM nearest ORDER BY distance`;
}

/**
 * Hybrid candidates: the `limit` nearest neighbours, the `limit` best BM25 matches and the `limit`
 * memories best linked to an entity the query names (`entityKeys`, see entitySql.ts), each with
 * every score — the cosine similarity of every candidate of the active model (null for a memory
 * embedded by another), the BM25 score of every candidate sharing a word with the query and the
 * entity score of every one linked to a named entity (null otherwise) — for ranking.ts to fuse.
 * A candidate that asks a question in a thread (it ends with "?") also brings in the reply to it,
 * the next live memory of the thread, with the question's id (`questionId`): in a chat the answer
 * is often the reply ("Fixed. 2,300 pounds later."), which shares nothing with the query but its
 * question does. One statement, one round trip.
 */
export function hybridCandidatesSql(
  key: UserKey,
  query: CandidateQuery & VectorQuery & { text: string; entityKeys: readonly string[] },
): Prisma.Sql {
  const entities = query.entityKeys.length > 0;
  return Prisma.sql`
    WITH ${queryVector(query)}, ${bm25Ctes(key, query.text, query.filter)},
    ${entities ? Prisma.sql`${entityMatchesCtes(key, query.entityKeys, query.filter)},` : Prisma.empty}
    nearest AS MATERIALIZED (${nearestSql(key, query)}),
    found AS MATERIALIZED (
      SELECT id FROM nearest
      UNION SELECT id FROM (SELECT id FROM bm25 ORDER BY score DESC, raw DESC LIMIT ${query.limit}) best
      ${entities ? Prisma.sql`UNION SELECT id FROM (SELECT id FROM entity_matches ORDER BY score DESC LIMIT ${query.limit}) linked` : Prisma.empty}),
    ${repliesCte(key, query.filter)},
    candidates AS (SELECT id FROM found UNION SELECT id FROM replies)
    SELECT ${memoryColumns('m')},
      CASE WHEN m.embedding_model = ${query.embeddingModel} AND vector_dims(m.embedding) = ${query.embedding.length}
           THEN 1 - (m.embedding <=> (SELECT v FROM q)) END AS "semanticScore",
      bm25.score AS "keywordScore", ${entities ? Prisma.sql`entity_matches.score` : Prisma.sql`NULL::float8`} AS "entityScore",
      replies.question_id AS "questionId"
    FROM candidates
    JOIN memories m ON m.tenant_id = ${key.tenantId}::uuid AND m.external_user_id = ${key.externalUserId} AND m.id = candidates.id
    LEFT JOIN bm25 ON bm25.id = candidates.id
    LEFT JOIN replies ON replies.id = candidates.id
    ${entities ? Prisma.sql`LEFT JOIN entity_matches ON entity_matches.id = candidates.id` : Prisma.empty}`;
}

/**
 * `replies (id, question_id)`: for each memory of `found` that asks a question in a thread, the
 * memory that follows it there (the next live one, in thread order: see threadSql.ts), if it
 * passes the filter.
 */
function repliesCte(key: UserKey, filter?: MemoryFilter): Prisma.Sql {
  return Prisma.sql`replies AS MATERIALIZED (
      SELECT id, question_id FROM (
        SELECT r.*, a.id AS question_id
        FROM memories a CROSS JOIN LATERAL (
          SELECT m.id, m.tags, m.metadata, m.created_at, m.occurred_at, m.thread_id FROM memories m
          WHERE ${userOf(key, 'm')} AND m.thread_id = a.thread_id AND ${live}
            AND (m.occurred_at, m.created_at, m.id) > (a.occurred_at, a.created_at, a.id)
          ORDER BY m.occurred_at, m.created_at, m.id LIMIT 1) r
        WHERE ${userOf(key, 'a')} AND a.id IN (SELECT id FROM found) AND a.thread_id IS NOT NULL
          AND a.content ~ '[?][[:space:]]*$') next
      WHERE true ${filterSql(filter)})`;
}

/**
 * The memories of a span of time a question named (see memory/timeWindow.ts) that the other
 * rankings may have missed: those that occurred in [from, to), closest in meaning first when a
 * vector is given (newest first otherwise), with their cosine; ranking.ts weighs them in.
 */
export function windowCandidatesSql(
  key: UserKey,
  query: CandidateQuery & { window: { from: Date; to: Date }; vector?: VectorQuery },
): Prisma.Sql {
  const { window, vector } = query;
  const inWindow = Prisma.sql`${scopeOf(key)} AND ${live} AND occurred_at >= ${window.from}::timestamptz
    AND occurred_at < ${window.to}::timestamptz ${filterSql(query.filter)}`;
  if (!vector) {
    return Prisma.sql`
      SELECT ${memoryColumns('m')}, NULL::float8 AS "semanticScore", NULL::float8 AS "keywordScore" FROM memories m
      WHERE ${inWindow} ORDER BY occurred_at DESC LIMIT ${query.limit}`;
  }
  const comparable = Prisma.sql`m.embedding_model = ${vector.embeddingModel} AND vector_dims(m.embedding) = ${vector.embedding.length}`;
  return Prisma.sql`
    WITH ${queryVector(vector)}
    SELECT ${memoryColumns('m')}, CASE WHEN ${comparable} THEN 1 - (m.embedding <=> q.v) END AS "semanticScore",
      NULL::float8 AS "keywordScore"
    FROM memories m, q
    WHERE ${inWindow}
    ORDER BY CASE WHEN ${comparable} THEN m.embedding <=> q.v END NULLS LAST, occurred_at DESC LIMIT ${query.limit}`;
}

/** Transaction settings for approximate candidates (hnsw.ef_search: see docs/scaling.md). */
export const APPROXIMATE_SEARCH_SETTINGS = {
  plan_cache_mode: 'force_custom_plan',
  'hnsw.iterative_scan': 'relaxed_order',
  'hnsw.ef_search': '100',
} as const;
