import type { ScopedDatabase } from '../db/scope.js';
import { checkRange } from '../memory/validate.js';
import { displayPrefix, generateApiKey, hashApiKey } from './apiKey.js';
import type { Scope } from './principal.js';
import { NotFoundError, ValidationError } from '../errors.js';

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  expiresAt: Date | null;
}

export interface CreatedApiKey {
  /** The secret, shown once. */
  apiKey: string;
  key: ApiKeyRecord;
}

const keySelect = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  expiresAt: true,
} as const;

export const MAX_GRACE_SECONDS = 7 * 24 * 60 * 60;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 100) throw new ValidationError('name', 'name must be 1-100 characters.');
  return trimmed;
}

/** One tenant's API keys, managed through the tenant's scope (row-level security applies). */
export class TenantKeys {
  /** @param onChange called after a revocation or rotation, to drop cached lookups */
  constructor(
    private readonly db: ScopedDatabase,
    private readonly onChange: () => void,
  ) {}

  list(): Promise<ApiKeyRecord[]> {
    return this.db.transaction((tx) => tx.apiKey.findMany({ orderBy: { createdAt: 'asc' }, select: keySelect }));
  }

  async create(name: string, scopes: Scope[]): Promise<CreatedApiKey> {
    if (scopes.length === 0) throw new ValidationError('scopes', 'Give the key at least one scope.');
    const apiKey = generateApiKey();
    const key = await this.db.transaction((tx) =>
      tx.apiKey.create({
        data: {
          name: checkName(name),
          prefix: displayPrefix(apiKey),
          keyHash: hashApiKey(apiKey),
          scopes: [...new Set(scopes)],
        } as never,
        select: keySelect,
      }),
    );
    return { apiKey, key };
  }

  async revoke(id: string): Promise<ApiKeyRecord> {
    const key = await this.db.transaction(async (tx) => {
      const { count } = await tx.apiKey.updateMany({
        where: { id: this.checkId(id), revokedAt: null },
        data: { revokedAt: new Date() },
      });
      if (count === 0) throw new NotFoundError('No active API key with this id.');
      return tx.apiKey.findUniqueOrThrow({ where: { id } as never, select: keySelect });
    });
    this.onChange();
    return key;
  }

  /** Issues a replacement with the same name and scopes; the old key keeps working for the grace period. */
  async rotate(id: string, gracePeriodSeconds: number): Promise<CreatedApiKey> {
    const grace = checkRange(gracePeriodSeconds, 0, MAX_GRACE_SECONDS, 'gracePeriodSeconds');
    const apiKey = generateApiKey();
    const key = await this.db.transaction(async (tx) => {
      const old = await tx.apiKey.findFirst({ where: { id: this.checkId(id), revokedAt: null }, select: keySelect });
      if (!old || (old.expiresAt && old.expiresAt.getTime() <= Date.now()))
        throw new NotFoundError('No active API key with this id.');
      const graceEnd = new Date(Date.now() + grace * 1000);
      await tx.apiKey.update({
        where: { id } as never,
        data: { expiresAt: old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd },
      });
      return tx.apiKey.create({
        data: {
          name: old.name,
          prefix: displayPrefix(apiKey),
          keyHash: hashApiKey(apiKey),
          scopes: old.scopes,
        } as never,
        select: keySelect,
      });
    });
    this.onChange();
    return { apiKey, key };
  }

  private checkId(id: string): string {
    if (!UUID.test(id)) throw new NotFoundError('No active API key with this id.');
    return id;
  }
}
