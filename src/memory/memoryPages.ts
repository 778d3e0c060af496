import { countMemoriesSql, listMemoriesSql, type UserKey } from '../db/memorySql.js';
import type { ScopedDatabase } from '../db/scope.js';
import { ValidationError } from '../errors.js';
import type { MemoryFilter, MemoryRecord } from '../model.js';
import { decodeCursor, encodeCursor, planPage, toPage, type Page, type PageArgs } from './pagination.js';
import { isUuid } from './validate.js';

export interface MemoryConnection extends Page<MemoryRecord> {
  totalCount: () => Promise<number>;
}

function decodeMemoryCursor(cursor: string, field: string) {
  const [createdAt, id] = decodeCursor(cursor, field, 2);
  const date = new Date(createdAt);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1 || year > 9999 || !isUuid(id)) {
    throw new ValidationError(field, `${field} is not a cursor returned by this connection.`);
  }
  return { createdAt: date, id };
}

/** One page of an end user's live memories, or of their deleted ones, newest first (keyset cursors). */
export async function memoryPage(
  db: ScopedDatabase,
  key: UserKey,
  args: PageArgs,
  filter: MemoryFilter,
  deleted: boolean,
): Promise<MemoryConnection> {
  const plan = planPage(args, decodeMemoryCursor);
  const query = { filter, after: plan.from, backward: plan.backward, take: plan.take + 1, deleted };
  const [rows] = plan.take === 0 ? [[]] : await db.read<[MemoryRecord[]]>([listMemoriesSql(key, query)]);
  const page = toPage(rows, plan, (row) => encodeCursor([row.createdAt.toISOString(), row.id]));
  const totalCount = async () =>
    (await db.read<[{ count: number }[]]>([countMemoriesSql(key, filter, deleted)]))[0][0].count;
  return { ...page, totalCount };
}
