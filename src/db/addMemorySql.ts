import { createHash, randomUUID } from 'node:crypto';
import { Prisma } from '../generated/prisma/client.js';
import type { ChangeActor, MemoryRecord } from '../model.js';
import { memoryColumns } from './memoryColumns.js';
import { recordEntitiesSql, type EntityMention } from './entitySql.js';
import { recordRelationsSql, type NewRelation } from './relationSql.js';
import { recordWordsSql } from './memoryWordsSql.js';
import { scopeOf } from './scopeSql.js';
import { historySql, type UserKey } from './memorySql.js';
import { vectorLiteral } from './vectorParameter.js';
import { userOf } from './threadSql.js';
import { memoryEventsOutboxSql, type OutboxEndpoint } from './webhookSql.js';

/**
 * The context words of a memory in a thread: those of the start of the memory before it, weighted A
 * (keyword search counts them at half). Only the start: the words share the covering index's row
 * with the memory's own, and a btree row holds at most 2,704 bytes.
 */
export const CONTEXT_CHARACTERS = 200;
const contextWords = (text: Prisma.Sql) =>
  Prisma.sql`setweight(memgate_search_vector(left(${text}, ${Prisma.raw(String(CONTEXT_CHARACTERS))})), 'A')`;

/** A memory to store (its content hash is the store's to compute). */
export interface NewMemoryRow {
  id: string;
  content: string;
  metadata: Record<string, unknown>;
  tags: string[];
  embedding: readonly number[];
  embeddingModel: string;
  expiresAt: Date | null;
  /** null: when it is stored. */
  occurredAt: Date | null;
  threadId: string | null;
  /**
   * The text of the memory before it in its thread, when that one is stored by the same request;
   * null to take the latest stored memory of the thread (see threadContextSql).
   */
  context: string | null;
  /** The entities its content names (see entitySql.ts). */
  entities: readonly EntityMention[];
}

/** How content is recognised as the same: the unique index on live memories is on this. */
export function contentHash(content: string): Buffer {
  return createHash('sha256').update(content).digest();
}

const contentHashHex = (content: string) => contentHash(content).toString('hex');

/**
 * The insert of new memories (rows travel as one JSON document), of the rows only if `when` holds;
 * a row whose content the user already has live is skipped. The rows are joined to the end user's
 * own (every add writes it first): Citus then runs the whole statement on the user's shard, where
 * from the document alone it would build the rows on the coordinator and copy them over (twice
 * the CPU of the rest of an add).
 */
export function insertMemoriesSql(key: UserKey, rows: readonly NewMemoryRow[], when = Prisma.sql`true`): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO memories (tenant_id, id, external_user_id, content, content_hash, metadata, tags,
                          embedding, embedding_model, expires_at, occurred_at, thread_id, context_vector)
    SELECT u.tenant_id, r.id, u.external_user_id, r.content, decode(r.content_hash, 'hex'), r.metadata,
           ARRAY(SELECT jsonb_array_elements_text(r.tags)), r.embedding::vector, r.embedding_model, r.expires_at,
           coalesce(r.occurred_at, now()), r.thread_id, ${contextWords(Prisma.sql`r.context`)}
    FROM end_users u,
         jsonb_to_recordset(${memoriesDocument(rows)}::jsonb) AS r(id uuid, content text, content_hash text, metadata jsonb, tags jsonb,
                                                  embedding text, embedding_model text, expires_at timestamptz, occurred_at timestamptz,
                                                  thread_id text, context text)
    WHERE ${userOf(key, 'u')} AND ${when}
    ON CONFLICT (tenant_id, external_user_id, content_hash) WHERE deleted_at IS NULL DO NOTHING`;
}

/** New rows as one JSON document, for jsonb_to_recordset. */
function memoriesDocument(rows: readonly NewMemoryRow[]): string {
  return JSON.stringify(
    rows.map((row) => ({
      id: row.id,
      content: row.content,
      content_hash: contentHashHex(row.content),
      metadata: row.metadata,
      tags: row.tags,
      embedding: vectorLiteral(row.embedding),
      embedding_model: row.embeddingModel,
      expires_at: row.expiresAt,
      occurred_at: row.occurredAt,
      thread_id: row.threadId,
      context: row.context,
    })),
  );
}

/**
 * Sets the context words of these new memories, whose predecessor in their thread an earlier
 * request stored: the latest live memory of the thread that occurred no later and was created before.
 */
export function threadContextSql(key: UserKey, ids: readonly string[]): Prisma.Sql {
  return Prisma.sql`
    UPDATE memories m SET context_vector = (
      SELECT ${contextWords(Prisma.sql`p.content`)} FROM memories p
      WHERE ${userOf(key, 'p')} AND p.thread_id = m.thread_id AND p.deleted_at IS NULL
        AND p.occurred_at <= m.occurred_at AND p.created_at < m.created_at
      ORDER BY p.occurred_at DESC, p.created_at DESC, p.id DESC LIMIT 1)
    WHERE ${userOf(key, 'm')} AND m.id = ANY(${ids}::uuid[]) AND m.thread_id IS NOT NULL`;
}

/** The end user's row: created with their first write, its last activity moved by every one. */
export function touchEndUserSql(
  key: UserKey,
  at: Date,
  onConflict = Prisma.sql`DO UPDATE SET last_activity_at = EXCLUDED.last_activity_at`,
) {
  return Prisma.sql`
    INSERT INTO end_users (tenant_id, external_user_id, created_at, last_activity_at)
    VALUES (${key.tenantId}::uuid, ${key.externalUserId}, ${at}::timestamptz, ${at}::timestamptz)
    ON CONFLICT (tenant_id, external_user_id) ${onConflict}`;
}

/**
 * An add as statements that run in one transaction sent in one round trip (ScopedDatabase.write):
 * no statement waits for the answer of another, so each decides from what the earlier ones left in
 * the database. The idempotency key is claimed first; every later write happens only if this
 * transaction holds the claim, recognised by its still-empty answer (a committed claim always
 * holds its request's answer, written in the same transaction). A request whose key another
 * request already answered therefore writes nothing, and gets that answer to replay.
 */

/** The request's idempotency key and the hash of its payload. */
export interface KeyClaim {
  key: string;
  requestHash: Uint8Array;
}

/** One input of the request, in order: the row it would create and whether it is the first input with its content. */
export interface AddInput {
  row: NewMemoryRow;
  first: boolean;
}

/** An input's live memory (id null when none), and whether this request created it. */
export type AnswerRow = { [field in keyof MemoryRecord]: MemoryRecord[field] | null } & {
  ord: number;
  created: boolean;
};

/** The answer stored with an idempotency key by the request that first used it. */
export interface PriorAnswer {
  requestHash: Uint8Array;
  response: { id: string; created: boolean }[];
}

export interface AddStatements {
  statements: Prisma.Sql[];
  /** Index of the statement whose rows are the created history events. */
  events: number;
  /** Index of the statement whose rows answer each input in order (ord, memory columns, created). */
  answer: number;
  /** Index of the statement with the earlier request's answer when the key was taken (claim only). */
  replay?: number;
}

export function addMemoryStatements(
  key: UserKey,
  inputs: readonly AddInput[],
  claim: KeyClaim | null,
  now: Date,
  actor: ChangeActor | null,
  /** The endpoints that want memory events, as read before (Citus); absent: joined in the statement. */
  endpoints?: readonly OutboxEndpoint[],
  /** Relations Claude read in the memory, when the add asked for them. */
  relations: readonly NewRelation[] = [],
): AddStatements {
  const user = scopeOf(key);
  const holdsClaim = claim
    ? Prisma.sql`EXISTS (SELECT 1 FROM idempotency_keys WHERE ${user} AND key = ${claim.key} AND response = '[]'::jsonb)`
    : Prisma.sql`true`;
  const rows = inputs.filter((input) => input.first).map((input) => input.row);
  const ids = rows.map((row) => row.id);
  // Each input's live memory: the one this transaction inserted, or the one the user already had.
  const answer = Prisma.sql`
    SELECT ord::int AS ord, ${memoryColumns()}, (id = input_id AND input_first) AS created
    FROM unnest(${inputs.map((input) => contentHashHex(input.row.content))}::text[], ${inputs.map((input) => input.row.id)}::uuid[],
                ${inputs.map((input) => input.first)}::boolean[]) WITH ORDINALITY AS i(input_hash, input_id, input_first, ord)
    LEFT JOIN memories ON ${user} AND content_hash = decode(input_hash, 'hex') AND deleted_at IS NULL`;
  const statements: Prisma.Sql[] = [];
  let replay: number | undefined;
  if (claim) {
    // The key's row needs its end user's; the user's activity moves only once the claim is held.
    statements.push(
      touchEndUserSql(key, now, Prisma.sql`DO NOTHING`),
      Prisma.sql`
        INSERT INTO idempotency_keys (tenant_id, external_user_id, key, request_hash, response)
        VALUES (${key.tenantId}::uuid, ${key.externalUserId}, ${claim.key}, decode(${Buffer.from(claim.requestHash).toString('hex')}, 'hex'), '[]'::jsonb)
        ON CONFLICT (tenant_id, external_user_id, key) DO NOTHING`,
    );
    replay =
      statements.push(Prisma.sql`
        SELECT request_hash AS "requestHash", response FROM idempotency_keys
        WHERE ${user} AND key = ${claim.key} AND response <> '[]'::jsonb`) - 1;
    statements.push(
      Prisma.sql`UPDATE end_users SET last_activity_at = ${now}::timestamptz WHERE ${user} AND ${holdsClaim}`,
    );
  } else {
    statements.push(touchEndUserSql(key, now));
  }
  statements.push(insertMemoriesSql(key, rows, holdsClaim));
  const threadStarts = rows.filter((row) => row.threadId !== null && row.context === null).map((row) => row.id);
  if (threadStarts.length > 0) statements.push(threadContextSql(key, threadStarts));
  statements.push(
    recordWordsSql(key, ids),
    ...recordEntitiesSql(key, rows),
    ...recordRelationsSql(key, relations, null),
  );
  // A memory with one of this request's fresh ids was inserted by this transaction. (Citus cannot
  // plan RETURNING on this INSERT … SELECT: the events are read back by the next statement.)
  const eventIds = rows.map(() => randomUUID());
  statements.push(Prisma.sql`
    INSERT INTO memory_events (tenant_id, id, external_user_id, memory_id, kind, new_content, actor)
    SELECT m.tenant_id, e.event_id, m.external_user_id, m.id, 'CREATED', m.content, ${actor && JSON.stringify(actor)}::jsonb
    FROM memories m JOIN unnest(${ids}::uuid[], ${eventIds}::uuid[]) AS e(memory_id, event_id)
      ON m.id = e.memory_id
    WHERE ${user}`);
  const events = statements.push(historySql(key, ids)) - 1;
  // Their webhook deliveries (only events this transaction wrote exist).
  if (endpoints?.length !== 0) statements.push(memoryEventsOutboxSql(key, eventIds, endpoints));
  if (claim) {
    statements.push(Prisma.sql`
      UPDATE idempotency_keys
      SET response = (SELECT jsonb_agg(jsonb_build_object('id', a.id, 'created', a.created) ORDER BY a.ord) FROM (${answer}) a)
      WHERE ${user} AND key = ${claim.key} AND response = '[]'::jsonb`);
  }
  const answerAt = statements.push(Prisma.sql`${answer} ORDER BY ord`) - 1;
  return { statements, events, answer: answerAt, replay };
}
