import { Prisma } from '../generated/prisma/client.js';
import type { MemoryFilter } from '../model.js';
import { memoryColumns } from './memoryColumns.js';
import type { CandidateQuery } from './memorySql.js';
import { filterSql, live, scopeOf, type UserKey } from './scopeSql.js';

/**
 * Keyword search: BM25 within one end user's memories, as CTEs that keyword and hybrid
 * candidates share (memorySql.ts).
 */

/**
 * Whether a memory's words fit the covering index memories_search_words_idx (an index-only scan);
 * those of longer memories are read from their rows through memories_search_long_idx. Written
 * exactly as in the long_memories migration's index predicates.
 */
const SEARCH_WORDS_FIT = Prisma.raw(
  '(octet_length(search_vector::text) + coalesce(octet_length(context_vector::text), 0) <= 1500)',
);
const words = Prisma.raw(
  'CASE WHEN context_vector IS NULL THEN search_vector ELSE search_vector || context_vector END AS search_vector',
);

/**
 * How many of an end user's newest memories keyword search reads in full: the word statistics
 * come from them, and any of them may match. Beyond them (a user with more), only memories holding
 * a distinctive word of the query are read: one found in at most DISTINCTIVE of the newest.
 */
export const NEWEST_READ = 1000;
const DISTINCTIVE = 5;

/** BM25's usual constants: term-frequency saturation and length normalisation (SQL literals). */
const BM25 = { k1: 1.2, b: 0.75 };
/** What an occurrence of a word counts in a memory when it is in the memory before it (weight A), not its own. */
const CONTEXT_WORD = Prisma.raw('0.5::float8');
const literal = (value: number) => Prisma.raw(`${value}::float8`);
const [k1, k1Plus1, b, oneMinusB] = [BM25.k1, BM25.k1 + 1, BM25.b, 1 - BM25.b].map(literal);

/** Each query word a memory of `source` (id, search_vector) holds: (id, lexeme, dl, tf). */
const matchesIn = (source: string) => Prisma.sql`
  SELECT s.id, w.lexeme, length(s.search_vector) AS dl,
         CASE cardinality(w.weights) WHEN 0 THEN 1
           ELSE cardinality(w.weights) - (1 - ${CONTEXT_WORD}) * cardinality(array_positions(w.weights, 'A')) END AS tf
  FROM ${Prisma.raw(source)} s, terms, unnest(s.search_vector) AS w
  WHERE s.search_vector @@ terms.any_lexeme AND w.lexeme = ANY(terms.lexemes)`;

/**
 * CTEs scoring the memories of the scope that share a word with `text` by BM25, computed over the
 * end user's own memories (their count, average length and each word's document frequency):
 * `bm25(id, score, raw)`. A word in most of the user's memories (their name, "I") weighs almost
 * nothing; a rare one decides. Words are those of memgate_search_vector (stemmed English, stop
 * words dropped, identifiers whole), and a memory's length is its number of distinct words. A
 * memory in a thread also holds the words of the one before it (context_vector): a chat turn often
 * means nothing alone.
 *
 * The statistics come from the user's NEWEST_READ newest memories, every one of which may match
 * (so BM25 is exact for users with no more). Older memories are found by the query's distinctive
 * words in memory_words (see memoryWordsSql.ts); a word in most memories still adds to the score
 * of those found, but finds none of the older ones itself (it weighs almost nothing, and reading
 * its every occurrence is what made keyword search slow for users with 100,000 memories). Under
 * row-level security PostgreSQL uses an index only for leakproof operators: a GIN index on the
 * memories' words could not serve this lookup, the btree of memory_words can.
 *
 * `score` is comparable across queries: the IDF-weighted share of the query's words the memory
 * holds, each word's share saturating as BM25 does and capped at 1 for a single average-length
 * occurrence — 1 when it holds every word of the query (a word the user never used counts
 * against every memory), near 0 when it holds only common ones. A query needs at least the
 * weight of one word found in a single memory to score 1: "Jon", in most of Jon's memories,
 * scores little wherever it matches. `raw` is plain BM25 (ties).
 */
export function bm25Ctes(key: UserKey, text: string, filter?: MemoryFilter): Prisma.Sql {
  const newest = (fit: Prisma.Sql) => Prisma.sql`(
    SELECT id, created_at, ${words} FROM memories
    WHERE ${scopeOf(key)} AND ${live} AND ${fit} ${filterSql(filter)}
    ORDER BY created_at DESC LIMIT ${NEWEST_READ + 1})`;
  return Prisma.sql`
    terms AS (SELECT lexemes, memgate_any_lexeme(lexemes) AS any_lexeme
              FROM (SELECT tsvector_to_array(memgate_search_vector(${text})) AS lexemes) t),
    newest AS MATERIALIZED (
      SELECT id, search_vector FROM (${newest(SEARCH_WORDS_FIT)} UNION ALL ${newest(Prisma.sql`NOT ${SEARCH_WORDS_FIT}`)}) r
      ORDER BY created_at DESC LIMIT ${NEWEST_READ + 1}),
    stats AS (SELECT count(*)::float8 AS n, greatest(avg(length(search_vector)), 1)::float8 AS avgdl FROM newest),
    newest_matches AS MATERIALIZED (${matchesIn('newest')}),
    idf AS (
      SELECT t.lexeme, count(m.id) AS documents, ln(1 + (stats.n - count(m.id) + 0.5) / (count(m.id) + 0.5)) AS idf
      FROM terms CROSS JOIN unnest(terms.lexemes) AS t(lexeme) CROSS JOIN stats LEFT JOIN newest_matches m ON m.lexeme = t.lexeme
      GROUP BY t.lexeme, stats.n),
    -- Each found memory read by its key (LIMIT 1 keeps the lookup per row: the generic plan, made
    -- for a user of average size, would rather scan the user's memories, all 100,000 of them).
    older AS MATERIALIZED (
      SELECT m.id, m.search_vector
      FROM (SELECT DISTINCT memory_id FROM memory_words
            WHERE (SELECT n FROM stats) > ${NEWEST_READ} AND ${scopeOf(key)}
              AND word = ANY(ARRAY(SELECT lexeme FROM idf WHERE documents <= ${DISTINCTIVE}))) found,
        LATERAL (SELECT id, ${words} FROM memories
                 WHERE ${scopeOf(key)} AND id = found.memory_id AND ${live} ${filterSql(filter)} LIMIT 1) m
      WHERE m.id NOT IN (SELECT id FROM newest)),
    matches AS (SELECT * FROM newest_matches UNION ALL ${matchesIn('older')}),
    saturated AS (
      SELECT m.id, idf.idf, m.tf * ${k1Plus1} / (m.tf + ${k1} * (${oneMinusB} + ${b} * m.dl / stats.avgdl)) AS tf
      FROM matches m JOIN idf USING (lexeme) CROSS JOIN stats),
    weight AS (SELECT greatest((SELECT sum(idf) FROM idf), ln(1 + (stats.n - 0.5) / 1.5)) AS total FROM stats),
    bm25 AS (
      SELECT id, sum(idf * least(tf, 1)) / (SELECT total FROM weight) AS score, sum(idf * tf) AS raw
      FROM saturated GROUP BY id)`;
}

/**
 * Full-text matches inside one end user's live memories, ranked by BM25 (see bm25Ctes); the
 * score is keywordScore. Independent of the embedding model.
 */
export function keywordCandidatesSql(key: UserKey, query: CandidateQuery & { text: string }): Prisma.Sql {
  return Prisma.sql`
    WITH ${bm25Ctes(key, query.text, query.filter)}
    SELECT ${memoryColumns('m')}, NULL::float8 AS "semanticScore", bm25.score AS "keywordScore"
    FROM bm25 JOIN memories m ON m.tenant_id = ${key.tenantId}::uuid AND m.external_user_id = ${key.externalUserId} AND m.id = bm25.id
    ORDER BY bm25.score DESC, bm25.raw DESC, m.occurred_at DESC LIMIT ${query.limit}`;
}

/**
 * Transaction settings for BM25 (keyword and hybrid candidates): its dozen CTEs take 1–2 ms to
 * plan, more than they take to run for a typical end user, and the plan does not depend on who
 * the user is. A generic plan is made once per connection.
 */
export const KEYWORD_SEARCH_SETTINGS = { plan_cache_mode: 'force_generic_plan' } as const;
