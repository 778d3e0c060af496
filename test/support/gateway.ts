import type { YogaLogger } from 'graphql-yoga';
import { Claude } from '../../src/llm/claude.js';
import { createTenant } from '../../src/db/admin.js';
import type { Services } from '../../src/context.js';
import type { Embedder } from '../../src/embeddings/embedder.js';
import { localEmbedder } from './localEmbedder.js';
import type { CorsSettings } from '../../src/http/cors.js';
import type { HardeningOptions } from '../../src/http/hardening.js';
import type { RateLimiter, RateLimits } from '../../src/app/rateLimit.js';
import { loadConfig } from '../../src/config.js';
import { createServices } from '../../src/services.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/yoga.js';
import { openTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';
import type { TypedDocumentString } from '../gql/graphql.js';
import { ADD } from './operations.js';

export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';

export { localEmbedder };

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
  /**
   * POSTs a GraphQL operation through yoga.fetch; `key` defaults to acme's. A generated document
   * (support/operations.ts) has its variables type-checked; its result is read loosely, as the
   * suites assert every branch of the result unions at run time. A plain string sends anything.
   */
  request<TVariables>(
    query: TypedDocumentString<unknown, TVariables>,
    variables: TVariables,
    key?: string | null,
  ): Promise<GraphQLResponse>;
  request<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    key?: string | null,
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export async function startTestGateway(
  kind: DatabaseKind,
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
  // The gateway as main.ts builds it (the composition root), from a test configuration.
  const config = loadConfig({
    NODE_ENV: 'test',
    MEMGATE_SECRET: TEST_SECRET,
    // Suites send many requests and bad credentials from one address; the limits are tested on their own.
    MEMGATE_RATE_LIMIT_PER_KEY: '0',
    MEMGATE_RATE_LIMIT_PER_USER: '0',
    MEMGATE_AUTH_FAILURES_PER_ADDRESS: '0',
  });
  const built = createServices(config, db, {
    embedder: options.embedder ?? localEmbedder(),
    claude: options.claude,
    rateLimiter: options.rateLimiter,
    credentialCacheMs: 0,
  });
  const services: GatewayOptions = {
    ...built,
    logging: options.logging,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    fieldSuggestions: true,
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
    async request(
      query: string | TypedDocumentString<unknown, unknown>,
      variables?: unknown,
      key: string | null = acme.apiKey,
    ) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key !== null) headers.authorization = `Bearer ${key}`;
      const response = await gateway.fetch('http://memgate.test/graphql', {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...(await response.json()) };
    },
    close: async () => {
      await built.close();
      await db.destroy();
    },
  };
}

/** Three scopes in two tenants — acme's alice and bob, globex's alice — each given one memory through the API. */
export async function rememberOneEach(
  t: TestGateway,
  content: (user: string) => string,
  idempotencyKey?: string,
): Promise<void> {
  for (const [user, key] of [
    ['alice', t.tenants.acme.apiKey],
    ['bob', t.tenants.acme.apiKey],
    ['alice', t.tenants.globex.apiKey],
  ] as const) {
    await t.request(ADD, { input: { externalUserId: user, content: content(user), idempotencyKey } }, key);
  }
}
