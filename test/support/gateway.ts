import type { YogaLogger } from 'graphql-yoga';
import { LocalPubSub } from '../../src/pubsub/localPubSub.js';
import { Claude } from '../../src/llm/claude.js';
import { Authenticator } from '../../src/auth/authenticator.js';
import { createTenant } from '../../src/db/admin.js';
import { AnnIndexes } from '../../src/db/annIndex.js';
import type { Services } from '../../src/context.js';
import type { Embedder } from '../../src/embeddings/embedder.js';
import { LocalEmbedder } from '../../src/embeddings/local.js';
import type { CorsSettings } from '../../src/http/cors.js';
import type { HardeningOptions } from '../../src/http/hardening.js';
import { MemoryRateLimiter, type RateLimiter, type RateLimits } from '../../src/http/rateLimit.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/yoga.js';
import { openTestDatabase, type TestDatabase } from './databases.js';

export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';

let sharedEmbedder: LocalEmbedder | undefined;

/** The real offline model, loaded once per test file. */
export function localEmbedder(): LocalEmbedder {
  sharedEmbedder ??= new LocalEmbedder();
  return sharedEmbedder;
}

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, any>;
}

export interface TestGateway {
  db: TestDatabase;
  gateway: Gateway;
  services: Services;
  /** Two tenants with a full-scope key each. */
  tenants: { acme: { tenantId: string; apiKey: string }; globex: { tenantId: string; apiKey: string } };
  /** POSTs a GraphQL operation through yoga.fetch; `key` defaults to acme's. */
  request<T = any>(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export async function startTestGateway(
  kind: 'pglite' | 'postgres',
  options: {
    onQuery?: (sql: string) => void;
    embedder?: Embedder;
    logging?: YogaLogger;
    rateLimiter?: RateLimiter;
    rateLimits?: RateLimits;
    claude?: Claude;
    hardening?: Partial<HardeningOptions>;
    cors?: CorsSettings;
    /** Anything else of the gateway's options (logger, metrics, readiness, trusted documents…). */
    extra?: Partial<GatewayOptions>;
  } = {},
): Promise<TestGateway> {
  const db = await openTestDatabase(kind, { onQuery: options.onQuery });
  const acme = await createTenant(db.prisma, 'acme');
  const globex = await createTenant(db.prisma, 'globex');
  const serverSecret = TEST_SECRET;
  const services = {
    prisma: db.prisma,
    appPrisma: db.appPrisma,
    readScoped: db.readScoped,
    annIndexes: new AnnIndexes(db.prisma),
    embedder: options.embedder ?? localEmbedder(),
    authenticator: new Authenticator(db.prisma, { serverSecret, cacheTtlMs: 0 }),
    serverSecret,
    logging: options.logging,
    rateLimiter: options.rateLimiter ?? new MemoryRateLimiter(),
    // Suites send many bad credentials from one address; the failure limit is tested on its own.
    rateLimits: options.rateLimits ?? { perCredential: 0, perEndUser: 0, authFailuresPerAddress: 0 },
    claude: options.claude ?? new Claude({ model: 'test', maxTokens: 100, timeoutMs: 1000, maxRetries: 0 }),
    pubsub: new LocalPubSub(),
    jobLeaseMs: 20_000,
    cors: options.cors,
    ...options.hardening,
    ...options.extra,
  };
  const gateway = createGateway(services);
  return {
    db,
    gateway,
    services,
    tenants: { acme, globex },
    async request(query, variables, key = acme.apiKey) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key !== null) headers.authorization = `Bearer ${key}`;
      const response = await gateway.fetch('http://memgate.test/graphql', {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...(await response.json()) };
    },
    close: () => db.destroy(),
  };
}
