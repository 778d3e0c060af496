import { Authenticator } from './auth/authenticator.js';
import { AnnIndexes } from './db/annIndex.js';
import { resolveServerSecret } from './auth/serverSecret.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Embedder } from './embeddings/embedder.js';
import { createEmbedder } from './embeddings/fromConfig.js';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from './app/rateLimit.js';
import { PersistedDocuments } from './app/persistedDocuments.js';
import { SubscriptionSlots } from './app/subscriptionSlots.js';
import { loadTrustedDocuments } from './http/trustedDocuments.js';
import { Claude } from './llm/claude.js';
import { instrumentedEmbedder } from './observability/instrumentedEmbedder.js';
import type { Logger } from './observability/logger.js';
import { Metrics, observeLlmCalls } from './observability/metrics.js';
import { Readiness } from './observability/readiness.js';
import { databaseCheck, embedderCheck, migrationsCheck } from './observability/readinessChecks.js';
import { LocalPubSub } from './pubsub/localPubSub.js';
import { RedisPubSub } from './pubsub/redisPubSub.js';
import type { GatewayOptions } from './yoga.js';

/** What the host hands in instead of having it built from the configuration (tests share one model, fake Claude…). */
export interface ProvidedParts {
  logger?: Logger;
  /** Closed by whoever made it, not by the services. */
  embedder?: Embedder;
  claude?: Claude;
  rateLimiter?: RateLimiter;
  /** How long a verified credential is trusted without a lookup (default 30 s; revocations through this gateway apply at once). */
  credentialCacheMs?: number;
}

/** Everything a gateway needs, built from the configuration; `close` releases what it opened. */
export function createServices(
  config: Config,
  db: Database,
  { logger, ...provided }: ProvidedParts = {},
): GatewayOptions & { readiness: Readiness; close(): Promise<void> } {
  const serverSecret = resolveServerSecret(config);
  const metrics = new Metrics(db.poolStats);
  const ownEmbedder = provided.embedder ? undefined : createEmbedder(config);
  const embedder = instrumentedEmbedder(provided.embedder ?? ownEmbedder!, metrics);
  const rateLimiter =
    provided.rateLimiter ?? (config.redisUrl ? new RedisRateLimiter(config.redisUrl) : new MemoryRateLimiter());
  // An HNSW index made meanwhile (memgate index) is put to use within a minute.
  const annIndexes = new AnnIndexes(db.prisma);
  const refresh = () =>
    annIndexes.refresh().catch((error: Error) => {
      if (logger) logger.error({ err: error }, 'could not list ANN indexes');
      else console.error(`Could not list ANN indexes: ${error.message}`);
    });
  void refresh();
  const refresher = setInterval(() => void refresh(), 60_000).unref();
  const pubsub = config.redisUrl ? new RedisPubSub(config.redisUrl) : new LocalPubSub();
  // A persisted document may name an end user (an email written into the query): every instance
  // drops its copies when the user is erased through any of them.
  const persistedDocuments = new PersistedDocuments();
  pubsub.onErasure((tenantId, externalUserId) => persistedDocuments.forgetMentions(tenantId, externalUserId));
  const readiness = new Readiness({
    database: databaseCheck(db),
    migrations: migrationsCheck(db),
    embedder: embedderCheck(embedder),
    ...(rateLimiter instanceof RedisRateLimiter ? { redis: () => rateLimiter.ping() } : {}),
  });
  return {
    prisma: db.prisma,
    appPrisma: db.appPrisma,
    readScoped: db.readScoped,
    writeScoped: db.writeScoped,
    citus: db.citus,
    annIndexes,
    embedder,
    authenticator: new Authenticator(db.prisma, { serverSecret, cacheTtlMs: provided.credentialCacheMs }),
    serverSecret,
    rateLimiter,
    claude: provided.claude ?? new Claude(config.llm, observeLlmCalls(metrics)),
    jobLeaseMs: config.jobLeaseMs,
    pubsub,
    persistedDocuments,
    subscriptions: new SubscriptionSlots({
      perCredential: config.subscriptionsPerCredential,
      perEndUser: config.subscriptionsPerEndUser,
    }),
    rateLimits: {
      perCredential: config.rateLimitPerCredential,
      perEndUser: config.rateLimitPerEndUser,
      authFailuresPerAddress: config.authFailuresPerAddress,
    },
    trustProxy: config.trustProxy,
    webhooksAllowPrivate: config.webhooksAllowPrivate,
    graphiql: config.graphiql,
    explorer: config.explorer,
    introspection: config.introspection,
    fieldSuggestions: config.nodeEnv === 'development',
    maxBodyBytes: config.maxBodyBytes,
    cors: config.cors,
    logger,
    metrics,
    metricsToken: config.metricsToken,
    readiness,
    trustedDocuments: config.trustedDocuments ? loadTrustedDocuments(config.trustedDocuments) : undefined,
    close: async () => {
      clearInterval(refresher);
      await Promise.all([
        provided.rateLimiter ? undefined : rateLimiter.close(),
        ownEmbedder?.close?.(),
        pubsub instanceof RedisPubSub ? pubsub.close() : undefined,
      ]);
    },
  };
}
