-- Keyword search: PostgreSQL full-text search over each memory's content (English stemming),
-- kept in step with the content by the database itself. Scoped by the same tenant/end-user
-- predicates and row-level security as every other read of memories.
ALTER TABLE "memories"
    ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "content")) STORED;
CREATE INDEX "memories_search_vector_idx" ON "memories" USING GIN ("search_vector");
