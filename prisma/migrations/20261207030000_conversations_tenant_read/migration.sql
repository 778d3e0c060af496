-- node(id) finds a conversation job by its global id alone: a tenant-wide read, SELECT only, as for
-- memories (the job query of a key already reads any of its end users' jobs).
-- In a DO block: on Citus, DDL sent as part of a multi-statement script does not reach the workers.
DO $$
BEGIN
  CREATE POLICY conversations_tenant_read ON conversations FOR SELECT
    USING (current_setting('app.tenant_wide', true) = 'on'
           AND tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
END $$;
