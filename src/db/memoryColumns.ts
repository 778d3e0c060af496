import { Prisma } from '../generated/prisma/client.js';
import type { MemoryEventRecord, MemoryRecord } from '../model.js';

/**
 * The one column list of a memory: each field of MemoryRecord and the column that holds it (never
 * the vector or the hash). Every read and every write's answer selects through it; a field added to
 * MemoryRecord does not compile until it has its column here.
 */
const MEMORY_COLUMNS = {
  id: 'id',
  externalUserId: 'external_user_id',
  content: 'content',
  metadata: 'metadata',
  tags: 'tags',
  embeddingModel: 'embedding_model',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  occurredAt: 'occurred_at',
  expiresAt: 'expires_at',
  threadId: 'thread_id',
} as const satisfies Record<Exclude<keyof MemoryRecord, 'deletedAt'>, string>;

const EVENT_COLUMNS = {
  id: 'id',
  memoryId: 'memory_id',
  kind: 'kind',
  oldContent: 'old_content',
  newContent: 'new_content',
  changedFields: 'changed_fields',
  conversationId: 'conversation_id',
  reason: 'reason',
  actor: 'actor',
  createdAt: 'created_at',
} as const satisfies Record<keyof MemoryEventRecord, string>;

function selectList(columns: Record<string, string>, table = ''): Prisma.Sql {
  const prefix = table ? `${table}.` : '';
  return Prisma.raw(
    Object.entries(columns)
      .map(([field, column]) => `${prefix}${column} AS "${field}"`)
      .join(', '),
  );
}

const lists = new Map<string, Prisma.Sql>();
const cached = (key: string, make: () => Prisma.Sql) => lists.get(key) ?? lists.set(key, make()).get(key)!;

/** A memory's columns as MemoryRecord's fields, of `memories` or of the table aliased `table`. */
export function memoryColumns(table = ''): Prisma.Sql {
  return cached(`memory:${table}`, () => selectList(MEMORY_COLUMNS, table));
}

/** The memory columns and when it was deleted (null while it is live). */
export function storedColumns(table = ''): Prisma.Sql {
  return cached(`stored:${table}`, () => selectList({ ...MEMORY_COLUMNS, deletedAt: 'deleted_at' }, table));
}

/** The fields of a row already selected through memoryColumns (from a CTE). */
export const memoryFields = Prisma.raw(
  Object.keys(MEMORY_COLUMNS)
    .map((field) => `"${field}"`)
    .join(', '),
);

/** A history event's columns as MemoryEventRecord's fields. */
export const eventColumns = selectList(EVENT_COLUMNS);
