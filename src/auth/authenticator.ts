import { timingSafeEqual } from 'node:crypto';
import { findApiKeyByHash, findApiKeyValidity, findTenant, touchApiKey } from '../db/keys.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { hashApiKey, isWellFormedApiKey } from './apiKey.js';
import { hasValidSignature, readEndUserToken, TOKEN_PREFIX } from './endUserToken.js';
import { isScope, type Principal } from './principal.js';
import { credentialRefusal, type CredentialRefusal } from './refusal.js';

export interface AuthenticatorOptions {
  /** Signs end-user tokens (MEMGATE_SECRET). */
  serverSecret: string;
  /**
   * How long a key lookup or a tenant's token epoch is trusted before it is read again: the bound
   * on how long a revoked key or a rotated token secret keeps working on another instance.
   */
  cacheTtlMs?: number;
  cacheMaxEntries?: number;
  /** lastUsedAt is written at most once per this interval per key. */
  touchIntervalMs?: number;
}

type ApiKeyPrincipal = Extract<Principal, { kind: 'API_KEY' }>;

interface Cached<T> {
  value: T;
  expiresAt: number;
}

/** A small TTL map with a size bound (oldest entry evicted first). */
class TtlCache<T> {
  private readonly entries = new Map<string, Cached<T>>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /**
   * A failed load is not cached: it rejects, and the next call loads again. `fresh` skips the
   * cache; a value `keep` refuses is returned but not cached.
   */
  async get(key: string, load: () => Promise<T>, fresh = false, keep: (value: T) => boolean = () => true): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now && !fresh) return hit.value;
    const value = await load();
    if (!keep(value)) return value;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Turns a bearer credential (API key or end-user token) into a Principal, or null. */
export class Authenticator {
  /** null: a revoked key (cached); undefined: no such key (never cached, so random keys cannot flood the cache). */
  private readonly keys: TtlCache<(ApiKeyPrincipal & { expiresAt: Date | null }) | null | undefined>;
  private readonly tenants: TtlCache<{ name: string; tokenEpoch: number } | null>;
  /** Whether the key that minted a token still works (by tenant and key id). */
  private readonly minters: TtlCache<boolean>;
  private readonly touchedAt = new Map<string, number>();
  private readonly touchIntervalMs: number;
  private readonly serverSecret: string;

  constructor(
    private readonly prisma: PrismaClient,
    options: AuthenticatorOptions,
  ) {
    const ttl = options.cacheTtlMs ?? 30_000;
    const max = options.cacheMaxEntries ?? 10_000;
    this.keys = new TtlCache(ttl, max);
    this.tenants = new TtlCache(ttl, max);
    this.minters = new TtlCache(ttl, max);
    this.touchIntervalMs = options.touchIntervalMs ?? 60_000;
    this.serverSecret = options.serverSecret;
  }

  /**
   * Returns null for a missing, malformed, unknown, revoked, expired or tampered credential; a
   * database failure rejects (the caller answers 503), and is never remembered as "unknown".
   */
  async authenticate(authorization: string | null, options: { fresh?: boolean } = {}): Promise<Principal | null> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return null;
    const fresh = options.fresh ?? false;
    return match[1].startsWith(TOKEN_PREFIX) ? this.verifyToken(match[1], fresh) : this.verifyKey(match[1], fresh);
  }

  /** What to tell the sender of a credential that authenticate refused (see refusal.ts). */
  refusal(authorization: string | null): CredentialRefusal {
    return credentialRefusal(authorization, this.serverSecret);
  }

  /** Forgets cached lookups so that a revocation or rotation made here applies at once. */
  forget(): void {
    this.keys.clear();
    this.tenants.clear();
    this.minters.clear();
  }

  private async verifyKey(key: string, fresh: boolean): Promise<Principal | null> {
    if (!isWellFormedApiKey(key)) return null;
    const hash = hashApiKey(key);
    const found = await this.keys.get(
      Buffer.from(hash).toString('base64'),
      () => this.lookUpKey(hash),
      fresh,
      (value) => value !== undefined,
    );
    if (!found || (found.expiresAt && found.expiresAt.getTime() <= Date.now())) return null;
    this.touch(found);
    const { expiresAt: _keyExpiry, ...principal } = found;
    return principal;
  }

  private async lookUpKey(hash: Uint8Array<ArrayBuffer>) {
    const key = await findApiKeyByHash(this.prisma, hash);
    if (!key) return undefined;
    if (key.revokedAt || !timingSafeEqual(key.keyHash, hash)) return null;
    return {
      kind: 'API_KEY' as const,
      tenantId: key.tenantId,
      tenantName: key.tenant.name,
      keyId: key.id,
      keyPrefix: key.prefix,
      keyName: key.name,
      scopes: key.scopes.filter(isScope),
      expiresAt: key.expiresAt,
    };
  }

  private async verifyToken(token: string, fresh: boolean): Promise<Principal | null> {
    const claims = readEndUserToken(token);
    // The signature is checked first: a forged token costs no database lookup.
    if (!claims || claims.expiresAt.getTime() <= Date.now() || !hasValidSignature(this.serverSecret, claims))
      return null;
    const tenant = await this.tenants.get(claims.tenantId, () => findTenant(this.prisma, claims.tenantId), fresh);
    if (!tenant || tenant.tokenEpoch !== claims.epoch) return null;
    if (claims.keyId !== undefined && !(await this.minterWorks(claims.tenantId, claims.keyId, fresh))) return null;
    return {
      kind: 'END_USER_TOKEN',
      tenantId: claims.tenantId,
      tenantName: tenant.name,
      scopes: claims.scopes,
      boundUser: claims.externalUserId,
      expiresAt: claims.expiresAt,
    };
  }

  private minterWorks(tenantId: string, keyId: string, fresh: boolean): Promise<boolean> {
    return this.minters.get(
      `${tenantId}:${keyId}`,
      async () => {
        const key = await findApiKeyValidity(this.prisma, tenantId, keyId);
        return !!key && !key.revokedAt && (!key.expiresAt || key.expiresAt.getTime() > Date.now());
      },
      fresh,
    );
  }

  private touch(principal: ApiKeyPrincipal): void {
    const now = Date.now();
    const last = this.touchedAt.get(principal.keyId) ?? 0;
    if (now - last < this.touchIntervalMs) return;
    this.touchedAt.set(principal.keyId, now);
    touchApiKey(this.prisma, principal.tenantId, principal.keyId, new Date(now)).catch(() => {
      this.touchedAt.delete(principal.keyId);
    });
  }
}
