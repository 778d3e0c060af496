import type { Scope } from '../auth/principal.js';
import { forbidden, type Context } from '../context.js';

const USER_DESCRIPTION =
  "The tenant's identifier for the end user (e.g. an email; trimmed, emails lower-cased). " +
  'Required with an API key; with an end-user token it defaults to the token’s user and may name no other.';

export function requireScope(ctx: Context, scope: Scope): void {
  if (!ctx.principal.scopes.includes(scope)) throw forbidden(`This credential lacks the ${scope} scope.`);
}

/** Tenant administration and tenant-wide listings need the tenant's secret API key, never an end-user token. */
/** The calling API key (FORBIDDEN for an end-user token, or without `scope`). */
export function requireApiKey(ctx: Context, scope?: Scope): Extract<Context['principal'], { kind: 'API_KEY' }> {
  if (ctx.principal.kind !== 'API_KEY') throw forbidden('This needs an API key; an end-user token may not do it.');
  if (scope) requireScope(ctx, scope);
  return ctx.principal;
}

/** Options of every externalUserId argument and input field. */
export const userIdOptions = { required: false, description: USER_DESCRIPTION } as const;
