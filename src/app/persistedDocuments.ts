/**
 * The GraphQL documents clients registered by hash (automatic persisted queries), kept per tenant:
 * a document is registered and found only with a credential of its tenant, so no tenant can run
 * or probe another's. Each lasts `ttlMs` from its last use; a tenant keeps at most `perTenant`
 * (the least recently used goes first). A document can hold personal data (an email written into
 * the query), so erasing an end user drops the tenant's documents that name them.
 */
export class PersistedDocuments {
  private readonly tenants = new Map<string, Map<string, { query: string; expiresAt: number }>>();

  constructor(
    private readonly ttlMs = 24 * 3_600_000,
    private readonly perTenant = 500,
  ) {}

  get(tenantId: string, hash: string): string | undefined {
    const documents = this.tenants.get(tenantId);
    const entry = documents?.get(hash);
    if (!documents || !entry) return undefined;
    documents.delete(hash);
    if (entry.expiresAt <= Date.now()) return undefined;
    documents.set(hash, { query: entry.query, expiresAt: Date.now() + this.ttlMs });
    return entry.query;
  }

  put(tenantId: string, hash: string, query: string): void {
    let documents = this.tenants.get(tenantId);
    if (!documents) this.tenants.set(tenantId, (documents = new Map()));
    documents.delete(hash);
    documents.set(hash, { query, expiresAt: Date.now() + this.ttlMs });
    if (documents.size > this.perTenant) documents.delete(documents.keys().next().value!);
  }

  /** Drops the tenant's documents that contain the text (an erased end user's identifier); answers how many. */
  forgetMentions(tenantId: string, text: string): number {
    const documents = this.tenants.get(tenantId);
    if (!documents) return 0;
    const needle = text.toLowerCase();
    let dropped = 0;
    for (const [hash, { query }] of documents) {
      if (query.toLowerCase().includes(needle)) {
        documents.delete(hash);
        dropped++;
      }
    }
    return dropped;
  }
}
