import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin, { type AuthFailure } from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import { SCOPES } from '../auth/principal.js';
import type { Context } from '../context.js';
import { ForbiddenError, type ErrorCode } from '../errors.js';
import { operation } from './operations.js';

const capitalize = (name: string) => name[0].toUpperCase() + name.slice(1);

export function badInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' satisfies ErrorCode, field } });
}

/** The first scope a failed check lacked, for the error message. */
function missingScope(failure: AuthFailure): string | undefined {
  if (failure.kind === 'AuthScope') return failure.scope;
  if ('failures' in failure) for (const inner of failure.failures) return missingScope(inner);
  return undefined;
}

function denied(failure: AuthFailure): ForbiddenError {
  const scope = missingScope(failure);
  if (scope === 'apiKey') return new ForbiddenError('This needs an API key; an end-user token may not do it.');
  return new ForbiddenError(
    scope && scope !== 'public' ? `This credential lacks the ${scope} scope.` : 'This credential may not see this.',
  );
}

/**
 * Authorization is declared, not checked by hand (deny by default): every root field and every
 * object type states its `authScopes` — READ, WRITE, ADMIN (the credential's scopes), apiKey (an
 * API key, not an end-user token) or public — and the schema does not build otherwise (see
 * schema/index.ts). Types that carry memory data require READ on every field but their ids, on
 * every path: a WRITE-only or ADMIN-only credential gets ids and statuses back, never content.
 */
export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { READ: boolean; WRITE: boolean; ADMIN: boolean; apiKey: boolean; public: boolean };
  DefaultAuthStrategy: 'all';
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    ID: { Input: string; Output: string };
  };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    defaultStrategy: 'all',
    // Type scopes are checked on each field (so that a type's id can skip them), not when an object is returned.
    runScopesOnType: false,
    authorizeOnSubscribe: true,
    // Introspection-only requests have no principal; they never resolve these fields.
    authScopes: (ctx) => {
      const scopes = ctx.principal?.scopes ?? [];
      return {
        ...(Object.fromEntries(SCOPES.map((scope) => [scope, scopes.includes(scope)])) as Record<
          (typeof SCOPES)[number],
          boolean
        >),
        apiKey: ctx.principal?.kind === 'API_KEY',
        public: true,
      };
    },
    unauthorizedError: (_parent, _context, _info, result) => denied(result.failure),
  },
  errors: {
    directResult: true,
    defaultUnionOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Result` },
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesQueryOptions: false,
    // Anyone may ask for a node; what it returns is guarded by its type's scopes.
    nodeQueryOptions: operation('node'),
    // Connection and edge types only hold what their node type guards.
    defaultConnectionTypeOptions: { authScopes: { public: true } },
    defaultEdgeTypeOptions: { authScopes: { public: true } },
    pageInfoTypeOptions: { authScopes: { public: true } },
    decodeGlobalID: (globalID) => {
      const decoded = Buffer.from(globalID, 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      if (separator <= 0) throw badInput('id is not an id issued by this API.', 'id');
      return { typename: decoded.slice(0, separator), id: decoded.slice(separator + 1) };
    },
  },
});
