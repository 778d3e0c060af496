-- The graph of an end user's memories, first part: the entities they name (people, places,
-- organisations, pets, things) and which memories name each. Entities are found at ingest
-- (src/memory/entities.ts) and matched by their key (lower case, no accents); `aliases` holds the
-- ways they were written. Links are kept when a memory is deleted (a restore needs them; reads
-- join live memories) and everything is erased with the end user.
CREATE TABLE "entities" (
    "tenant_id" UUID NOT NULL,
    "external_user_id" TEXT NOT NULL,
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "aliases" TEXT[] NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),

    CONSTRAINT "entities_pkey" PRIMARY KEY ("tenant_id", "external_user_id", "id"),
    CONSTRAINT "entities_type_check" CHECK ("type" IN ('PERSON', 'PLACE', 'ORGANIZATION', 'PET', 'THING', 'EVENT', 'OTHER'))
);
CREATE UNIQUE INDEX "entities_key_idx" ON "entities" ("tenant_id", "external_user_id", "key");

CREATE TABLE "memory_entities" (
    "tenant_id" UUID NOT NULL,
    "external_user_id" TEXT NOT NULL,
    "entity_id" UUID NOT NULL,
    "memory_id" UUID NOT NULL,
    -- 1: the memory names it; less: the memory before it in its thread did (a reply often says
    -- "she" for the name the turn before it used).
    "weight" REAL NOT NULL DEFAULT 1,

    CONSTRAINT "memory_entities_pkey" PRIMARY KEY ("tenant_id", "external_user_id", "entity_id", "memory_id")
);
CREATE INDEX "memory_entities_memory_idx" ON "memory_entities" ("tenant_id", "external_user_id", "memory_id");

-- What is true between two entities (subject —predicate→ object), from Claude's reading of a
-- conversation: true from valid_from until valid_to (null: still true), recorded at recorded_at. A
-- newer relation that contradicts one (same subject and predicate, another object) closes it; none
-- is deleted but with the end user.
CREATE TABLE "entity_relations" (
    "tenant_id" UUID NOT NULL,
    "external_user_id" TEXT NOT NULL,
    "id" UUID NOT NULL,
    "subject_id" UUID NOT NULL,
    "predicate" TEXT NOT NULL,
    "object_id" UUID NOT NULL,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_to" TIMESTAMPTZ(3),
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    "conversation_id" UUID,

    CONSTRAINT "entity_relations_pkey" PRIMARY KEY ("tenant_id", "external_user_id", "id")
);
CREATE INDEX "entity_relations_subject_idx" ON "entity_relations" ("tenant_id", "external_user_id", "subject_id", "predicate");
CREATE INDEX "entity_relations_object_idx" ON "entity_relations" ("tenant_id", "external_user_id", "object_id");

-- In a DO block: on Citus, DDL sent as part of a multi-statement script does not reach the workers.
DO $$
DECLARE
  name TEXT;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    PERFORM create_distributed_table('entities', 'external_user_id', colocate_with => 'end_users');
    PERFORM create_distributed_table('memory_entities', 'external_user_id', colocate_with => 'end_users');
    PERFORM create_distributed_table('entity_relations', 'external_user_id', colocate_with => 'end_users');
  END IF;
  FOREACH name IN ARRAY ARRAY['entities', 'memory_entities', 'entity_relations'] LOOP
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (tenant_id, external_user_id)
                      REFERENCES end_users (tenant_id, external_user_id) ON DELETE CASCADE', name, name || '_end_user_fkey');
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO memgate_app', name);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', name);
    EXECUTE format($policy$CREATE POLICY %I ON %I
      USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
             AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''))
      WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
                  AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''))$policy$,
      name || '_user', name);
  END LOOP;
END $$;
