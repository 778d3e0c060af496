import { GraphQLError } from 'graphql';
import type { Scope } from '../auth/principal.js';
import type { Context } from '../context.js';

export function requireScope(ctx: Context, scope: Scope): void {
  if (!ctx.principal.scopes.includes(scope)) {
    throw new GraphQLError(`This credential lacks the ${scope} scope.`, { extensions: { code: 'FORBIDDEN' } });
  }
}
