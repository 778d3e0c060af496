import { findTenant, rotateTokenEpoch } from '../db/keys.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { checkRange, normalizeExternalUserId } from '../memory/validate.js';
import { MAX_TOKEN_TTL_SECONDS, mintEndUserToken } from './endUserToken.js';
import type { Scope } from './principal.js';
import { NotFoundError, ValidationError } from '../errors.js';

export interface MintedToken {
  token: string;
  externalUserId: string;
  scopes: Scope[];
  expiresAt: Date;
}

/**
 * Minting and revoking one tenant's end-user tokens. The tenant's epoch lives on the tenants table,
 * which only the privileged client may read: this class is that explicit path.
 */
export class TenantTokens {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly tenantId: string,
    private readonly serverSecret: string,
    private readonly onRotate: () => void,
  ) {}

  /**
   * @param minter the minting key: a token never gets more than its scopes, never ADMIN, and stops
   *   verifying once the key is revoked or expires
   */
  async mint(
    rawExternalUserId: string,
    ttlSeconds: number,
    scopes: Scope[],
    minter: { keyId: string; scopes: Scope[] },
  ): Promise<MintedToken> {
    const externalUserId = normalizeExternalUserId(rawExternalUserId);
    const ttl = checkRange(ttlSeconds, 1, MAX_TOKEN_TTL_SECONDS, 'ttlSeconds');
    const unique = [...new Set(scopes)];
    if (unique.length === 0 || unique.includes('ADMIN') || unique.some((scope) => !minter.scopes.includes(scope))) {
      throw new ValidationError('scopes', 'Token scopes are READ and/or WRITE, and only those the API key itself has.');
    }
    const tenant = await findTenant(this.prisma, this.tenantId);
    if (!tenant) throw new NotFoundError('The tenant no longer exists.');
    const expiresAt = new Date(Date.now() + ttl * 1000);
    const token = mintEndUserToken(this.serverSecret, {
      tenantId: tenant.id,
      externalUserId,
      scopes: unique,
      expiresAt,
      epoch: tenant.tokenEpoch,
      keyId: minter.keyId,
    });
    return { token, externalUserId, scopes: unique, expiresAt };
  }

  /** Invalidates every token minted so far for this tenant. */
  async rotate(): Promise<Date> {
    await rotateTokenEpoch(this.prisma, this.tenantId);
    this.onRotate();
    return new Date();
  }
}
