import { SCOPES, type Principal, type Scope } from '../auth/principal.js';
import { MAX_GRACE_SECONDS, type ApiKeyRecord, type CreatedApiKey } from '../auth/tenantKeys.js';
import type { MintedToken } from '../auth/tenantTokens.js';
import { globalId } from '../app/ids.js';
import { builder } from './builder.js';
import { PLAIN_UUIDS } from './ids.js';
import { operation } from './operations.js';
import { NotFoundError, ValidationError } from '../errors.js';

const ApiScope = builder.enumType('ApiScope', {
  description: 'READ: queries. WRITE: mutations of memories. ADMIN: keys, tokens and tenant settings.',
  values: SCOPES,
});

const CredentialKind = builder.enumType('CredentialKind', { values: ['API_KEY', 'END_USER_TOKEN'] as const });

const Tenant = builder.objectRef<Principal>('Tenant').implement({
  authScopes: { public: true },
  fields: (t) => ({
    id: t.id({ resolve: (principal) => globalId('Tenant', principal.tenantId) }),
    name: t.exposeString('tenantName'),
  }),
});

const Viewer = builder.objectRef<Principal>('Viewer').implement({
  authScopes: { public: true },
  description: 'The calling credential.',
  fields: (t) => ({
    tenant: t.field({ type: Tenant, resolve: (principal) => principal }),
    credential: t.field({
      type: CredentialKind,
      resolve: ({ kind }) => {
        if (kind === 'OPERATOR') throw new Error('The command line does not speak GraphQL.');
        return kind;
      },
    }),
    scopes: t.field({ type: [ApiScope], resolve: (principal) => principal.scopes }),
    keyPrefix: t.string({
      nullable: true,
      description: 'The non-secret start of the API key in use.',
      resolve: (principal) => (principal.kind === 'API_KEY' ? principal.keyPrefix : null),
    }),
    externalUserId: t.string({
      nullable: true,
      description: 'The end user an end-user token is bound to.',
      resolve: (principal) => principal.boundUser ?? null,
    }),
  }),
});

const ApiKey = builder.node(builder.objectRef<ApiKeyRecord>('ApiKey'), {
  authScopes: { public: true },
  description: 'An API key of the tenant. The secret itself is never shown again after creation.',
  id: { resolve: (key) => key.id },
  loadMany: (ids, ctx) => ctx.tenant.apiKeyNodes(ids),
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix'),
    scopes: t.field({ type: [ApiScope], resolve: (key) => key.scopes as Scope[] }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Updated at most once a minute.',
    }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Set when the key was rotated.',
    }),
  }),
});

const NewApiKey = builder.objectRef<CreatedApiKey>('NewApiKey').implement({
  authScopes: { public: true },
  fields: (t) => ({
    apiKey: t.exposeString('apiKey', { description: 'The secret. Shown this once: store it now.' }),
    key: t.field({ type: ApiKey, resolve: (created) => created.key }),
  }),
});

const EndUserToken = builder.objectRef<MintedToken>('EndUserToken').implement({
  authScopes: { public: true },
  description: 'A short-lived token for a browser, bound to one end user of the tenant.',
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Send as "Authorization: Bearer <token>".' }),
    externalUserId: t.exposeString('externalUserId'),
    scopes: t.field({ type: [ApiScope], resolve: (minted) => minted.scopes }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

const TokenSecretRotation = builder.objectRef<{ rotatedAt: Date }>('TokenSecretRotation').implement({
  authScopes: { public: true },
  description:
    'Every end-user token minted before rotatedAt is now invalid (on other instances within the cache bound, 30 s).',
  fields: (t) => ({ rotatedAt: t.expose('rotatedAt', { type: 'DateTime' }) }),
});

builder.queryFields((t) => ({
  viewer: t.field({ type: Viewer, ...operation('viewer'), resolve: (_root, _args, ctx) => ctx.tenant.viewer() }),
  apiKeys: t.field({
    ...operation('apiKeys'),
    type: [ApiKey],
    description: "The tenant's API keys, oldest first (ADMIN).",
    resolve: (_root, _args, ctx) => ctx.tenant.apiKeys(),
  }),
}));

builder.mutationFields((t) => ({
  createEndUserToken: t.field({
    ...operation('createEndUserToken'),
    type: EndUserToken,
    errors: { types: [ValidationError] },
    description: 'Mints a token bound to one end user, for a browser (API key only; at most 24 h).',
    args: {
      externalUserId: t.arg.string({ required: true }),
      ttlSeconds: t.arg.int({ defaultValue: 3600, description: '1 to 86,400 seconds (default 3,600).' }),
      scopes: t.arg({
        type: [ApiScope],
        defaultValue: ['READ', 'WRITE'],
        description: 'READ and/or WRITE; at most the key’s own.',
      }),
    },
    resolve: (_root, args, ctx) =>
      ctx.tenant.createEndUserToken(args.externalUserId, args.ttlSeconds ?? 3600, args.scopes ?? []),
  }),
  rotateEndUserTokenSecret: t.field({
    ...operation('rotateEndUserTokenSecret'),
    type: TokenSecretRotation,
    description: 'Invalidates every end-user token of the tenant (ADMIN).',
    resolve: async (_root, _args, ctx) => ({ rotatedAt: await ctx.tenant.rotateEndUserTokenSecret() }),
  }),
  createApiKey: t.field({
    ...operation('createApiKey'),
    type: NewApiKey,
    errors: { types: [ValidationError] },
    description: 'A new API key for the tenant (ADMIN). Its secret is returned this once.',
    args: {
      name: t.arg.string({ required: true }),
      scopes: t.arg({ type: [ApiScope], required: true }),
    },
    resolve: (_root, args, ctx) => ctx.tenant.createApiKey(args.name, args.scopes),
  }),
  revokeApiKey: t.field({
    ...operation('revokeApiKey'),
    type: ApiKey,
    errors: { types: [ValidationError, NotFoundError] },
    description: 'Stops a key at once here, and on other instances within 30 s (ADMIN).',
    args: { id: t.arg.id({ required: true, description: PLAIN_UUIDS }) },
    resolve: (_root, args, ctx) => ctx.tenant.revokeApiKey(args.id),
  }),
  rotateApiKey: t.field({
    ...operation('rotateApiKey'),
    type: NewApiKey,
    errors: { types: [ValidationError, NotFoundError] },
    description: 'Issues a replacement key; the old one keeps working for the grace period, then stops (ADMIN).',
    args: {
      id: t.arg.id({ required: true, description: PLAIN_UUIDS }),
      gracePeriodSeconds: t.arg.int({
        defaultValue: 3600,
        description: `0 to ${MAX_GRACE_SECONDS} seconds (default 3,600).`,
      }),
    },
    resolve: (_root, args, ctx) => ctx.tenant.rotateApiKey(args.id, args.gracePeriodSeconds ?? 3600),
  }),
}));
