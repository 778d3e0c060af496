import { redactionRulesSql } from '../db/redactionSql.js';
import type { ScopedDatabase } from '../db/scope.js';
import { checkRedactionRules, type RedactionRule } from './redaction.js';

/** A tenant's redaction rules, read (from the tenant's or one of its end users' scopes) and replaced (tenant-wide only). */
export class TenantRedactionRules {
  constructor(private readonly db: ScopedDatabase) {}

  /** One round trip: every write of memories reads the rules first. */
  async list(): Promise<RedactionRule[]> {
    const [rules] = await this.db.read<[RedactionRule[]]>([redactionRulesSql(this.db.scope.tenantId)]);
    return rules;
  }

  /** Replaces every rule at once. */
  async replace(rules: RedactionRule[]): Promise<RedactionRule[]> {
    const checked = checkRedactionRules(rules);
    await this.db.transaction(async (tx) => {
      await tx.redactionRule.deleteMany({});
      const now = Date.now();
      // Distinct timestamps keep the rules in the given order.
      await tx.redactionRule.createMany({
        data: checked.map((rule, i) => ({ ...rule, createdAt: new Date(now + i) })) as never,
      });
    });
    return this.list();
  }
}
