import { Authenticator } from './auth/authenticator.js';
import { AnnIndexes } from './db/annIndex.js';
import { resolveServerSecret } from './auth/serverSecret.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { createEmbedder } from './embeddings/fromConfig.js';
import { MemoryRateLimiter, RedisRateLimiter } from './http/rateLimit.js';
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

/** Everything a gateway needs, built from the configuration; `close` releases what it opened. */
export function createServices(config: Config, db: Database, logger?: Logger): GatewayOptions & { readiness: Readiness; close(): Promise<void> } {
  const serverSecret = resolveServerSecret(config);
  const metrics = new Metrics(db.poolStats);
  const embedder = instrumentedEmbedder(createEmbedder(config), metrics);
  const rateLimiter = config.redisUrl ? new RedisRateLimiter(config.redisUrl) : new MemoryRateLimiter();
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
    annIndexes,
    embedder,
    authenticator: new Authenticator(db.prisma, { serverSecret }),
    serverSecret,
    rateLimiter,
    claude: new Claude(config.llm, observeLlmCalls(metrics)),
    jobLeaseMs: config.jobLeaseMs,
    pubsub,
    rateLimits: {
      perCredential: config.rateLimitPerCredential,
      perEndUser: config.rateLimitPerEndUser,
      authFailuresPerAddress: config.authFailuresPerAddress,
    },
    trustProxy: config.trustProxy,
    graphiql: config.graphiql,
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
      await Promise.all([rateLimiter.close(), embedder.close?.(), pubsub instanceof RedisPubSub ? pubsub.close() : undefined]);
    },
  };
}
