-- Conversations handed to Claude (also the job queue for ASYNC mode), model usage, and each
-- tenant's "never remember" redaction rules. Row-level security as for every tenant-owned table.

CREATE TABLE "conversations" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "external_user_id" TEXT NOT NULL,
    -- The messages after redaction: what the model saw.
    "messages" JSONB NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL,
    "result" JSONB,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "conversations_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "conversations_end_user_fkey" FOREIGN KEY ("tenant_id", "external_user_id")
        REFERENCES "end_users"("tenant_id", "external_user_id") ON DELETE CASCADE
);
CREATE INDEX "conversations_tenant_id_external_user_id_created_at_idx"
    ON "conversations"("tenant_id", "external_user_id", "created_at");
-- The job runner's queue scan (privileged, across tenants).
CREATE INDEX "conversations_pending_idx" ON "conversations"("created_at") WHERE "status" IN ('PENDING', 'RUNNING');

ALTER TABLE "memory_events" ADD COLUMN "conversation_id" UUID;

CREATE TABLE "llm_usage" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "external_user_id" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "input_tokens" INTEGER NOT NULL,
    "output_tokens" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "llm_usage_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "llm_usage_end_user_fkey" FOREIGN KEY ("tenant_id", "external_user_id")
        REFERENCES "end_users"("tenant_id", "external_user_id") ON DELETE CASCADE
);
CREATE INDEX "llm_usage_tenant_id_created_at_idx" ON "llm_usage"("tenant_id", "created_at");

CREATE TABLE "redaction_rules" (
    "tenant_id" UUID NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "pattern" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "redaction_rules_pkey" PRIMARY KEY ("tenant_id", "id")
);

GRANT SELECT, INSERT, UPDATE, DELETE ON conversations, llm_usage, redaction_rules TO memgate_app;

ALTER TABLE conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversations FORCE ROW LEVEL SECURITY;
ALTER TABLE llm_usage ENABLE ROW LEVEL SECURITY;
ALTER TABLE llm_usage FORCE ROW LEVEL SECURITY;
ALTER TABLE redaction_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE redaction_rules FORCE ROW LEVEL SECURITY;

CREATE POLICY conversations_user ON conversations
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
         AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''))
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
              AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''));
CREATE POLICY llm_usage_user ON llm_usage
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
         AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''))
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
              AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''));
-- The usage report sums a whole tenant: tenant-wide reads, SELECT only.
CREATE POLICY llm_usage_tenant_read ON llm_usage FOR SELECT
  USING (current_setting('app.tenant_wide', true) = 'on'
         AND tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
-- Redaction rules belong to the tenant; every scope of the tenant reads and writes them.
CREATE POLICY redaction_rules_tenant ON redaction_rules
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
