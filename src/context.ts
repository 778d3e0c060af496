import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { Authenticator } from './auth/authenticator.js';
import type { Principal } from './auth/principal.js';
import { RATE_WINDOW_MS, type RateLimiter, type RateLimits } from './http/rateLimit.js';
import { TenantKeys } from './auth/tenantKeys.js';
import { TenantTokens } from './auth/tenantTokens.js';
import type { AnnIndexes } from './db/annIndex.js';
import { ScopedDatabase, type ScopedReader, type ScopedWriter } from './db/scope.js';
import { endsWithCredential, type CredentialCheck } from './http/credentialGuard.js';
import type { Embedder } from './embeddings/embedder.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { Claude, Usage } from './llm/claude.js';
import { UserConversations } from './memory/conversations.js';
import type { ChangeActor, MemoryEventRecord } from './model.js';
import { TenantRedactionRules } from './memory/redactionRules.js';
import { TenantDirectory } from './memory/tenantDirectory.js';
import { UserMemories, type EmbedFunction } from './memory/userMemories.js';
import { normalizeExternalUserId } from './memory/validate.js';
import { ValidationError } from './errors.js';
import { TenantWebhooks } from './webhooks/tenantWebhooks.js';

export interface Services {
  /** The privileged client: key lookups, token epochs, tenant administration. */
  prisma: PrismaClient;
  /** The client every scoped transaction runs on (Database.appPrisma); the privileged one when absent. */
  appPrisma?: PrismaClient;
  /** The database's pipelined paths for scoped reads and writes (Database.readScoped, writeScoped). */
  readScoped: ScopedReader;
  writeScoped: ScopedWriter;
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
  /** How often an open subscription checks that its credential still works (default 10 s). */
  credentialRecheckMs?: number;
  /** Webhook endpoints may be loopback or private addresses (MEMGATE_WEBHOOKS_ALLOW_PRIVATE). */
  webhooksAllowPrivate?: boolean;
}

/** In-process (LocalPubSub) or shared by every instance through Redis (RedisPubSub). */
export interface MemoryPubSub {
  publish(routingKey: 'memoryEvents', topic: string, event: MemoryEventRecord): void;
  subscribe(routingKey: 'memoryEvents', topic: string): AsyncIterable<MemoryEventRecord>;
  /** Completes every open subscription (graceful shutdown). */
  endSubscriptions(): void;
}

export function memoryTopic(tenantId: string, externalUserId: string): string {
  return `${tenantId}:${externalUserId}`;
}

/** One end user's memories and conversations: for a request, or for the job runner. */
export function userServices(
  services: Services,
  tenantId: string,
  externalUserId: string,
  embed: EmbedFunction,
  { onModelUsage, actor }: { onModelUsage?: (spent: Usage[]) => void; actor?: ChangeActor } = {},
) {
  const db = new ScopedDatabase(services.appPrisma ?? services.prisma, { tenantId, externalUserId }, services);
  const topic = memoryTopic(tenantId, externalUserId);
  const memories = new UserMemories(db, embed, {
    onEvents: (events) => events.forEach((event) => services.pubsub.publish('memoryEvents', topic, event)),
    hasAnnIndex: (model, dimensions) => services.annIndexes?.has(model, dimensions) ?? false,
    actor,
  });
  const conversations = new UserConversations(db, memories, services.claude, {
    leaseMs: services.jobLeaseMs,
    onUsage: onModelUsage,
  });
  return { memories, conversations };
}

/** Per-request context: the caller, and the only doors to data. */
export interface Context {
  principal: Principal;
  /** Every model call this request made (reported in the response's extensions, see http/modelUsage.ts). */
  modelUsage: Usage[];
  /**
   * The end user's memories, scoped to this tenant. With an end-user token the identifier may be
   * omitted, and naming anyone else is FORBIDDEN; with an API key it is required.
   */
  forUser(externalUserId?: string | null): Promise<UserMemories>;
  /** The end user's conversations (remembering with Claude), under the same rules as forUser. */
  conversationsOf(externalUserId?: string | null): Promise<UserConversations>;
  /** Resolves the end user a field acts for (validated, token-bound), without touching data. */
  resolveUser(externalUserId?: string | null): string;
  /** Events of one topic, ending when the request's credential stops working (see credentialGuard.ts). */
  subscribeToMemoryEvents(topic: string): AsyncIterable<MemoryEventRecord>;
  /** Tenant-wide reads (end-user listings). */
  tenant: TenantDirectory;
  keys: TenantKeys;
  tokens: TenantTokens;
  redactionRules: TenantRedactionRules;
  webhooks: TenantWebhooks;
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export function rateLimited(what: string, retryAfterMs: number): GraphQLError {
  const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GraphQLError(`Too many requests for ${what}; retry after ${retryAfter} s.`, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfter,
      http: { status: 429, headers: { 'Retry-After': String(retryAfter) } },
    },
  });
}

/** The rate-limit bucket of a credential: one API key, or one end-user token's tenant and user. */
export function credentialBucket(principal: Principal): string {
  return principal.kind === 'API_KEY' ? `key:${principal.keyId}` : `token:${principal.tenantId}:${principal.boundUser}`;
}

/** Counts `cost` against a limit per minute (0: no limit); throws RATE_LIMITED past it. */
export async function enforceRateLimit(
  services: Services,
  bucket: string,
  limit: number,
  what: string,
  cost = 1,
): Promise<void> {
  if (limit === 0) return;
  const decision = await services.rateLimiter.hit(bucket, limit, RATE_WINDOW_MS, cost);
  if (!decision.allowed) throw rateLimited(what, decision.retryAfterMs);
}

/** Embeds every text asked for in one tick of a request as one batch. */
export function batchedEmbedder(embedder: Embedder): EmbedFunction {
  const loader = new DataLoader<string, number[]>((texts) => embedder.embed([...texts]), { maxBatchSize: 100 });
  const embed = async (texts: string[]) => {
    const vectors = await loader.loadMany(texts);
    const failure = vectors.find((vector): vector is Error => vector instanceof Error);
    if (failure) throw failure;
    return vectors as number[][];
  };
  return Object.assign(embed, { modelId: embedder.modelId });
}

/** The credential behind a request, as its changes' history names it. */
export function actorOf(principal: Principal): ChangeActor {
  return principal.kind === 'API_KEY'
    ? { kind: 'API_KEY', apiKeyId: principal.keyId, keyPrefix: principal.keyPrefix, keyName: principal.keyName }
    : { kind: 'END_USER_TOKEN' };
}

/** @param credential how an open subscription learns that the request's credential stopped working */
export function createContext(services: Services, principal: Principal, credential?: CredentialCheck): Context {
  const embed = batchedEmbedder(services.embedder);
  const modelUsage: Usage[] = [];
  const users = new Map<string, Promise<ReturnType<typeof userServices>>>();
  const tenantScope = new ScopedDatabase(
    services.appPrisma ?? services.prisma,
    { tenantId: principal.tenantId },
    services,
  );

  const resolveUser = (rawExternalUserId?: string | null): string => {
    if (rawExternalUserId == null) {
      if (!principal.boundUser)
        throw new ValidationError('externalUserId', 'externalUserId is required with an API key.');
      return principal.boundUser;
    }
    const externalUserId = normalizeExternalUserId(rawExternalUserId);
    if (principal.boundUser && externalUserId !== principal.boundUser) {
      throw forbidden('This end-user token is bound to another end user.');
    }
    return externalUserId;
  };

  const forUser = (rawExternalUserId?: string | null) => {
    const externalUserId = resolveUser(rawExternalUserId);
    let user = users.get(externalUserId);
    if (!user) {
      // Counted once per request and end user, however many fields name them.
      const bucket = `user:${principal.tenantId}:${externalUserId}`;
      user = enforceRateLimit(services, bucket, services.rateLimits.perEndUser, 'this end user').then(() =>
        userServices(services, principal.tenantId, externalUserId, embed, {
          onModelUsage: (spent) => modelUsage.push(...spent),
          actor: actorOf(principal),
        }),
      );
      users.set(externalUserId, user);
    }
    return user;
  };

  return {
    principal,
    modelUsage,
    resolveUser,
    forUser: async (externalUserId) => (await forUser(externalUserId)).memories,
    conversationsOf: async (externalUserId) => (await forUser(externalUserId)).conversations,
    subscribeToMemoryEvents: (topic) => {
      const events = services.pubsub.subscribe('memoryEvents', topic);
      return credential ? endsWithCredential(events, credential, services.credentialRecheckMs ?? 10_000) : events;
    },
    tenant: new TenantDirectory(tenantScope),
    keys: new TenantKeys(tenantScope, () => services.authenticator.forget()),
    tokens: new TenantTokens(services.prisma, principal.tenantId, services.serverSecret, () =>
      services.authenticator.forget(),
    ),
    redactionRules: new TenantRedactionRules(tenantScope),
    webhooks: new TenantWebhooks(tenantScope, services.webhooksAllowPrivate ?? false),
  };
}
