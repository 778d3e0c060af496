-- Keyword search of an end user with many memories. BM25 read all of the user's words on every
-- query: ~100 ms for 100,000 memories when the query's words were rare, over a second when one was
-- common (the speaker's name, in every chat turn). Now it reads the user's newest memories in full
-- (the statistics of their words, and every match among them) and, beyond them, only the memories
-- holding one of the query's distinctive words, found in this table: each memory's words (both
-- vectors, as keyword search reads them), one row a word. A GIN index on memories cannot serve
-- this: under row-level security PostgreSQL uses an index only for leakproof operators, and the
-- array and text-search operators are not; here every lookup is by equality.
-- Rows are written with their memory (src/db/memoryWordsSql.ts), kept when it is deleted (a
-- restore needs them; searches join live memories), and erased with the end user.
CREATE TABLE "memory_words" (
    "tenant_id" UUID NOT NULL,
    "external_user_id" TEXT NOT NULL,
    "word" TEXT NOT NULL,
    "memory_id" UUID NOT NULL,

    CONSTRAINT "memory_words_pkey" PRIMARY KEY ("tenant_id", "external_user_id", "word", "memory_id")
);

-- In a DO block: on Citus, DDL sent as part of a multi-statement script does not reach the workers.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    PERFORM create_distributed_table('memory_words', 'external_user_id', colocate_with => 'end_users');
  END IF;
  INSERT INTO memory_words (tenant_id, external_user_id, word, memory_id)
  SELECT tenant_id, external_user_id, word, id
  FROM memories, unnest(tsvector_to_array(coalesce(search_vector, ''::tsvector) || coalesce(context_vector, ''::tsvector))) AS word;
  ALTER TABLE memory_words ADD CONSTRAINT memory_words_end_user_fkey FOREIGN KEY (tenant_id, external_user_id)
    REFERENCES end_users (tenant_id, external_user_id) ON DELETE CASCADE;
  GRANT SELECT, INSERT, DELETE ON memory_words TO memgate_app;
  ALTER TABLE memory_words ENABLE ROW LEVEL SECURITY;
  ALTER TABLE memory_words FORCE ROW LEVEL SECURITY;
  CREATE POLICY memory_words_user ON memory_words
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
           AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''))
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
                AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''));

  -- The covering indexes order each user's memories newest first, so that keyword search reads
  -- the newest without a sort (an index-only scan, as before).
  DROP INDEX memories_search_words_idx;
  CREATE INDEX memories_search_words_idx ON memories (tenant_id, external_user_id, created_at DESC)
    INCLUDE (id, expires_at, search_vector, context_vector)
    WHERE deleted_at IS NULL
      AND octet_length(search_vector::text) + coalesce(octet_length(context_vector::text), 0) <= 1500;
  DROP INDEX memories_search_long_idx;
  CREATE INDEX memories_search_long_idx ON memories (tenant_id, external_user_id, created_at DESC)
    WHERE deleted_at IS NULL
      AND NOT (octet_length(search_vector::text) + coalesce(octet_length(context_vector::text), 0) <= 1500);
END $$;
