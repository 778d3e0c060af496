import { randomUUID } from 'node:crypto';
import { Prisma } from '../generated/prisma/client.js';
import { MAX_ENTITIES_PER_USER } from './entitySql.js';
import { scopeOf, type UserKey } from './scopeSql.js';
import { userOf } from './threadSql.js';

/**
 * The relations between an end user's entities (entity_relations; see the entities migration):
 * recorded from Claude's reading of a conversation in the transaction that applies it, read by the
 * graph's fields. A relation is true from valid_from until valid_to; a newer one with the same
 * subject and predicate and another object closes it (unless the predicate may hold many objects).
 */

/** One end of a relation, as the domain named it. */
export interface RelationEnd {
  key: string;
  name: string;
  type: string;
}

export interface NewRelation {
  subject: RelationEnd;
  predicate: string;
  object: RelationEnd;
  validFrom: Date;
  /** The subject may have several objects for this predicate at once: nothing is closed. */
  many: boolean;
}

/** A relation as read: its ends by entity id. */
export interface RelationRecord {
  id: string;
  externalUserId: string;
  subjectId: string;
  predicate: string;
  objectId: string;
  validFrom: Date;
  validTo: Date | null;
  recordedAt: Date;
}

/**
 * The statements that record these relations in order (their entities first), each closing those
 * it contradicts; `conversationId` is null for relations read in an added memory.
 */
export function recordRelationsSql(
  key: UserKey,
  relations: readonly NewRelation[],
  conversationId: string | null,
): Prisma.Sql[] {
  if (relations.length === 0) return [];
  const ends = new Map<string, RelationEnd>();
  for (const { subject, object } of relations)
    for (const end of [subject, object]) if (!ends.has(end.key)) ends.set(end.key, end);
  const document = JSON.stringify([...ends.values()].map((end) => ({ ...end, id: randomUUID(), aliases: [end.name] })));
  const statements = [
    Prisma.sql`
      INSERT INTO entities (tenant_id, external_user_id, id, key, name, type, aliases)
      SELECT u.tenant_id, u.external_user_id, d.id, d.key, d.name, d.type, ARRAY(SELECT jsonb_array_elements_text(d.aliases))
      FROM end_users u, jsonb_to_recordset(${document}::jsonb) AS d(id uuid, key text, name text, type text, aliases jsonb)
      WHERE ${userOf(key, 'u')}
        AND (SELECT count(*) FROM (SELECT 1 FROM entities WHERE ${scopeOf(key)} LIMIT ${MAX_ENTITIES_PER_USER}) c) < ${MAX_ENTITIES_PER_USER}
      ON CONFLICT (tenant_id, external_user_id, key) DO NOTHING`,
  ];
  const entity = (end: RelationEnd) => Prisma.sql`(SELECT id FROM entities WHERE ${scopeOf(key)} AND key = ${end.key})`;
  for (const relation of relations) {
    const { predicate, validFrom } = relation;
    const [subject, object] = [entity(relation.subject), entity(relation.object)];
    const others = Prisma.sql`${userOf(key, 'r')} AND r.subject_id = ${subject} AND r.predicate = ${predicate} AND r.object_id <> ${object}`;
    if (!relation.many) {
      // One true from the same moment was told earlier (the same reading, often): the later told wins.
      statements.push(Prisma.sql`
        UPDATE entity_relations r SET valid_to = ${validFrom}::timestamptz
        WHERE ${others} AND r.valid_to IS NULL AND r.valid_from <= ${validFrom}::timestamptz`);
    }
    // Told late (an older fact after a newer one): it is recorded already closed by the newer.
    const closedBy = relation.many
      ? Prisma.sql`NULL::timestamptz`
      : Prisma.sql`(SELECT min(r.valid_from) FROM entity_relations r WHERE ${others} AND r.valid_from > ${validFrom}::timestamptz)`;
    statements.push(Prisma.sql`
      INSERT INTO entity_relations (tenant_id, external_user_id, id, subject_id, predicate, object_id, valid_from, valid_to, conversation_id)
      SELECT s.tenant_id, s.external_user_id, ${randomUUID()}::uuid, s.id, ${predicate}, o.id, ${validFrom}::timestamptz,
             ${closedBy}, ${conversationId}::uuid
      FROM entities s, entities o
      WHERE ${userOf(key, 's')} AND s.key = ${relation.subject.key} AND ${userOf(key, 'o')} AND o.key = ${relation.object.key}
        AND NOT EXISTS (SELECT 1 FROM entity_relations r WHERE ${userOf(key, 'r')} AND r.subject_id = s.id
                          AND r.predicate = ${predicate} AND r.object_id = o.id AND r.valid_from <= ${validFrom}::timestamptz
                          AND (r.valid_to IS NULL OR r.valid_to > ${validFrom}::timestamptz))`);
  }
  return statements;
}

/** Relations read at most at once. */
export const RELATIONS_READ = 500;

/**
 * The user's relations true at `asOf` (null: those true now), newest first; with `entityId`,
 * those with it at either end.
 */
export function relationsSql(key: UserKey, asOf: Date | null, entityId?: string): Prisma.Sql {
  const when = asOf
    ? Prisma.sql`r.valid_from <= ${asOf}::timestamptz AND (r.valid_to IS NULL OR r.valid_to > ${asOf}::timestamptz)`
    : Prisma.sql`r.valid_to IS NULL`;
  const about = entityId
    ? Prisma.sql`AND (r.subject_id = ${entityId}::uuid OR r.object_id = ${entityId}::uuid)`
    : Prisma.empty;
  return Prisma.sql`
    SELECT r.id, r.external_user_id AS "externalUserId", r.subject_id AS "subjectId", r.predicate, r.object_id AS "objectId",
           r.valid_from AS "validFrom", r.valid_to AS "validTo", r.recorded_at AS "recordedAt"
    FROM entity_relations r
    WHERE ${userOf(key, 'r')} AND ${when} ${about}
    ORDER BY r.valid_from DESC, r.id LIMIT ${RELATIONS_READ}`;
}
