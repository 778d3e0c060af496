import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { Authenticator } from './auth/authenticator.js';
import type { Principal } from './auth/principal.js';
import { RATE_WINDOW_MS, type RateLimiter, type RateLimits } from './http/rateLimit.js';
import { TenantKeys } from './auth/tenantKeys.js';
import { TenantTokens } from './auth/tenantTokens.js';
import { ScopedDatabase } from './db/scope.js';
import type { Embedder } from './embeddings/embedder.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { ValidationError } from './memory/errors.js';
import { TenantDirectory } from './memory/tenantDirectory.js';
import { UserMemories, type EmbedFunction } from './memory/userMemories.js';
import { normalizeExternalUserId } from './memory/validate.js';

export interface Services {
  prisma: PrismaClient;
  embedder: Embedder;
  authenticator: Authenticator;
  /** Signs end-user tokens. */
  serverSecret: string;
  rateLimiter: RateLimiter;
  rateLimits: RateLimits;
}

/** Per-request context: the caller, and the only doors to data. */
export interface Context {
  principal: Principal;
  /**
   * The end user's memories, scoped to this tenant. With an end-user token the identifier may be
   * omitted, and naming anyone else is FORBIDDEN; with an API key it is required.
   */
  forUser(externalUserId?: string | null): Promise<UserMemories>;
  /** Tenant-wide reads (end-user listings). */
  tenant: TenantDirectory;
  keys: TenantKeys;
  tokens: TenantTokens;
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export function rateLimited(what: string, retryAfterMs: number): GraphQLError {
  const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GraphQLError(`Too many requests for ${what}; retry after ${retryAfter} s.`, {
    extensions: { code: 'RATE_LIMITED', retryAfter, http: { status: 429, headers: { 'Retry-After': String(retryAfter) } } },
  });
}

/** Counts one request against a limit per minute (0: no limit); throws RATE_LIMITED past it. */
export async function enforceRateLimit(services: Services, bucket: string, limit: number, what: string): Promise<void> {
  if (limit === 0) return;
  const decision = await services.rateLimiter.hit(bucket, limit, RATE_WINDOW_MS);
  if (!decision.allowed) throw rateLimited(what, decision.retryAfterMs);
}

/** Embeds every text asked for in one tick of a request as one batch. */
function batchedEmbedder(embedder: Embedder): EmbedFunction {
  const loader = new DataLoader<string, number[]>((texts) => embedder.embed([...texts]), { maxBatchSize: 100 });
  const embed = async (texts: string[]) => {
    const vectors = await loader.loadMany(texts);
    const failure = vectors.find((vector): vector is Error => vector instanceof Error);
    if (failure) throw failure;
    return vectors as number[][];
  };
  return Object.assign(embed, { modelId: embedder.modelId });
}

export function createContext(services: Services, principal: Principal): Context {
  const embed = batchedEmbedder(services.embedder);
  const users = new Map<string, Promise<UserMemories>>();
  const tenantScope = new ScopedDatabase(services.prisma, { tenantId: principal.tenantId });
  return {
    principal,
    async forUser(rawExternalUserId) {
      let externalUserId: string;
      if (rawExternalUserId == null) {
        if (!principal.boundUser) throw new ValidationError('externalUserId', 'externalUserId is required with an API key.');
        externalUserId = principal.boundUser;
      } else {
        externalUserId = normalizeExternalUserId(rawExternalUserId);
        if (principal.boundUser && externalUserId !== principal.boundUser) {
          throw forbidden('This end-user token is bound to another end user.');
        }
      }
      let memories = users.get(externalUserId);
      if (!memories) {
        // Counted once per request and end user, however many fields name them.
        const bucket = `user:${principal.tenantId}:${externalUserId}`;
        memories = enforceRateLimit(services, bucket, services.rateLimits.perEndUser, 'this end user').then(
          () => new UserMemories(new ScopedDatabase(services.prisma, { tenantId: principal.tenantId, externalUserId }), embed),
        );
        users.set(externalUserId, memories);
      }
      return memories;
    },
    tenant: new TenantDirectory(tenantScope),
    keys: new TenantKeys(tenantScope, () => services.authenticator.forget()),
    tokens: new TenantTokens(services.prisma, principal.tenantId, services.serverSecret, () => services.authenticator.forget()),
  };
}
