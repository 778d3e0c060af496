-- A memory may belong to a thread: the conversation or session it came from, named by the caller
-- (for rememberConversation, the caller's threadId or else the conversation's id). Within a thread, memories follow occurred_at.
-- context_vector holds the words of the memory before it in its thread (weight A, counted at half),
-- set when it is stored: a chat turn often means nothing alone ("Yes, I went last week!"), and
-- keyword search reads both.
-- The covering index of keyword search includes it, so that search stays an index-only scan (the
-- column is read only there: its storage, which Citus cannot change on a distributed table, is left
-- as is).
-- In a DO block: on Citus, DDL sent as part of a multi-statement script does not reach the workers
-- (see the webhooks migration); the columns and indexes are made on every shard.
DO $$
BEGIN
  ALTER TABLE memories ADD COLUMN thread_id TEXT;
  ALTER TABLE memories ADD COLUMN context_vector tsvector;
  ALTER TABLE conversations ADD COLUMN thread_id TEXT;
  CREATE INDEX memories_thread_idx ON memories (tenant_id, external_user_id, thread_id, occurred_at)
    WHERE thread_id IS NOT NULL;
  DROP INDEX memories_search_words_idx;
  CREATE INDEX memories_search_words_idx ON memories (tenant_id, external_user_id)
    INCLUDE (id, expires_at, search_vector, context_vector) WHERE deleted_at IS NULL;
END $$;
