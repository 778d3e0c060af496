import type { ScopedDatabase } from '../db/scope.js';
import { checkRedactionRules, type RedactionRule } from './redaction.js';

/** A tenant's redaction rules, read and replaced through the tenant's scope. */
export class TenantRedactionRules {
  constructor(private readonly db: ScopedDatabase) {}

  list(): Promise<RedactionRule[]> {
    return this.db.transaction((tx) => tx.redactionRule.findMany({ orderBy: { createdAt: 'asc' }, select: { name: true, pattern: true } }));
  }

  /** Replaces every rule at once. */
  async replace(rules: RedactionRule[]): Promise<RedactionRule[]> {
    const checked = checkRedactionRules(rules);
    await this.db.transaction(async (tx) => {
      await tx.redactionRule.deleteMany({});
      const now = Date.now();
      // Distinct timestamps keep the rules in the given order.
      await tx.redactionRule.createMany({ data: checked.map((rule, i) => ({ ...rule, createdAt: new Date(now + i) })) as never });
    });
    return this.list();
  }
}
