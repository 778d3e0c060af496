/**
 * The GraphQL documents clients registered by hash (automatic persisted queries), kept per tenant:
 * a document is registered and found only with a credential of its tenant, so no tenant can run
 * or probe another's. Each lasts `ttlMs` from its last use. The instance keeps at most `max` in
 * all and a tenant at most `perTenant` (the least recently used goes first), so neither many
 * tenants nor one busy tenant can grow it without bound. A document can hold personal data (an
 * email written into the query), so erasing an end user drops the tenant's documents that name them.
 */
export class PersistedDocuments {
  /** By tenant and hash, least recently used first. */
  private readonly documents = new Map<string, { tenantId: string; query: string; expiresAt: number }>();
  private readonly perTenantCount = new Map<string, number>();

  constructor(
    private readonly ttlMs = 24 * 3_600_000,
    private readonly perTenant = 500,
    private readonly max = 5_000,
  ) {}

  get(tenantId: string, hash: string): string | undefined {
    const key = `${tenantId}:${hash}`;
    const entry = this.documents.get(key);
    if (!entry) return undefined;
    this.remove(key);
    if (entry.expiresAt <= Date.now()) return undefined;
    this.add(key, tenantId, entry.query);
    return entry.query;
  }

  put(tenantId: string, hash: string, query: string): void {
    const key = `${tenantId}:${hash}`;
    this.remove(key);
    if ((this.perTenantCount.get(tenantId) ?? 0) >= this.perTenant) {
      const oldest = [...this.documents].find(([, entry]) => entry.tenantId === tenantId);
      if (oldest) this.remove(oldest[0]);
    }
    this.add(key, tenantId, query);
    if (this.documents.size > this.max) this.remove(this.documents.keys().next().value!);
  }

  /** Drops the tenant's documents that contain the text (an erased end user's identifier); answers how many. */
  forgetMentions(tenantId: string, text: string): number {
    const needle = text.toLowerCase();
    const naming = [...this.documents].filter(
      ([, entry]) => entry.tenantId === tenantId && entry.query.toLowerCase().includes(needle),
    );
    for (const [key] of naming) this.remove(key);
    return naming.length;
  }

  private add(key: string, tenantId: string, query: string): void {
    this.documents.set(key, { tenantId, query, expiresAt: Date.now() + this.ttlMs });
    this.perTenantCount.set(tenantId, (this.perTenantCount.get(tenantId) ?? 0) + 1);
  }

  private remove(key: string): void {
    const entry = this.documents.get(key);
    if (!entry) return;
    this.documents.delete(key);
    const left = (this.perTenantCount.get(entry.tenantId) ?? 1) - 1;
    if (left > 0) this.perTenantCount.set(entry.tenantId, left);
    else this.perTenantCount.delete(entry.tenantId);
  }
}
