-- Keyword search ranks by BM25 inside each end user's memories (src/db/memorySql.ts), and every
-- memory records when what it says happened.

-- The words of a text as searched: PostgreSQL's English parser (lower case, stemmed, stop words
-- dropped), plus every identifier-like token kept whole — codes, dates, versions, addresses —
-- which the parser splits ("LIB-20931" -> "lib", "-20931"; "2023-05-07" -> "2023", "-05", "-07"),
-- plus every run of digits on its own ("20931", "05"). Queries go through the same function, so
-- both sides split and stem alike.
CREATE FUNCTION memgate_search_vector(content text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN to_tsvector('english'::regconfig, content) || array_to_tsvector(ARRAY(
    SELECT DISTINCT lower(token[1])
    FROM regexp_matches(content, '([A-Za-z0-9]+(?:[-_./@:+#][A-Za-z0-9]+)+)', 'g') AS token
    WHERE token[1] ~ '[0-9@]'
    UNION
    SELECT digits[1] FROM regexp_matches(content, '([0-9]+)', 'g') AS digits));

-- A query that matches any of these lexemes, taken as they are (NULL, matching nothing, for none).
CREATE FUNCTION memgate_any_lexeme(lexemes text[]) RETURNS tsquery
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN (SELECT string_agg('''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''', ' | ')::tsquery
          FROM unnest(lexemes) AS lexeme);

-- Every column stays inside the row. The 2 KB vector is kept inline (STORAGE MAIN), which puts the
-- row over the 2 KB TOAST threshold, so PostgreSQL moved every other variable-length column —
-- content, words, tags — out to the TOAST table: a search read each of them with an extra index
-- lookup (BM25 over 100 memories: 20 buffer reads per memory). MAIN columns leave the row only
-- when it would not fit a page. The rewrite below (the new generated column) applies it to every row.
ALTER TABLE "memories" ALTER COLUMN "external_user_id" SET STORAGE MAIN,
                       ALTER COLUMN "content" SET STORAGE MAIN,
                       ALTER COLUMN "content_hash" SET STORAGE MAIN,
                       ALTER COLUMN "metadata" SET STORAGE MAIN,
                       ALTER COLUMN "tags" SET STORAGE MAIN,
                       ALTER COLUMN "embedding_model" SET STORAGE MAIN;

-- The global GIN index did not lead with tenant_id, and per-user BM25 reads all of the user's
-- words anyway: from this covering index (an index-only scan, ~175 bytes a memory) rather than
-- from the 2.5 KB rows (BM25 over one end user's 100,000 memories: ~290 ms from the rows, ~70 ms
-- from the index).
DROP INDEX "memories_search_vector_idx";
ALTER TABLE "memories" DROP COLUMN "search_vector";
ALTER TABLE "memories"
    ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (memgate_search_vector("content")) STORED,
    ALTER COLUMN "search_vector" SET STORAGE MAIN;
CREATE INDEX "memories_search_words_idx" ON "memories" ("tenant_id", "external_user_id")
    INCLUDE ("id", "expires_at", "search_vector") WHERE "deleted_at" IS NULL;

-- When the fact was said or happened (a conversation's timestamp, an imported message's date);
-- the time it was stored unless the caller says otherwise.
ALTER TABLE "memories" ADD COLUMN "occurred_at" TIMESTAMPTZ(3);
UPDATE "memories" SET "occurred_at" = "created_at";
ALTER TABLE "memories" ALTER COLUMN "occurred_at" SET DEFAULT CURRENT_TIMESTAMP,
                       ALTER COLUMN "occurred_at" SET NOT NULL;
