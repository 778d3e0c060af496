-- Keyword search reads an end user's words from a covering index (an index-only scan), but a btree
-- row holds at most 2704 bytes: the words of a long memory (the schema allows 32,768 characters)
-- do not fit, and writing such a memory failed. So the covering index holds the memories whose
-- words fit with room to spare (at most 1500 bytes as text, both vectors together, whatever the
-- external_user_id), and a second, plain partial index finds the few others, whose words are read
-- from their rows. The condition is written the same way here and in src/db/memorySql.ts
-- (SEARCH_WORDS_FIT), so that the planner sees which index answers which half of the scope.
-- In a DO block: on Citus, DDL sent as part of a multi-statement script does not reach the workers.
DO $$
BEGIN
  DROP INDEX memories_search_words_idx;
  CREATE INDEX memories_search_words_idx ON memories (tenant_id, external_user_id)
    INCLUDE (id, expires_at, search_vector, context_vector)
    WHERE deleted_at IS NULL
      AND octet_length(search_vector::text) + coalesce(octet_length(context_vector::text), 0) <= 1500;
  CREATE INDEX memories_search_long_idx ON memories (tenant_id, external_user_id)
    WHERE deleted_at IS NULL
      AND NOT (octet_length(search_vector::text) + coalesce(octet_length(context_vector::text), 0) <= 1500);
END $$;
