import { createHmac, timingSafeEqual } from 'node:crypto';
import { isScope, type Scope } from './principal.js';

/**
 * End-user tokens: `mgt_<payload>.<signature>`, both base64url. The payload binds one tenant,
 * one end user, scopes and an expiry; the signature is HMAC-SHA-256 under a key derived from the
 * server secret, the tenant and the tenant's token epoch, and names the API key that minted it (the
 * token dies with that key). Stateless: nothing is stored per token.
 */
export const TOKEN_PREFIX = 'mgt_';
export const MAX_TOKEN_TTL_SECONDS = 24 * 60 * 60;

export interface TokenClaims {
  tenantId: string;
  externalUserId: string;
  scopes: Scope[];
  expiresAt: Date;
  epoch: number;
  /** The API key that minted the token (absent in tokens minted before keys were named). */
  keyId?: string;
}

function signingKey(serverSecret: string, tenantId: string, epoch: number): Buffer {
  return createHmac('sha256', serverSecret).update(`memgate end-user token:${tenantId}:${epoch}`).digest();
}

function sign(serverSecret: string, tenantId: string, epoch: number, body: string): Buffer {
  return createHmac('sha256', signingKey(serverSecret, tenantId, epoch))
    .update(body)
    .digest();
}

export function mintEndUserToken(serverSecret: string, claims: TokenClaims): string {
  const payload = {
    t: claims.tenantId,
    u: claims.externalUserId,
    s: claims.scopes,
    e: Math.floor(claims.expiresAt.getTime() / 1000),
    n: claims.epoch,
    k: claims.keyId,
  };
  const body = TOKEN_PREFIX + Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(serverSecret, claims.tenantId, claims.epoch, body).toString('base64url')}`;
}

/** Reads the claims without trusting them: the caller checks the tenant's epoch and then `verify`. */
export function readEndUserToken(token: string): (TokenClaims & { body: string; signature: Buffer }) | null {
  const match = /^(mgt_[A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  try {
    const payload = JSON.parse(Buffer.from(match[1].slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
    const { t, u, s, e, n, k } = payload;
    if (typeof t !== 'string' || typeof u !== 'string' || !Array.isArray(s) || !s.every(isScope)) return null;
    if (!Number.isInteger(e) || !Number.isInteger(n) || (k !== undefined && typeof k !== 'string')) return null;
    return {
      tenantId: t,
      externalUserId: u,
      scopes: s,
      expiresAt: new Date(e * 1000),
      epoch: n,
      keyId: k,
      body: match[1],
      signature: Buffer.from(match[2], 'base64url'),
    };
  } catch {
    return null;
  }
}

export function hasValidSignature(
  serverSecret: string,
  token: { tenantId: string; epoch: number; body: string; signature: Buffer },
): boolean {
  const expected = sign(serverSecret, token.tenantId, token.epoch, token.body);
  return expected.length === token.signature.length && timingSafeEqual(expected, token.signature);
}
