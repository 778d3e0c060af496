-- Webhooks: a tenant's endpoints, and the outbox of deliveries. A delivery is written in the same
-- transaction as the change it announces, and belongs to the end user the event is about (their
-- scope may enqueue it, and erase it with them); the gateway's dispatcher, a privileged reader
-- across tenants, sends it (src/webhooks/).
CREATE TABLE "webhook_endpoints" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "event_types" TEXT[] NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_reason" TEXT,
    "disabled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("tenant_id", "id")
);

CREATE TABLE "webhook_deliveries" (
    "tenant_id" UUID NOT NULL,
    "external_user_id" TEXT NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("tenant_id", "endpoint_id", "event_id")
);

CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries"("status", "next_attempt_at");
CREATE INDEX "webhook_deliveries_user_idx" ON "webhook_deliveries"("tenant_id", "external_user_id");
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries"("tenant_id", "endpoint_id", "created_at");

-- Everything after the tables runs in one DO block: on Citus, DDL sent as part of a multi-statement
-- script is propagated to the workers with the whole script and fails ("cannot insert multiple
-- commands into a prepared statement"); inside PL/pgSQL each statement travels alone.
-- On Citus the endpoints are a reference table and the deliveries are distributed by end user,
-- co-located with the end user's other tables: enqueuing is part of the end user's single-shard
-- transaction (an INSERT … SELECT into a reference table would go through COPY, which row-level
-- security refuses). Both are laid out before their foreign keys.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    -- The foreign keys below touch the tenants reference table, which Citus allows after a
    -- distributed operation only if that ran sequentially.
    PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
    PERFORM create_reference_table('webhook_endpoints');
    ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_pkey;
    ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (tenant_id, external_user_id, endpoint_id, event_id);
    PERFORM create_distributed_table('webhook_deliveries', 'external_user_id', colocate_with => 'end_users');
  END IF;

  ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_fkey" FOREIGN KEY ("tenant_id", "endpoint_id") REFERENCES "webhook_endpoints"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

  GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_deliveries TO memgate_app;
  -- The signing secret is written once and read only by the dispatcher (privileged): memgate_app
  -- may not read it, from any scope.
  GRANT INSERT, DELETE ON webhook_endpoints TO memgate_app;
  GRANT SELECT (tenant_id, id, url, event_types, enabled, disabled_reason, disabled_at, created_at),
        UPDATE (url, event_types, enabled, disabled_reason, disabled_at) ON webhook_endpoints TO memgate_app;

  ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
  ALTER TABLE webhook_endpoints FORCE ROW LEVEL SECURITY;
  -- Every write reads which endpoints want its events; only tenant-wide administration changes them.
  CREATE POLICY webhook_endpoints_read ON webhook_endpoints FOR SELECT
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
  CREATE POLICY webhook_endpoints_write ON webhook_endpoints FOR ALL
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
           AND current_setting('app.tenant_wide', true) = 'on')
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
                AND current_setting('app.tenant_wide', true) = 'on');

  ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
  ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
  -- An end user's change enqueues its deliveries; reading and replaying them is tenant-wide work.
  CREATE POLICY webhook_deliveries_enqueue ON webhook_deliveries FOR INSERT
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
                AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''));
  CREATE POLICY webhook_deliveries_tenant_wide ON webhook_deliveries FOR ALL
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
           AND current_setting('app.tenant_wide', true) = 'on')
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
                AND current_setting('app.tenant_wide', true) = 'on');

  -- Erasing an end user removes what the outbox holds about them (their deliveries' payloads).
  CREATE POLICY webhook_deliveries_own_user_read ON webhook_deliveries FOR SELECT
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
           AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''));
  CREATE POLICY webhook_deliveries_own_user_erase ON webhook_deliveries FOR DELETE
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
           AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''));
END $$;
