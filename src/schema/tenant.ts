import type { Principal } from '../auth/principal.js';
import { builder } from './builder.js';

const Tenant = builder.objectRef<Principal>('Tenant').implement({
  fields: (t) => ({
    id: t.exposeID('tenantId'),
    name: t.exposeString('tenantName'),
  }),
});

const Viewer = builder.objectRef<Principal>('Viewer').implement({
  description: 'The calling credential.',
  fields: (t) => ({
    tenant: t.field({ type: Tenant, resolve: (principal) => principal }),
    keyPrefix: t.exposeString('keyPrefix', { description: 'The non-secret start of the API key in use.' }),
    scopes: t.exposeStringList('scopes'),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({ type: Viewer, resolve: (_root, _args, ctx) => ctx.principal }),
}));
