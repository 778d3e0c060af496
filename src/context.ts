import type { Caller } from './app/caller.js';
import type { EntityCalls } from './app/entityCalls.js';
import type { MemoryCalls } from './app/memoryCalls.js';
import type { RateLimiter, RateLimits } from './app/rateLimit.js';
import type { PersistedDocuments } from './app/persistedDocuments.js';
import type { SubscriptionSlots } from './app/subscriptionSlots.js';
import type { TenantCalls } from './app/tenantCalls.js';
import type { Authenticator } from './auth/authenticator.js';
import type { Principal } from './auth/principal.js';
import type { AnnIndexes } from './db/annIndex.js';
import type { ScopedReader, ScopedWriter } from './db/scope.js';
import type { Embedder } from './embeddings/embedder.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { Claude, Usage } from './llm/claude.js';
import type { MemoryEventRecord } from './model.js';
import type { Metrics } from './observability/metrics.js';

/** Types only: what the composition root builds (Services) and what every transport is handed (Context). */

export interface Services {
  /** The privileged client: key lookups, token epochs, tenant administration. */
  prisma: PrismaClient;
  /** The client every scoped transaction runs on (Database.appPrisma); the privileged one when absent. */
  appPrisma?: PrismaClient;
  /** The database's pipelined paths for scoped reads and writes (Database.readScoped, writeScoped). */
  readScoped: ScopedReader;
  writeScoped: ScopedWriter;
  /** The database is a Citus cluster (Database.citus). */
  citus?: boolean;
  /** Which embedding models have an HNSW index (approximate search for very large scopes). */
  annIndexes?: AnnIndexes;
  embedder: Embedder;
  authenticator: Authenticator;
  /** Signs end-user tokens. */
  serverSecret: string;
  rateLimiter: RateLimiter;
  rateLimits: RateLimits;
  claude: Claude;
  /** How long a conversation job's claim lasts without a heartbeat (MEMGATE_JOB_LEASE_SECONDS). */
  jobLeaseMs: number;
  /** Memory change events, per tenant and end user (subscriptions). */
  pubsub: MemoryPubSub;
  /** The documents clients registered by hash (automatic persisted queries), per tenant. */
  persistedDocuments?: PersistedDocuments;
  /** The open subscriptions of this instance, counted per credential and per end user. */
  subscriptions?: SubscriptionSlots;
  /** How often an open subscription checks that its credential still works (default 10 s). */
  credentialRecheckMs?: number;
  /** Webhook endpoints may be loopback or private addresses (MEMGATE_WEBHOOKS_ALLOW_PRIVATE). */
  webhooksAllowPrivate?: boolean;
  /** Calls by transport, operation and outcome (app/caller.ts). */
  metrics?: Metrics;
}

/** In-process (LocalPubSub) or shared by every instance through Redis (RedisPubSub). */
export interface MemoryPubSub {
  publish(routingKey: 'memoryEvents', topic: string, event: MemoryEventRecord): void;
  subscribe(routingKey: 'memoryEvents', topic: string): AsyncIterable<MemoryEventRecord>;
  /** Completes every open subscription (graceful shutdown). */
  endSubscriptions(): void;
  /** Tells every instance that an end user was erased (each forgets what it keeps outside the database). */
  publishErasure(tenantId: string, externalUserId: string): void;
  onErasure(listener: (tenantId: string, externalUserId: string) => void): void;
}

/**
 * What a transport is handed for one request (see app/session.ts): the caller, and the calls it may
 * make. Nothing else of the application is reachable from a resolver, a tool or a command.
 */
export interface Context {
  principal: Principal;
  /** Authorizes, counts and observes every call (app/caller.ts). */
  caller: Caller;
  /** Every model call this request made (reported in the response's extensions, see http/modelUsage.ts). */
  modelUsage: Usage[];
  /** Calls about one end user's memories and conversations. */
  memories: MemoryCalls;
  /** Calls about one end user's entities (the graph of their memories). */
  entities: EntityCalls;
  /** Calls about the tenant: end users, keys, tokens, settings, usage, webhooks. */
  tenant: TenantCalls;
}
