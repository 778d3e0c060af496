import type { EndUserRecord } from '../model.js';
import { builder } from './builder.js';
import { operation } from './operations.js';
import { userIdOptions } from './userArgument.js';
import { NotFoundError, ValidationError } from '../errors.js';

const EndUser = builder.objectRef<EndUserRecord>('EndUser').implement({
  authScopes: { READ: true },
  description: 'One end user of the calling tenant, known from the memories stored for them.',
  fields: (t) => ({
    externalUserId: t.exposeString('externalUserId'),
    memoryCount: t.int({
      description: 'Live (not deleted, not expired) memories.',
      resolve: (user, _args, ctx) => ctx.tenant.memoryCount(user.externalUserId),
    }),
    firstActivityAt: t.expose('createdAt', { type: 'DateTime' }),
    lastActivityAt: t.expose('lastActivityAt', { type: 'DateTime' }),
  }),
});

const EndUserExport = builder.objectRef<{ document: Record<string, unknown> }>('EndUserExport').implement({
  authScopes: { READ: true },
  fields: (t) => ({ document: t.expose('document', { type: 'JSONObject' }) }),
});

const EndUserConnection = builder.connectionObject({ type: EndUser, name: 'EndUserConnection' });

builder.queryFields((t) => ({
  endUser: t.field({
    ...operation('endUser'),
    type: EndUser,
    errors: { types: [ValidationError, NotFoundError] },
    args: { externalUserId: t.arg.string(userIdOptions) },
    resolve: (_root, args, ctx) => ctx.tenant.endUser(args.externalUserId),
  }),
  exportEndUser: t.field({
    ...operation('exportEndUser'),
    type: EndUserExport,
    errors: { types: [ValidationError, NotFoundError] },
    description:
      'GDPR export: everything stored about this end user (memories, retired ones too, history, idempotency keys, usage) as one JSON document.',
    args: { externalUserId: t.arg.string(userIdOptions) },
    resolve: async (_root, args, ctx) => ({
      document: JSON.parse(JSON.stringify(await ctx.memories.export(args.externalUserId))) as Record<string, unknown>,
    }),
  }),
  endUsers: t.field({
    ...operation('endUsers'),
    type: builder.errorUnion('EndUsersResult', {
      types: [EndUserConnection, ValidationError],
      resolveType: () => 'EndUserConnection',
    }),
    description: "The tenant's end users, ordered by externalUserId (Relay pagination, at most 100 a page).",
    args: { first: t.arg.int(), after: t.arg.string(), last: t.arg.int(), before: t.arg.string() },
    resolve: (_root, args, ctx) => ctx.tenant.endUsers(args),
  }),
}));
