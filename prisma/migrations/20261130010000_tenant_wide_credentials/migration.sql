-- API keys belong to the tenant's administration, never to one end user's scope: an end user's
-- scope (app.external_user_id set) could read key hashes and insert a key, since the policy
-- checked only the tenant. Now only a tenant-wide scope (app.tenant_wide = 'on', set for the
-- tenant's key administration) reaches them. Redaction rules stay readable from an end user's
-- scope (every write applies them) and are written tenant-wide only.
DROP POLICY api_keys_tenant ON api_keys;
CREATE POLICY api_keys_tenant_wide ON api_keys
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
         AND current_setting('app.tenant_wide', true) = 'on')
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
              AND current_setting('app.tenant_wide', true) = 'on');

DROP POLICY redaction_rules_tenant ON redaction_rules;
CREATE POLICY redaction_rules_read ON redaction_rules FOR SELECT
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY redaction_rules_write ON redaction_rules FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
         AND current_setting('app.tenant_wide', true) = 'on')
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
              AND current_setting('app.tenant_wide', true) = 'on');
