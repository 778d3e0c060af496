import { forbidden, type Context } from '../context.js';

const USER_DESCRIPTION =
  "The tenant's identifier for the end user (e.g. an email; trimmed, emails lower-cased). " +
  'Required with an API key; with an end-user token it defaults to the token’s user and may name no other.';

/**
 * The calling API key, for a resolver whose field declares `authScopes: { apiKey: true }` (so an
 * end-user token never gets here; checked again, cheaply).
 */
export function callingKey(ctx: Context): Extract<Context['principal'], { kind: 'API_KEY' }> {
  if (ctx.principal.kind !== 'API_KEY') throw forbidden('This needs an API key; an end-user token may not do it.');
  return ctx.principal;
}

/** Options of every externalUserId argument and input field. */
export const userIdOptions = { required: false, description: USER_DESCRIPTION } as const;
