import { OPERATIONS, type OperationName } from '../app/operations.js';

export interface AuthScopes {
  READ?: boolean;
  WRITE?: boolean;
  ADMIN?: boolean;
  apiKey?: boolean;
  public?: boolean;
}

/**
 * A root field's `authScopes`, taken from its operation's rule (app/operations.ts): GraphQL declares
 * what the application layer enforces on every transport, and cannot say otherwise (schema/index.ts
 * refuses a root field that is not an operation, or whose scopes differ from its rule).
 */
export function operation(name: OperationName): { authScopes: AuthScopes } {
  const rule = OPERATIONS[name];
  const scopes: AuthScopes = {};
  if (rule.scope) scopes[rule.scope] = true;
  if ('tenantWide' in rule) scopes.apiKey = true;
  return { authScopes: Object.keys(scopes).length > 0 ? scopes : { public: true } };
}
