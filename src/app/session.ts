import type { Principal } from '../auth/principal.js';
import { TenantKeys } from '../auth/tenantKeys.js';
import { TenantTokens } from '../auth/tenantTokens.js';
import type { Context, Services } from '../context.js';
import { ScopedDatabase } from '../db/scope.js';
import type { Usage } from '../llm/claude.js';
import { TenantRedactionRules } from '../memory/redactionRules.js';
import { TenantDirectory } from '../memory/tenantDirectory.js';
import { TenantWebhooks } from '../webhooks/tenantWebhooks.js';
import { actorOf, Caller, RequestBudget, type Transport } from './caller.js';
import { endsWithCredential, type CredentialCheck } from './credentialGuard.js';
import { MemoryCalls } from './memoryCalls.js';
import { TenantCalls } from './tenantCalls.js';
import { batchedEmbedder, memoryTopic, userServices, type UserServices } from './userServices.js';

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
export function openSession(services: Services, principal: Principal, options: SessionOptions): Context {
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
    const stream = services.pubsub.subscribe('memoryEvents', memoryTopic(principal.tenantId, externalUserId));
    const { credential } = options;
    return credential ? endsWithCredential(stream, credential, services.credentialRecheckMs ?? 10_000) : stream;
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
    tokens: new TenantTokens(services.prisma, principal.tenantId, services.serverSecret, forgetCredentials),
    redactionRules: new TenantRedactionRules(tenantScope),
    webhooks: new TenantWebhooks(tenantScope, services.webhooksAllowPrivate ?? false),
    servicesOf,
  });
  return { principal, caller, modelUsage, memories: new MemoryCalls(caller, { servicesOf, events }), tenant };
}
