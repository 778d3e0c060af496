import { createPubSub } from 'graphql-yoga';
import { Authenticator } from './auth/authenticator.js';
import { AnnIndexes } from './db/annIndex.js';
import { resolveServerSecret } from './auth/serverSecret.js';
import type { Config } from './config.js';
import type { MemoryPubSub } from './context.js';
import type { Database } from './db/database.js';
import { createEmbedder } from './embeddings/fromConfig.js';
import { MemoryRateLimiter, RedisRateLimiter } from './http/rateLimit.js';
import { Claude } from './llm/claude.js';
import type { GatewayOptions } from './yoga.js';

/** Everything a gateway needs, built from the configuration; `close` releases what it opened. */
export function createServices(config: Config, db: Database): GatewayOptions & { close(): Promise<void> } {
  const serverSecret = resolveServerSecret(config);
  const embedder = createEmbedder(config);
  const rateLimiter = config.redisUrl ? new RedisRateLimiter(config.redisUrl) : new MemoryRateLimiter();
  // An HNSW index made meanwhile (memgate index) is put to use within a minute.
  const annIndexes = new AnnIndexes(db.prisma);
  const refresh = () => annIndexes.refresh().catch((error: Error) => console.error(`Could not list ANN indexes: ${error.message}`));
  void refresh();
  const refresher = setInterval(refresh, 60_000).unref();
  return {
    prisma: db.prisma,
    readScoped: db.readScoped,
    annIndexes,
    embedder,
    authenticator: new Authenticator(db.prisma, { serverSecret }),
    serverSecret,
    rateLimiter,
    claude: new Claude(config.llm),
    pubsub: createPubSub() as MemoryPubSub,
    rateLimits: { perCredential: config.rateLimitPerCredential, perEndUser: config.rateLimitPerEndUser },
    graphiql: config.graphiql,
    introspection: config.introspection,
    fieldSuggestions: config.nodeEnv === 'development',
    maxBodyBytes: config.maxBodyBytes,
    corsOrigins: config.corsOrigins,
    close: async () => {
      clearInterval(refresher);
      await Promise.all([rateLimiter.close(), embedder.close?.()]);
    },
  };
}
