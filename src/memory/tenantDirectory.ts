import DataLoader from 'dataloader';
import { countMemoriesByUserSql, type EndUserStatsRow } from '../db/memorySql.js';
import type { ScopedDatabase } from '../db/scope.js';
import type { EndUserRecord, MemoryRecord } from './model.js';
import { decodeCursor, encodeCursor, planPage, toPage, type Page, type PageArgs } from './pagination.js';
import { memorySelect } from './selects.js';
import { isUuid } from './userMemories.js';

/** Tenant-wide reads for one request: the tenant's end users, their counts, memories by id. */
export class TenantDirectory {
  readonly memoryCount: DataLoader<string, number>;
  readonly memoryById: DataLoader<string, MemoryRecord | null>;

  constructor(private readonly db: ScopedDatabase) {
    if (db.scope.externalUserId !== undefined) throw new Error('TenantDirectory needs a tenant scope');
    this.memoryCount = new DataLoader(async (ids) => {
      const [rows] = await db.read<[EndUserStatsRow[]]>([countMemoriesByUserSql(db.scope.tenantId, ids)]);
      const counts = new Map(rows.map((row) => [row.externalUserId, row.memoryCount]));
      return ids.map((id) => counts.get(id) ?? 0);
    });
    this.memoryById = new DataLoader(async (ids) => {
      const wanted = ids.filter(isUuid);
      const rows = await db.transaction((tx) =>
        tx.memory.findMany({ where: { id: { in: wanted }, deletedAt: null }, select: memorySelect }),
      );
      const byId = new Map(rows.map((row) => [row.id, { ...row, metadata: row.metadata as Record<string, unknown> }]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /** Model tokens the tenant used between two instants, per operation and model. */
  async usage(from: Date, to: Date) {
    return this.db.transaction((tx) =>
      tx.llmUsage.groupBy({
        by: ['operation', 'model'],
        where: { createdAt: { gte: from, lt: to } },
        _count: { _all: true },
        _sum: { inputTokens: true, outputTokens: true },
        orderBy: [{ operation: 'asc' }, { model: 'asc' }],
      }),
    );
  }

  async endUser(externalUserId: string): Promise<EndUserRecord | null> {
    return this.db.transaction((tx) =>
      tx.endUser.findFirst({ where: { externalUserId }, select: { externalUserId: true, createdAt: true, lastActivityAt: true } }),
    );
  }

  /** The tenant's end users in order of their identifier. */
  async endUsers(args: PageArgs): Promise<Page<EndUserRecord>> {
    const plan = planPage(args, (cursor, field) => decodeCursor(cursor, field, 1)[0]);
    const rows =
      plan.take === 0
        ? []
        : await this.db.transaction((tx) =>
            tx.endUser.findMany({
              where: plan.from === undefined ? {} : { externalUserId: plan.backward ? { lt: plan.from } : { gt: plan.from } },
              orderBy: { externalUserId: plan.backward ? 'desc' : 'asc' },
              take: plan.take + 1,
              select: { externalUserId: true, createdAt: true, lastActivityAt: true },
            }),
          );
    return toPage(rows, plan, (row) => encodeCursor([row.externalUserId]));
  }
}
