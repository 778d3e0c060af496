import type { Scope } from '../auth/principal.js';

/**
 * Who may call what: every operation of Memgate, the one list that every way in is checked against.
 * GraphQL's root fields take their `authScopes` from it (schema/operations.ts), MCP's tools name one
 * of its operations, and the application layer (app/caller.ts) enforces it on every call.
 */
export interface OperationRule {
  /** The scope the credential must hold; null: any valid credential. */
  scope: Scope | null;
  /** Tenant-wide work: an API key or an operator, never an end-user token. */
  tenantWide?: true;
  /** Embeds text or calls the model: at most MAX_EXPENSIVE_CALLS_PER_REQUEST in one request. */
  expensive?: true;
}

export const OPERATIONS = {
  // Any credential.
  viewer: { scope: null },
  node: { scope: null },
  // One end user's memories: reads.
  memory: { scope: 'READ' },
  memories: { scope: 'READ' },
  searchMemories: { scope: 'READ', expensive: true },
  memoryContext: { scope: 'READ', expensive: true },
  askMemory: { scope: 'READ', expensive: true },
  job: { scope: 'READ' },
  endUser: { scope: 'READ' },
  exportEndUser: { scope: 'READ' },
  memoryEvents: { scope: 'READ' },
  entities: { scope: 'READ' },
  entity: { scope: 'READ' },
  relations: { scope: 'READ' },
  // One end user's memories: writes.
  addMemory: { scope: 'WRITE', expensive: true },
  addMemories: { scope: 'WRITE', expensive: true },
  updateMemory: { scope: 'WRITE', expensive: true },
  deleteMemory: { scope: 'WRITE' },
  restoreMemory: { scope: 'WRITE', expensive: true },
  rememberConversation: { scope: 'WRITE', expensive: true },
  deleteEndUser: { scope: 'WRITE' },
  // The tenant.
  endUsers: { scope: 'READ', tenantWide: true },
  createEndUserToken: { scope: null, tenantWide: true },
  rotateEndUserTokenSecret: { scope: 'ADMIN', tenantWide: true },
  apiKeys: { scope: 'ADMIN', tenantWide: true },
  createApiKey: { scope: 'ADMIN', tenantWide: true },
  revokeApiKey: { scope: 'ADMIN', tenantWide: true },
  rotateApiKey: { scope: 'ADMIN', tenantWide: true },
  usage: { scope: 'ADMIN', tenantWide: true },
  usageByEndUser: { scope: 'ADMIN', tenantWide: true },
  usageByDay: { scope: 'ADMIN', tenantWide: true },
  redactionRules: { scope: 'ADMIN', tenantWide: true },
  setRedactionRules: { scope: 'ADMIN', tenantWide: true },
  webhookEndpoints: { scope: 'ADMIN', tenantWide: true },
  createWebhookEndpoint: { scope: 'ADMIN', tenantWide: true },
  updateWebhookEndpoint: { scope: 'ADMIN', tenantWide: true },
  deleteWebhookEndpoint: { scope: 'ADMIN', tenantWide: true },
  replayWebhookDelivery: { scope: 'ADMIN', tenantWide: true },
} as const satisfies Record<string, OperationRule>;

export type OperationName = keyof typeof OPERATIONS;

/** At most this many expensive calls in one request: an HTTP request (batched operations and aliases included), an MCP message batch. */
export const MAX_EXPENSIVE_CALLS_PER_REQUEST = 20;

export function isOperation(name: string): name is OperationName {
  return Object.hasOwn(OPERATIONS, name);
}

export function ruleOf(operation: OperationName): OperationRule {
  return OPERATIONS[operation];
}
