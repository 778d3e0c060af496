-- Who asked for each change to a memory: {"kind":"API_KEY","apiKeyId":…,"keyPrefix":…,"keyName":…}
-- (the key as it was named then), {"kind":"END_USER_TOKEN"} or {"kind":"OPERATOR"} (memgate import);
-- null for changes Claude made from a conversation (conversation_id says which) and for those
-- recorded before this column.
-- In a DO block: on Citus, DDL sent as part of a multi-statement script fails to reach the workers
-- (see the webhooks migration); the column is added to every shard.
DO $$
BEGIN
  ALTER TABLE memory_events ADD COLUMN actor JSONB;
END $$;
