import { isWellFormedApiKey } from './apiKey.js';
import { hasValidSignature, readEndUserToken, TOKEN_PREFIX } from './endUserToken.js';

/** Why a credential was refused: what the client should fix. */
export type RefusalReason = 'MISSING' | 'MALFORMED' | 'KEY_NOT_VALID' | 'TOKEN_EXPIRED' | 'TOKEN_NOT_VALID';

export interface CredentialRefusal {
  reason: RefusalReason;
  message: string;
}

/**
 * Explains a refusal from the header alone (no lookup): what is wrong and what to do. An API key
 * that is unknown, revoked or expired gets one answer, so nobody learns whether a key exists; an
 * end-user token's own signed claims say when it expired.
 */
export function credentialRefusal(authorization: string | null, serverSecret: string): CredentialRefusal {
  if (!authorization?.trim()) {
    return {
      reason: 'MISSING',
      message:
        'No credential: send "Authorization: Bearer <credential>" with an API key (mgk_…) or an end-user token (mgt_…).',
    };
  }
  const credential = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  if (!credential) {
    return {
      reason: 'MALFORMED',
      message: 'The Authorization header must be "Bearer <credential>" (an API key mgk_… or an end-user token mgt_…).',
    };
  }
  if (!credential.startsWith(TOKEN_PREFIX)) {
    return isWellFormedApiKey(credential)
      ? {
          reason: 'KEY_NOT_VALID',
          message: 'This API key is not valid (unknown, revoked or expired): use a current key of your tenant.',
        }
      : {
          reason: 'MALFORMED',
          message: 'This is not an API key of this gateway (mistyped or cut short?): API keys start with mgk_.',
        };
  }
  const claims = readEndUserToken(credential);
  if (!claims) {
    return { reason: 'MALFORMED', message: 'This end-user token is malformed (cut short or altered): mint a new one.' };
  }
  if (!hasValidSignature(serverSecret, claims)) {
    return {
      reason: 'TOKEN_NOT_VALID',
      message: "This end-user token was not signed by this gateway's secret (or was altered): mint a new one.",
    };
  }
  if (claims.expiresAt.getTime() <= Date.now()) {
    return {
      reason: 'TOKEN_EXPIRED',
      message: `This end-user token expired at ${claims.expiresAt.toISOString()}: mint a new one (createEndUserToken) and retry.`,
    };
  }
  return {
    reason: 'TOKEN_NOT_VALID',
    message:
      'This end-user token was revoked (its tenant rotated the token secret, or the key that minted it was revoked): mint a new one.',
  };
}
