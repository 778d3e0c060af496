import { timingSafeEqual } from 'node:crypto';
import { findApiKeyByHash, touchApiKey } from '../db/keys.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { hashApiKey, isWellFormedApiKey } from './apiKey.js';
import { SCOPES, type Principal, type Scope } from './principal.js';

export interface AuthenticatorOptions {
  /** How long a verified (or unknown) key is trusted before it is looked up again: the revocation bound. */
  cacheTtlMs?: number;
  cacheMaxEntries?: number;
  /** lastUsedAt is written at most once per this interval per key. */
  touchIntervalMs?: number;
}

interface CacheEntry {
  principal: Principal | null;
  expiresAt: number;
}

/** Turns a bearer key into a Principal: format and checksum first, then a cached lookup by SHA-256. */
export class Authenticator {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly touchedAt = new Map<string, number>();
  private readonly cacheTtlMs: number;
  private readonly cacheMaxEntries: number;
  private readonly touchIntervalMs: number;

  constructor(
    private readonly prisma: PrismaClient,
    options: AuthenticatorOptions = {},
  ) {
    this.cacheTtlMs = options.cacheTtlMs ?? 30_000;
    this.cacheMaxEntries = options.cacheMaxEntries ?? 10_000;
    this.touchIntervalMs = options.touchIntervalMs ?? 60_000;
  }

  /** Returns null for a missing, malformed, unknown or revoked key. */
  async authenticate(authorization: string | null): Promise<Principal | null> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match || !isWellFormedApiKey(match[1])) return null;
    const hash = hashApiKey(match[1]);
    const cacheKey = Buffer.from(hash).toString('base64');
    const now = Date.now();
    let entry = this.cache.get(cacheKey);
    if (!entry || entry.expiresAt <= now) {
      entry = { principal: await this.lookUp(hash), expiresAt: now + this.cacheTtlMs };
      this.remember(cacheKey, entry);
    }
    if (entry.principal) this.touch(entry.principal, now);
    return entry.principal;
  }

  private async lookUp(hash: Uint8Array<ArrayBuffer>): Promise<Principal | null> {
    const key = await findApiKeyByHash(this.prisma, hash);
    if (!key || key.revokedAt || !timingSafeEqual(key.keyHash, hash)) return null;
    return {
      tenantId: key.tenantId,
      tenantName: key.tenant.name,
      keyId: key.id,
      keyPrefix: key.prefix,
      scopes: key.scopes.filter((scope): scope is Scope => (SCOPES as readonly string[]).includes(scope)),
    };
  }

  private remember(cacheKey: string, entry: CacheEntry): void {
    if (this.cache.size >= this.cacheMaxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(cacheKey, entry);
  }

  private touch(principal: Principal, now: number): void {
    const last = this.touchedAt.get(principal.keyId) ?? 0;
    if (now - last < this.touchIntervalMs) return;
    this.touchedAt.set(principal.keyId, now);
    touchApiKey(this.prisma, principal.tenantId, principal.keyId, new Date(now)).catch(() => {
      this.touchedAt.delete(principal.keyId);
    });
  }
}
