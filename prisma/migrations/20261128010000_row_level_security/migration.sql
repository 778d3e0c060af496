-- Row-level security: PostgreSQL itself confines every tenant-owned row to the scope recorded in
-- transaction-local settings (set_config(..., true)) by src/db/scope.ts:
--   app.tenant_id         the tenant (uuid)
--   app.external_user_id  the end user
--   app.tenant_wide       'on' for tenant-wide reads (listing end users); never for writes
-- Unset or empty settings match nothing: the policies fail closed.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'memgate_app') THEN
    CREATE ROLE memgate_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END $$;
-- The connecting (privileged) role switches into memgate_app for user-scoped work.
GRANT memgate_app TO CURRENT_USER;

GRANT USAGE ON SCHEMA public TO memgate_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON memories, memory_events, idempotency_keys, end_users TO memgate_app;
GRANT SELECT, INSERT, UPDATE ON api_keys TO memgate_app;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
-- The privileged path (superuser or BYPASSRLS) reads tenants; memgate_app has no grant on it.

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY api_keys_tenant ON api_keys
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE end_users ENABLE ROW LEVEL SECURITY;
ALTER TABLE end_users FORCE ROW LEVEL SECURITY;
ALTER TABLE memories ENABLE ROW LEVEL SECURITY;
ALTER TABLE memories FORCE ROW LEVEL SECURITY;
ALTER TABLE memory_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory_events FORCE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;

-- One end user's rows: read and write.
CREATE POLICY end_users_user ON end_users
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
         AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''))
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
              AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''));
CREATE POLICY memories_user ON memories
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
         AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''))
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
              AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''));
CREATE POLICY memory_events_user ON memory_events
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
         AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''))
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
              AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''));
CREATE POLICY idempotency_keys_user ON idempotency_keys
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
         AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''))
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
              AND external_user_id = NULLIF(current_setting('app.external_user_id', true), ''));

-- Tenant-wide reads (end-user listings, counts, node lookups): SELECT only, never writes.
CREATE POLICY end_users_tenant_read ON end_users FOR SELECT
  USING (current_setting('app.tenant_wide', true) = 'on'
         AND tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY memories_tenant_read ON memories FOR SELECT
  USING (current_setting('app.tenant_wide', true) = 'on'
         AND tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
