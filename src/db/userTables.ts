/** The tables that hold an end user's rows, in the order an erasure deletes them. */
export const USER_TABLES = [
  'entity_relations',
  'memory_entities',
  'entities',
  'memory_events',
  'idempotency_keys',
  'memory_words',
  'memories',
  'conversations',
  'llm_usage',
  'end_users',
] as const;

/** Rows removed by an erasure, per table. */
export type ErasedRows = Record<(typeof USER_TABLES)[number], number>;
