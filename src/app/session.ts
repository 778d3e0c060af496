import type { Principal } from '../auth/principal.js';
import { TenantKeys } from '../auth/tenantKeys.js';
import { TenantTokens } from '../auth/tenantTokens.js';
import type { Context, Services } from '../context.js';
import type { Database } from '../db/database.js';
import type { Embedder } from '../embeddings/embedder.js';
import { Claude } from '../llm/claude.js';
import { LocalPubSub } from '../pubsub/localPubSub.js';
import { MemoryRateLimiter } from './rateLimit.js';
import { ScopedDatabase } from '../db/scope.js';
import type { Usage } from '../llm/claude.js';
import { TenantRedactionRules } from '../memory/redactionRules.js';
import { TenantDirectory } from '../memory/tenantDirectory.js';
import { TenantWebhooks } from '../webhooks/tenantWebhooks.js';
import { actorOf, Caller, credentialBucket, RequestBudget, type Transport } from './caller.js';
import { endsWithCredential, type CredentialCheck } from './credentialGuard.js';
import { EntityCalls } from './entityCalls.js';
import { MemoryCalls } from './memoryCalls.js';
import { TenantCalls } from './tenantCalls.js';
import { batchedEmbedder, memoryTopic, userServices, type UserServices } from './userServices.js';

/** What a session is built from: the gateway's services, or the command line's few. */
export type SessionServices = Omit<Services, 'authenticator' | 'serverSecret'> & {
  authenticator: Pick<Services['authenticator'], 'forget'>;
  /** Signs end-user tokens; the command line mints none. */
  serverSecret?: string;
};

export interface SessionOptions {
  transport: Transport;
  /** Shared by the sessions of one request (an HTTP batch's operations). */
  budget?: RequestBudget;
  /** How an open subscription learns that the credential stopped working. */
  credential?: CredentialCheck;
}

/**
 * The one door of every transport: a credential's calls for one request (an HTTP request, a
 * WebSocket operation, an MCP message batch, a command). Transports receive this and nothing else of
 * the application: memories, conversations and the tenant's settings are reached only through its
 * calls, which apply the policy (app/caller.ts) and shape their results (app/views.ts).
 */
export function openSession(services: SessionServices, principal: Principal, options: SessionOptions): Context {
  const caller = new Caller(services, principal, options.transport, options.budget);
  const embed = batchedEmbedder(services.embedder);
  const modelUsage: Usage[] = [];
  const actor = actorOf(principal);
  const users = new Map<string, UserServices>();
  const servicesOf = (externalUserId: string) => {
    let user = users.get(externalUserId);
    if (!user) {
      const onModelUsage = (spent: Usage[]) => modelUsage.push(...spent);
      user = userServices(services, principal.tenantId, externalUserId, embed, { onModelUsage, actor });
      users.set(externalUserId, user);
    }
    return user;
  };
  const events = (externalUserId: string) => {
    const topic = memoryTopic(principal.tenantId, externalUserId);
    const open = () => {
      const stream = services.pubsub.subscribe('memoryEvents', topic);
      const { credential } = options;
      return credential ? endsWithCredential(stream, credential, services.credentialRecheckMs ?? 10_000) : stream;
    };
    return services.subscriptions ? services.subscriptions.hold(credentialBucket(principal), topic, open) : open();
  };
  const tenantScope = new ScopedDatabase(
    services.appPrisma ?? services.prisma,
    { tenantId: principal.tenantId },
    services,
  );
  const forgetCredentials = () => services.authenticator.forget();
  const tenant = new TenantCalls(caller, {
    directory: new TenantDirectory(tenantScope),
    keys: new TenantKeys(tenantScope, forgetCredentials),
    tokens: () => {
      if (!services.serverSecret) throw new Error('This session cannot mint end-user tokens (no server secret).');
      return new TenantTokens(services.prisma, principal.tenantId, services.serverSecret, forgetCredentials);
    },
    redactionRules: new TenantRedactionRules(tenantScope),
    webhooks: new TenantWebhooks(tenantScope, services.webhooksAllowPrivate ?? false),
    servicesOf,
  });
  return {
    principal,
    caller,
    modelUsage,
    memories: new MemoryCalls(caller, {
      servicesOf,
      events,
      onErased: (externalUserId) => services.pubsub.publishErasure(principal.tenantId, externalUserId),
    }),
    entities: new EntityCalls(caller, servicesOf),
    tenant,
  };
}

/**
 * The command line's session: the operator acts for one tenant with every scope, without rate
 * limits, through the same calls as a credential — its changes name OPERATOR in their history.
 */
export function operatorSession(
  { db, embedder, onKeysChanged }: { db: Database; embedder: Embedder; onKeysChanged: () => void },
  tenant: { id: string; name: string },
): Context {
  const services: SessionServices = {
    prisma: db.prisma,
    readScoped: db.readScoped,
    writeScoped: db.writeScoped,
    citus: db.citus,
    embedder,
    authenticator: { forget: onKeysChanged },
    rateLimiter: new MemoryRateLimiter(),
    rateLimits: { perCredential: 0, perEndUser: 0 },
    // The command line calls no model: its conversations would answer LLM_NOT_CONFIGURED.
    claude: new Claude({ model: 'none', maxTokens: 1, timeoutMs: 1, maxRetries: 0 }),
    jobLeaseMs: 60_000,
    pubsub: new LocalPubSub(),
  };
  const principal: Principal = {
    kind: 'OPERATOR',
    tenantId: tenant.id,
    tenantName: tenant.name,
    scopes: ['READ', 'WRITE', 'ADMIN'],
  };
  return openSession(services, principal, { transport: 'cli' });
}
