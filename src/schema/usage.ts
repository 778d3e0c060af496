import type {
  EndUserUsage as EndUserUsageRecord,
  UsageDay as UsageDayRecord,
  UsageLine as UsageLineRecord,
  UsageTotals,
} from '../memory/tenantDirectory.js';
import { ValidationError } from '../errors.js';
import { builder } from './builder.js';
import { operation } from './operations.js';

/** The tenant's model usage (ADMIN): per operation and model, per end user, per day. */

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

const usageTotalsFields = <T extends UsageTotals>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, T>) => ({
  calls: t.int({ resolve: (line) => line.calls }),
  inputTokens: t.int({ resolve: (line) => line.inputTokens }),
  outputTokens: t.int({ resolve: (line) => line.outputTokens }),
  modelSeconds: t.float({
    description: 'Time spent waiting for the model (retries included).',
    resolve: (line) => line.modelMs / 1000,
  }),
});

const UsageLine = builder.objectRef<UsageLineRecord>('UsageLine').implement({
  authScopes: { public: true },
  fields: (t) => ({ operation: t.exposeString('operation'), model: t.exposeString('model'), ...usageTotalsFields(t) }),
});

const EndUserUsage = builder.objectRef<EndUserUsageRecord>('EndUserUsage').implement({
  authScopes: { public: true },
  description: "One end user's model calls in the period: in all, and per operation and model.",
  fields: (t) => ({
    externalUserId: t.exposeString('externalUserId'),
    ...usageTotalsFields(t),
    byOperation: t.field({ type: [UsageLine], resolve: (user, _args, ctx) => ctx.tenant.usageLinesOf(user) }),
  }),
});

const EndUserUsageConnection = builder.connectionObject({ type: EndUserUsage, name: 'EndUserUsageConnection' });

const UsageDay = builder.objectRef<UsageDayRecord>('UsageDay').implement({
  authScopes: { public: true },
  description: 'Model calls in one UTC day.',
  fields: (t) => ({
    day: t.expose('day', { type: 'DateTime', description: 'Midnight UTC that starts the day.' }),
    ...usageTotalsFields(t),
  }),
});

const DailyUsage = builder.objectRef<{ days: UsageDayRecord[] }>('DailyUsage').implement({
  authScopes: { public: true },
  fields: (t) => ({
    days: t.field({
      type: [UsageDay],
      description: 'Every day of the period, in order.',
      resolve: (usage) => usage.days,
    }),
  }),
});

builder.queryFields((t) => ({
  usage: t.field({
    ...operation('usage'),
    type: [UsageLine],
    description:
      "The tenant's model usage between two instants, per operation and model (ADMIN). Per end user: usageByEndUser.",
    args: { from: t.arg({ type: 'DateTime', required: true }), to: t.arg({ type: 'DateTime', required: true }) },
    resolve: (_root, args, ctx) => ctx.tenant.usage(args),
  }),
  usageByEndUser: t.field({
    ...operation('usageByEndUser'),
    type: builder.errorUnion('UsageByEndUserResult', {
      types: [EndUserUsageConnection, ValidationError],
      resolveType: () => 'EndUserUsageConnection',
    }),
    description:
      "The tenant's model usage between two instants per end user (for cost attribution), ordered by externalUserId; only that end user's when externalUserId is given (ADMIN; Relay pagination, at most 100 a page).",
    args: {
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      externalUserId: t.arg.string({ required: false }),
      first: t.arg.int(),
      after: t.arg.string(),
      last: t.arg.int(),
      before: t.arg.string(),
    },
    resolve: (_root, { from, to, ...page }, ctx) => ctx.tenant.usageByEndUser({ from, to }, page),
  }),
  usageByDay: t.field({
    ...operation('usageByDay'),
    type: DailyUsage,
    errors: { types: [ValidationError] },
    description:
      "The tenant's model usage per UTC day from the day holding `from` to the one holding `to` (at most 366 days; days without calls count zero) — for charts (ADMIN).",
    args: { from: t.arg({ type: 'DateTime', required: true }), to: t.arg({ type: 'DateTime', required: true }) },
    resolve: async (_root, args, ctx) => ({ days: await ctx.tenant.usageByDay(args) }),
  }),
}));
