import {
  countMemoriesAsOfSql,
  countMemoriesSql,
  listMemoriesSql,
  memoriesAsOfSql,
  storedMemorySql,
  type UserKey,
} from '../db/memorySql.js';
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

type MemoryThen = MemoryRecord & { contentThen: string; changedThen: Date };

/** A memory as it was (see memoriesAsOfSql): its text then, changed then, live then. */
function asItWas({ contentThen, changedThen, ...memory }: MemoryThen): MemoryRecord {
  return { ...memory, content: contentThen, updatedAt: changedThen, deletedAt: null };
}

/**
 * One page of an end user's live memories, or of their deleted ones, newest first (keyset
 * cursors); with `asOf`, of those that were live then, as they were.
 */
export async function memoryPage(
  db: ScopedDatabase,
  key: UserKey,
  args: PageArgs,
  filter: MemoryFilter,
  deleted: boolean,
  asOf?: Date | null,
): Promise<MemoryConnection> {
  if (asOf && deleted)
    throw new ValidationError('asOf', 'asOf lists the memories live at that time: not with deleted.');
  const plan = planPage(args, decodeMemoryCursor);
  const query = { filter, after: plan.from, backward: plan.backward, take: plan.take + 1, deleted };
  const sql = asOf ? memoriesAsOfSql(key, checkAsOf(asOf), query) : listMemoriesSql(key, query);
  const [rows] = plan.take === 0 ? [[]] : await db.read<[MemoryThen[]]>([sql]);
  const page = toPage(asOf ? rows.map(asItWas) : rows, plan, (row) =>
    encodeCursor([row.createdAt.toISOString(), row.id]),
  );
  const count = asOf ? countMemoriesAsOfSql(key, asOf, filter) : countMemoriesSql(key, filter, deleted);
  const totalCount = async () => (await db.read<[{ count: number }[]]>([count]))[0][0].count;
  return { ...page, totalCount };
}

/**
 * One memory, deleted or not; with `asOf`, as it was then (null: not stored yet, deleted or
 * expired then).
 */
export async function storedMemory(
  db: ScopedDatabase,
  key: UserKey,
  id: string,
  asOf?: Date | null,
): Promise<MemoryRecord | null> {
  if (!asOf) return (await db.read<[MemoryRecord[]]>([storedMemorySql(key, id)]))[0][0] ?? null;
  const [[row]] = await db.read<[MemoryThen[]]>([memoriesAsOfSql(key, checkAsOf(asOf), { id })]);
  return row ? asItWas(row) : null;
}

function checkAsOf(asOf: Date): Date {
  if (Number.isNaN(asOf.getTime())) throw new ValidationError('asOf', 'asOf must be a valid date.');
  return asOf;
}
