-- The scope of a transaction, entered by one function on every database. On Citus the workers
-- evaluate the row-level security policies, and they only see settings made by SET LOCAL while
-- citus.propagate_set_commands is 'local' (set_config() stays on the coordinator). SET cannot
-- take parameters, hence EXECUTE with %L literals. Elsewhere the citus.* setting is an inert
-- placeholder. Called before the switch to memgate_app (see src/db/scope.ts).
CREATE OR REPLACE FUNCTION memgate_enter_scope(tenant_id text, external_user_id text, tenant_wide text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  SET LOCAL citus.propagate_set_commands = 'local';
  EXECUTE format('SET LOCAL app.tenant_id = %L', tenant_id);
  EXECUTE format('SET LOCAL app.external_user_id = %L', external_user_id);
  EXECUTE format('SET LOCAL app.tenant_wide = %L', tenant_wide);
END $$;

-- On Citus (and only there), the layout for many machines:
-- * the small tenant-level tables are reference tables (a copy on every node);
-- * every end user's table is distributed by external_user_id, all co-located: one end user's
--   rows of every table live on one shard, so each per-user query is a single-shard query, and a
--   tenant with millions of end users spreads over every worker (by tenant_id it would sit on one);
-- * primary keys include the distribution column, as Citus requires;
-- * memgate_app may log in: after SET ROLE the coordinator opens its worker connections as it.
-- Row-level security policies and grants go with the tables to their shards.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    RETURN;
  END IF;
  ALTER ROLE memgate_app LOGIN;
  PERFORM create_reference_table('tenants');
  PERFORM create_reference_table('api_keys');
  PERFORM create_reference_table('redaction_rules');
  -- A write to api_keys or redaction_rules locks the tenants table they point at on every node,
  -- and Citus lets only a role that may write tenants take that lock. Row-level security on
  -- tenants (forced, no policy for memgate_app) still gives it no row to insert or update.
  GRANT INSERT, UPDATE ON tenants TO memgate_app;
  ALTER TABLE memories DROP CONSTRAINT memories_pkey;
  ALTER TABLE memories ADD CONSTRAINT memories_pkey PRIMARY KEY (tenant_id, external_user_id, id);
  ALTER TABLE memory_events DROP CONSTRAINT memory_events_pkey;
  ALTER TABLE memory_events ADD CONSTRAINT memory_events_pkey PRIMARY KEY (tenant_id, external_user_id, id);
  ALTER TABLE conversations DROP CONSTRAINT conversations_pkey;
  ALTER TABLE conversations ADD CONSTRAINT conversations_pkey PRIMARY KEY (tenant_id, external_user_id, id);
  ALTER TABLE llm_usage DROP CONSTRAINT llm_usage_pkey;
  ALTER TABLE llm_usage ADD CONSTRAINT llm_usage_pkey PRIMARY KEY (tenant_id, external_user_id, id);
  -- A table cannot be distributed while local tables still point at it: the end-user foreign keys
  -- are dropped, and made again once every table is distributed (co-located, so they hold per shard).
  ALTER TABLE memories DROP CONSTRAINT memories_end_user_fkey;
  ALTER TABLE memory_events DROP CONSTRAINT memory_events_end_user_fkey;
  ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_end_user_fkey;
  ALTER TABLE conversations DROP CONSTRAINT conversations_end_user_fkey;
  ALTER TABLE llm_usage DROP CONSTRAINT llm_usage_end_user_fkey;
  PERFORM create_distributed_table('end_users', 'external_user_id');
  PERFORM create_distributed_table('memories', 'external_user_id', colocate_with => 'end_users');
  PERFORM create_distributed_table('memory_events', 'external_user_id', colocate_with => 'end_users');
  PERFORM create_distributed_table('idempotency_keys', 'external_user_id', colocate_with => 'end_users');
  PERFORM create_distributed_table('conversations', 'external_user_id', colocate_with => 'end_users');
  PERFORM create_distributed_table('llm_usage', 'external_user_id', colocate_with => 'end_users');
  ALTER TABLE memories ADD CONSTRAINT memories_end_user_fkey FOREIGN KEY (tenant_id, external_user_id)
    REFERENCES end_users (tenant_id, external_user_id) ON DELETE CASCADE;
  ALTER TABLE memory_events ADD CONSTRAINT memory_events_end_user_fkey FOREIGN KEY (tenant_id, external_user_id)
    REFERENCES end_users (tenant_id, external_user_id) ON DELETE CASCADE;
  ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_end_user_fkey FOREIGN KEY (tenant_id, external_user_id)
    REFERENCES end_users (tenant_id, external_user_id) ON DELETE CASCADE;
  ALTER TABLE conversations ADD CONSTRAINT conversations_end_user_fkey FOREIGN KEY (tenant_id, external_user_id)
    REFERENCES end_users (tenant_id, external_user_id) ON DELETE CASCADE;
  ALTER TABLE llm_usage ADD CONSTRAINT llm_usage_end_user_fkey FOREIGN KEY (tenant_id, external_user_id)
    REFERENCES end_users (tenant_id, external_user_id) ON DELETE CASCADE;
END $$;
