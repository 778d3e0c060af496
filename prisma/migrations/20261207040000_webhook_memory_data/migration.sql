-- An endpoint may take thin events: ids, kinds and statuses, without the memory's content, tags,
-- metadata or reasons (the tenant's backend fetches what it needs through the API).
-- In a DO block: on Citus, DDL sent as part of a multi-statement script does not reach the workers.
DO $$
BEGIN
  ALTER TABLE webhook_endpoints ADD COLUMN include_memory_data boolean NOT NULL DEFAULT true;
  GRANT SELECT (include_memory_data), UPDATE (include_memory_data) ON webhook_endpoints TO memgate_app;
END $$;
