-- Jobs are held by a lease that the running instance renews (locked_until) and names (lease_id):
-- only the holder of the current lease may finish or fail the job.
ALTER TABLE "conversations" ADD COLUMN "lease_id" UUID;
-- Every failed attempt, in order: [{ "attempt", "at", "reason" }].
ALTER TABLE "conversations" ADD COLUMN "failures" JSONB NOT NULL DEFAULT '[]';

-- Time spent waiting for the model, per call (retries included).
ALTER TABLE "llm_usage" ADD COLUMN "model_ms" INTEGER NOT NULL DEFAULT 0;

-- Usage per end user (usageByEndUser pages through them; usage can name one).
CREATE INDEX "llm_usage_tenant_id_external_user_id_created_at_idx" ON "llm_usage"("tenant_id", "external_user_id", "created_at");
