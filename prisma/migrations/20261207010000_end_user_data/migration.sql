-- An end user's scope may queue its own webhook deliveries but not read them: search, lists and
-- every other per-user statement see none. Only the end user's own data requests — the GDPR export
-- and the erasure — read and delete them, and only that user's, by turning on app.end_user_data
-- for their transaction (SET LOCAL, so that Citus's workers see it).
-- In a DO block: on Citus, DDL sent as part of a multi-statement script does not reach the workers.
DO $$
BEGIN
  DROP POLICY webhook_deliveries_own_user_read ON webhook_deliveries;
  DROP POLICY webhook_deliveries_own_user_erase ON webhook_deliveries;
  CREATE POLICY webhook_deliveries_end_user_data_read ON webhook_deliveries FOR SELECT
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
           AND external_user_id = NULLIF(current_setting('app.external_user_id', true), '')
           AND current_setting('app.end_user_data', true) = 'on');
  CREATE POLICY webhook_deliveries_end_user_data_erase ON webhook_deliveries FOR DELETE
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
           AND external_user_id = NULLIF(current_setting('app.external_user_id', true), '')
           AND current_setting('app.end_user_data', true) = 'on');
END $$;
