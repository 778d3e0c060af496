import DataLoader from 'dataloader';
import type { ScopedDatabase } from '../db/scope.js';
import {
  countMemoriesByUserSql,
  endUserSql,
  endUsersPageSql,
  tenantJobsByIdSql,
  tenantMemoriesByIdSql,
  usageByDaySql,
  usageByEndUserSql,
  usageByOperationSql,
  type EndUserStatsRow,
  type UsageRow,
} from '../db/tenantSql.js';
import type { EndUserRecord, MemoryRecord } from '../model.js';
import { toJob, type JobRecord, type JobRow } from './jobRecord.js';
import { decodeCursor, encodeCursor, planPage, toPage, type Page, type PageArgs } from './pagination.js';
import { isUuid } from './validate.js';
import { ValidationError } from '../errors.js';

const DAY_MS = 86_400_000;

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
export type UsageDay = UsageTotals & { day: Date };
/** Carries its period, so that its lines per operation can be loaded for the same one. */
export type EndUserUsage = UsageTotals & UsagePeriod & { externalUserId: string };

const usageLine = ({ operation, model, calls, inputTokens, outputTokens, modelMs }: UsageRow): UsageLine => ({
  operation,
  model,
  calls,
  inputTokens,
  outputTokens,
  modelMs,
});

/** Tenant-wide reads for one request: the tenant's end users, their counts, memories and jobs by id. */
export class TenantDirectory {
  readonly memoryCount: DataLoader<string, number>;
  readonly memoryById: DataLoader<string, MemoryRecord | null>;
  readonly jobById: DataLoader<string, JobRecord | null>;
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
      const [rows] = wanted.length
        ? await db.read<[MemoryRecord[]]>([tenantMemoriesByIdSql(db.scope.tenantId, wanted)])
        : [[]];
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    this.jobById = new DataLoader(async (ids) => {
      const wanted = ids.filter(isUuid);
      const [rows] = wanted.length ? await db.read<[JobRow[]]>([tenantJobsByIdSql(db.scope.tenantId, wanted)]) : [[]];
      const byId = new Map(rows.map((row) => [row.id, toJob(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    const periodKey = (period: UsagePeriod) => `${period.from.toISOString()}/${period.to.toISOString()}`;
    this.usageLinesOf = new DataLoader(
      async (users) => {
        const periods = new Map(users.map((user) => [periodKey(user), user]));
        const lines = new Map<string, UsageLine[]>();
        for (const [key, period] of periods) {
          const wanted = users.filter((user) => periodKey(user) === key).map((user) => user.externalUserId);
          const [rows] = await db.read<[UsageRow[]]>([
            usageByOperationSql(db.scope.tenantId, period.from, period.to, wanted),
          ]);
          for (const row of rows) {
            const userKey = `${key}/${row.externalUserId}`;
            lines.set(userKey, [...(lines.get(userKey) ?? []), usageLine(row)]);
          }
        }
        return users.map((user) => lines.get(`${periodKey(user)}/${user.externalUserId}`) ?? []);
      },
      { cacheKeyFn: (user) => `${periodKey(user)}/${user.externalUserId}` },
    );
  }

  /** Model calls the tenant made between two instants, per operation and model. */
  async usage(from: Date, to: Date): Promise<UsageLine[]> {
    const [rows] = await this.db.read<[UsageRow[]]>([usageByOperationSql(this.db.scope.tenantId, from, to)]);
    return rows.map(usageLine);
  }

  /** Model calls per UTC day, every day from the one holding `from` to the one holding `to`. */
  async usageByDay(from: Date, to: Date): Promise<UsageDay[]> {
    const first = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
    const days = Math.floor((to.getTime() - first) / DAY_MS) + 1;
    if (!(to > from) || days > 366)
      throw new ValidationError('to', '`to` must be after `from`, at most 366 days later.');
    const [rows] = await this.db.read<[(UsageTotals & { day: Date })[]]>([
      usageByDaySql(this.db.scope.tenantId, new Date(first), new Date(first + days * DAY_MS)),
    ]);
    const byDay = new Map(rows.map((row) => [new Date(row.day).getTime(), row]));
    return Array.from({ length: days }, (_, i) => {
      const day = first + i * DAY_MS;
      const { calls = 0, inputTokens = 0, outputTokens = 0, modelMs = 0 } = byDay.get(day) ?? {};
      return { day: new Date(day), calls, inputTokens, outputTokens, modelMs };
    });
  }

  /** Model calls between two instants per end user (or of one), in order of their identifier. */
  async usageByEndUser(period: UsagePeriod, args: PageArgs & { externalUserId?: string }): Promise<Page<EndUserUsage>> {
    const plan = planPage(args, (cursor, field) => decodeCursor(cursor, field, 1)[0]);
    const page = { from: plan.from, backward: plan.backward, take: plan.take + 1, externalUserId: args.externalUserId };
    const [rows] =
      plan.take === 0
        ? [[]]
        : await this.db.read<[Omit<UsageRow, 'operation' | 'model'>[]]>([
            usageByEndUserSql(this.db.scope.tenantId, period.from, period.to, page),
          ]);
    const lines = rows.map((row) => ({ ...period, ...row }));
    return toPage(lines, plan, (line) => encodeCursor([line.externalUserId]));
  }

  async endUser(externalUserId: string): Promise<EndUserRecord | null> {
    const [[row]] = await this.db.read<[EndUserRecord[]]>([endUserSql(this.db.scope.tenantId, externalUserId)]);
    return row ?? null;
  }

  /** The tenant's end users in order of their identifier. */
  async endUsers(args: PageArgs): Promise<Page<EndUserRecord>> {
    const plan = planPage(args, (cursor, field) => decodeCursor(cursor, field, 1)[0]);
    const page = { from: plan.from, backward: plan.backward, take: plan.take + 1 };
    const [rows] =
      plan.take === 0 ? [[]] : await this.db.read<[EndUserRecord[]]>([endUsersPageSql(this.db.scope.tenantId, page)]);
    return toPage(rows, plan, (row) => encodeCursor([row.externalUserId]));
  }
}
