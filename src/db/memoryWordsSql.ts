import { Prisma } from '../generated/prisma/client.js';
import { scopeOf, type UserKey } from './scopeSql.js';

/**
 * memory_words: each memory's words (both vectors, as keyword search reads them), one row a word,
 * where keyword search finds the older memories of an end user with many that hold a rare word of
 * the query (bm25Ctes in keywordSql.ts). Part of the memory store: written with every change of a
 * memory's words — its insert, its context words, a new content — and erased with the user.
 */

/** Records the words of these memories of the user (new ones, or ones whose words changed). */
export function recordWordsSql(key: UserKey, ids: readonly string[]): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO memory_words (tenant_id, external_user_id, word, memory_id)
    SELECT tenant_id, external_user_id, word, id
    FROM memories, unnest(tsvector_to_array(coalesce(search_vector, ''::tsvector) || coalesce(context_vector, ''::tsvector))) AS word
    WHERE ${scopeOf(key)} AND id = ANY(${ids}::uuid[])
    ON CONFLICT DO NOTHING`;
}

/** The statements that bring the words of a memory whose content changed up to date, in order. */
export function rewordSql(key: UserKey, id: string): Prisma.Sql[] {
  return [
    Prisma.sql`DELETE FROM memory_words WHERE ${scopeOf(key)} AND memory_id = ${id}::uuid`,
    recordWordsSql(key, [id]),
  ];
}
