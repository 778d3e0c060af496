import DataLoader from 'dataloader';
import { countMemoriesByUserSql, type EndUserStatsRow } from '../db/memorySql.js';
import type { ScopedDatabase } from '../db/scope.js';
import type { EndUserRecord, MemoryRecord } from '../model.js';
import { decodeCursor, encodeCursor, planPage, toPage, type Page, type PageArgs } from './pagination.js';
import { memorySelect } from './selects.js';
import { isUuid } from './validate.js';

export interface UsageTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  modelMs: number;
}

export interface UsagePeriod {
  from: Date;
  to: Date;
}

export type UsageLine = UsageTotals & { operation: string; model: string };
/** Carries its period, so that its lines per operation can be loaded for the same one. */
export type EndUserUsage = UsageTotals & UsagePeriod & { externalUserId: string };

function usageTotals(row: {
  _count: { _all: number };
  _sum: { inputTokens: number | null; outputTokens: number | null; modelMs: number | null };
}): UsageTotals {
  return { calls: row._count._all, inputTokens: row._sum.inputTokens ?? 0, outputTokens: row._sum.outputTokens ?? 0, modelMs: row._sum.modelMs ?? 0 };
}

/** Tenant-wide reads for one request: the tenant's end users, their counts, memories by id. */
export class TenantDirectory {
  readonly memoryCount: DataLoader<string, number>;
  readonly memoryById: DataLoader<string, MemoryRecord | null>;
  /** One end user's usage lines per operation and model, in a period: one query for a page of them. */
  readonly usageLinesOf: DataLoader<EndUserUsage, UsageLine[], string>;

  constructor(private readonly db: ScopedDatabase) {
    if (db.scope.externalUserId !== undefined) throw new Error('TenantDirectory needs a tenant scope');
    this.memoryCount = new DataLoader(async (ids) => {
      const [rows] = await db.read<[EndUserStatsRow[]]>([countMemoriesByUserSql(db.scope.tenantId, ids)]);
      const counts = new Map(rows.map((row) => [row.externalUserId, row.memoryCount]));
      return ids.map((id) => counts.get(id) ?? 0);
    });
    this.memoryById = new DataLoader(async (ids) => {
      const wanted = ids.filter(isUuid);
      const rows = await db.transaction((tx) => tx.memory.findMany({ where: { id: { in: wanted }, deletedAt: null }, select: memorySelect }));
      const byId = new Map(rows.map((row) => [row.id, { ...row, metadata: row.metadata as Record<string, unknown> }]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    const periodKey = (period: UsagePeriod) => `${period.from.toISOString()}/${period.to.toISOString()}`;
    this.usageLinesOf = new DataLoader(
      async (users) => {
        const periods = new Map(users.map((user) => [periodKey(user), user]));
        const lines = new Map<string, UsageLine[]>();
        for (const [key, period] of periods) {
          const wanted = users.filter((user) => periodKey(user) === key).map((user) => user.externalUserId);
          const rows = await db.transaction((tx) =>
            tx.llmUsage.groupBy({
              by: ['externalUserId', 'operation', 'model'],
              where: { createdAt: { gte: period.from, lt: period.to }, externalUserId: { in: wanted } },
              _count: { _all: true },
              _sum: { inputTokens: true, outputTokens: true, modelMs: true },
              orderBy: [{ operation: 'asc' }, { model: 'asc' }],
            }),
          );
          for (const row of rows) {
            const userKey = `${key}/${row.externalUserId}`;
            lines.set(userKey, [...(lines.get(userKey) ?? []), { operation: row.operation, model: row.model, ...usageTotals(row) }]);
          }
        }
        return users.map((user) => lines.get(`${periodKey(user)}/${user.externalUserId}`) ?? []);
      },
      { cacheKeyFn: (user) => `${periodKey(user)}/${user.externalUserId}` },
    );
  }

  /** Model calls the tenant made between two instants, per operation and model. */
  async usage(from: Date, to: Date): Promise<UsageLine[]> {
    const rows = await this.db.transaction((tx) =>
      tx.llmUsage.groupBy({
        by: ['operation', 'model'],
        where: { createdAt: { gte: from, lt: to } },
        _count: { _all: true },
        _sum: { inputTokens: true, outputTokens: true, modelMs: true },
        orderBy: [{ operation: 'asc' }, { model: 'asc' }],
      }),
    );
    return rows.map((row) => ({ operation: row.operation, model: row.model, ...usageTotals(row) }));
  }

  /** Model calls between two instants per end user (or of one), in order of their identifier. */
  async usageByEndUser(period: UsagePeriod, args: PageArgs & { externalUserId?: string }): Promise<Page<EndUserUsage>> {
    const plan = planPage(args, (cursor, field) => decodeCursor(cursor, field, 1)[0]);
    const userFilter = {
      ...(args.externalUserId === undefined ? {} : { equals: args.externalUserId }),
      ...(plan.from === undefined ? {} : plan.backward ? { lt: plan.from } : { gt: plan.from }),
    };
    const rows =
      plan.take === 0
        ? []
        : await this.db.transaction((tx) =>
            tx.llmUsage.groupBy({
              by: ['externalUserId'],
              where: { createdAt: { gte: period.from, lt: period.to }, externalUserId: userFilter },
              _count: { _all: true },
              _sum: { inputTokens: true, outputTokens: true, modelMs: true },
              orderBy: { externalUserId: plan.backward ? 'desc' : 'asc' },
              take: plan.take + 1,
            }),
          );
    const lines = rows.map((row) => ({ ...period, externalUserId: row.externalUserId, ...usageTotals(row) }));
    return toPage(lines, plan, (line) => encodeCursor([line.externalUserId]));
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
