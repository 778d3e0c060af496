import { randomUUID } from 'node:crypto';
import { Prisma } from '../generated/prisma/client.js';
import type { MemoryFilter } from '../model.js';
import { filterSql, live, scopeOf, type UserKey } from './scopeSql.js';
import { userOf } from './threadSql.js';

/**
 * The entities of an end user's memories (entities, memory_entities; see the entities migration):
 * written with their memories — on an add, and when a memory's content changes — read by the
 * graph's fields and by search. The domain finds the mentions (memory/entities.ts); this file only
 * stores and looks them up, by key.
 */

/** An entity a memory names, as the domain found it. */
export interface EntityMention {
  key: string;
  name: string;
  type: string;
  aliases: string[];
  /** Links the memory to an entity the user already has, creates none. */
  weak: boolean;
  /** How much the link counts in search: 1 when the memory names it (the default), less when its context does. */
  weight?: number;
}

/** New entities stop being created for an end user with this many (links to known ones go on). */
export const MAX_ENTITIES_PER_USER = 10_000;
/** The ways of writing an entity kept in its aliases. */
export const MAX_ALIASES = 16;

/**
 * The statements that record what these memories name, to run after the memories' insert (or
 * update) in the same transaction: new entities (with the aliases they were written with, a guessed
 * type replacing OTHER), then the links. Only memories that exist are linked, so a row the insert
 * skipped (content the user already had) names nothing.
 */
export function recordEntitiesSql(
  key: UserKey,
  memories: readonly { id: string; entities: readonly EntityMention[] }[],
): Prisma.Sql[] {
  const strong = new Map<string, { id: string; name: string; type: string; aliases: string[]; memory_ids: string[] }>();
  const links = new Map<string, { memoryId: string; key: string; weight: number }>();
  for (const memory of memories) {
    for (const mention of memory.entities) {
      const weight = mention.weight ?? 1;
      const link = links.get(`${memory.id} ${mention.key}`);
      if (!link || link.weight < weight)
        links.set(`${memory.id} ${mention.key}`, { memoryId: memory.id, key: mention.key, weight });
      if (mention.weak) continue;
      const entity = strong.get(mention.key);
      if (!entity) {
        strong.set(mention.key, {
          ...mention,
          id: randomUUID(),
          aliases: [...mention.aliases],
          memory_ids: [memory.id],
        });
        continue;
      }
      entity.memory_ids.push(memory.id);
      for (const alias of mention.aliases) if (!entity.aliases.includes(alias)) entity.aliases.push(alias);
      if (entity.type === 'OTHER') entity.type = mention.type;
    }
  }
  if (links.size === 0) return [];
  const document = JSON.stringify(
    [...strong].map(([entityKey, entity]) => ({
      ...entity,
      key: entityKey,
      aliases: entity.aliases.slice(0, MAX_ALIASES),
    })),
  );
  const statements: Prisma.Sql[] = [];
  if (strong.size > 0) {
    // The end user's row leads the FROM so that Citus runs the statement on the user's shard (see
    // insertMemoriesSql). Citus allows no now() in DO UPDATE SET (the time is a parameter), and an
    // array slice there crashes its coordinator (13.2): aliases are appended whole, and readers drop
    // the repeats (userEntities.ts).
    statements.push(Prisma.sql`
      INSERT INTO entities (tenant_id, external_user_id, id, key, name, type, aliases)
      SELECT u.tenant_id, u.external_user_id, d.id, d.key, d.name, d.type, ARRAY(SELECT jsonb_array_elements_text(d.aliases))
      FROM end_users u, jsonb_to_recordset(${document}::jsonb) AS d(id uuid, key text, name text, type text, aliases jsonb, memory_ids uuid[])
      WHERE ${userOf(key, 'u')}
        AND EXISTS (SELECT 1 FROM memories m WHERE ${userOf(key, 'm')} AND m.id = ANY(d.memory_ids))
        AND (SELECT count(*) FROM (SELECT 1 FROM entities WHERE ${scopeOf(key)} LIMIT ${MAX_ENTITIES_PER_USER}) c) < ${MAX_ENTITIES_PER_USER}
      ON CONFLICT (tenant_id, external_user_id, key) DO UPDATE SET
        aliases = CASE WHEN cardinality(entities.aliases) < ${MAX_ALIASES} THEN entities.aliases || EXCLUDED.aliases
                       ELSE entities.aliases END,
        type = CASE WHEN entities.type = 'OTHER' THEN EXCLUDED.type ELSE entities.type END,
        updated_at = ${new Date()}::timestamptz
      WHERE NOT (EXCLUDED.aliases <@ entities.aliases) OR (entities.type = 'OTHER' AND EXCLUDED.type <> 'OTHER')`);
  }
  statements.push(Prisma.sql`
    INSERT INTO memory_entities (tenant_id, external_user_id, entity_id, memory_id, weight)
    SELECT e.tenant_id, e.external_user_id, e.id, l.memory_id, l.weight
    FROM unnest(${[...links.values()].map((link) => link.memoryId)}::uuid[], ${[...links.values()].map((link) => link.key)}::text[],
                ${[...links.values()].map((link) => link.weight)}::real[]) AS l(memory_id, key, weight)
    JOIN entities e ON ${userOf(key, 'e')} AND e.key = l.key
    WHERE EXISTS (SELECT 1 FROM memories m WHERE ${userOf(key, 'm')} AND m.id = l.memory_id)
    ON CONFLICT DO NOTHING`);
  return statements;
}

/** The statements that bring a memory's links up to date after its content changed, in order. */
export function relinkEntitiesSql(key: UserKey, memoryId: string, entities: readonly EntityMention[]): Prisma.Sql[] {
  return [
    Prisma.sql`DELETE FROM memory_entities WHERE ${scopeOf(key)} AND memory_id = ${memoryId}::uuid`,
    ...recordEntitiesSql(key, [{ id: memoryId, entities }]),
  ];
}

/**
 * Entities linked to more memories than this, or to more than a fifth of the user's (and over ten),
 * are too common to lift any: the end user's own name, a chat's speakers. (Their weight was near
 * nothing, and reading their every link made a search of a 270-turn chat twice as slow.)
 */
const ENTITY_DOCUMENTS_READ = 1000;

/**
 * CTEs scoring the live memories (of the filter) linked to an entity the query names by one of
 * `keys`, after bm25Ctes (it needs `stats`): `entity_matches(id, score)`. Each named entity
 * weighs as a word would in BM25 — by how few of the user's memories name it — and the score is
 * its weight against that of an entity named once (about 1 for a rare entity, near 0 for the end
 * user's own name).
 */
export function entityMatchesCtes(key: UserKey, keys: readonly string[], filter?: MemoryFilter): Prisma.Sql {
  return Prisma.sql`
    named AS MATERIALIZED (
      SELECT e.id, (SELECT count(*) FROM (SELECT 1 FROM memory_entities l WHERE ${userOf(key, 'l')} AND l.entity_id = e.id
                                          LIMIT ${ENTITY_DOCUMENTS_READ + 1}) c)::float8 AS documents
      FROM entities e WHERE ${userOf(key, 'e')} AND e.key = ANY(${keys}::text[])),
    entity_weight AS (
      SELECT n.id, ln(1 + (greatest(stats.n, n.documents) - n.documents + 0.5) / (n.documents + 0.5))
                   / ln(1 + (greatest(stats.n, 1) - 0.5) / 1.5) AS weight
      FROM named n CROSS JOIN stats
      WHERE n.documents <= ${ENTITY_DOCUMENTS_READ} AND n.documents <= greatest(stats.n / 5, 10)),
    -- The live memories (of the filter) among those linked, looked up by id all at once: joined
    -- link by link, the planner read all the user's memories for each (by an index on their content).
    entity_live AS MATERIALIZED (
      SELECT id FROM memories
      WHERE ${scopeOf(key)} AND ${live} ${filterSql(filter)}
        AND id = ANY(ARRAY(SELECT l.memory_id FROM memory_entities l
                           WHERE ${userOf(key, 'l')} AND l.entity_id = ANY(ARRAY(SELECT id FROM entity_weight))))),
    entity_matches AS MATERIALIZED (
      SELECT l.memory_id AS id, sum(w.weight * l.weight) AS score
      FROM entity_weight w JOIN memory_entities l ON ${userOf(key, 'l')} AND l.entity_id = w.id
      WHERE l.memory_id = ANY(ARRAY(SELECT id FROM entity_live))
      GROUP BY l.memory_id)`;
}

/** An entity as the graph's fields read it: with how many live memories name it. */
export interface EntityRecord {
  id: string;
  externalUserId: string;
  name: string;
  type: string;
  aliases: string[];
  createdAt: Date;
  updatedAt: Date;
  memoryCount: number;
}

const liveMemory = Prisma.sql`m.deleted_at IS NULL AND (m.expires_at IS NULL OR m.expires_at > now())`;
const entityColumns = Prisma.sql`e.id, e.external_user_id AS "externalUserId", e.name, e.type, e.aliases,
  e.created_at AS "createdAt", e.updated_at AS "updatedAt",
  (SELECT count(*)::int FROM memory_entities l
     JOIN memories m ON m.tenant_id = l.tenant_id AND m.external_user_id = l.external_user_id AND m.id = l.memory_id
   WHERE l.tenant_id = e.tenant_id AND l.external_user_id = e.external_user_id AND l.entity_id = e.id AND ${liveMemory}) AS "memoryCount"`;

/**
 * A page of the end user's entities that a live memory names or a relation links, by key, after the key
 * `after`; `contains` (a key) narrows it to the names or aliases holding it, `type` to one type.
 */
export function listEntitiesSql(
  key: UserKey,
  page: { after?: string; take: number; contains?: string; type?: string },
): Prisma.Sql {
  return Prisma.sql`
    SELECT * FROM (
      SELECT ${entityColumns}, e.key,
        EXISTS (SELECT 1 FROM entity_relations r WHERE r.tenant_id = e.tenant_id AND r.external_user_id = e.external_user_id
                  AND (r.subject_id = e.id OR r.object_id = e.id)) AS related
      FROM entities e
      WHERE ${userOf(key, 'e')}
        ${page.after === undefined ? Prisma.empty : Prisma.sql`AND e.key > ${page.after}`}
        ${page.type === undefined ? Prisma.empty : Prisma.sql`AND e.type = ${page.type}`}
        ${
          page.contains === undefined
            ? Prisma.empty
            : Prisma.sql`AND (strpos(e.key, ${page.contains}) > 0
                              OR EXISTS (SELECT 1 FROM unnest(e.aliases) a WHERE strpos(lower(a), ${page.contains}) > 0))`
        }
      ORDER BY e.key) listed
    WHERE "memoryCount" > 0 OR related LIMIT ${page.take}`;
}

/** These entities of the user (ids must be UUIDs), named by a live memory or not. */
export function entitiesByIdSql(key: UserKey, ids: readonly string[]): Prisma.Sql {
  return Prisma.sql`SELECT ${entityColumns} FROM entities e WHERE ${userOf(key, 'e')} AND e.id = ANY(${ids}::uuid[])`;
}

/** The entities each of these memories names: rows (memoryId, entity columns). */
export function entitiesOfMemoriesSql(key: UserKey, memoryIds: readonly string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT l.memory_id AS "memoryId", ${entityColumns}
    FROM memory_entities l JOIN entities e ON ${userOf(key, 'e')} AND e.id = l.entity_id
    WHERE ${userOf(key, 'l')} AND l.memory_id = ANY(${memoryIds}::uuid[])
    ORDER BY e.key`;
}

/** The ids of the live memories that name each of these entities, newest first, at most `limit` each: rows (entityId, memoryId). */
export function memoriesOfEntitiesSql(key: UserKey, entityIds: readonly string[], limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT e.id AS "entityId", named.id AS "memoryId"
    FROM unnest(${entityIds}::uuid[]) AS e(id),
      LATERAL (SELECT m.id FROM memory_entities l JOIN memories m ON ${userOf(key, 'm')} AND m.id = l.memory_id
               WHERE ${userOf(key, 'l')} AND l.entity_id = e.id AND ${liveMemory}
               ORDER BY m.occurred_at DESC, m.id DESC LIMIT ${limit}) named`;
}
