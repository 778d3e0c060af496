import type { CorsSettings } from './http/cors.js';
import { defaultModelThreads } from './embeddings/local.js';
import type { RemoteEmbeddingsConfig } from './embeddings/openaiCompatible.js';
import type { LlmConfig } from './llm/claude.js';
import { LOG_LEVELS, type LogLevel } from './observability/logger.js';
import { ConfigError } from './errors.js';

/** Every environment variable Memgate reads, parsed and validated in one place. */
export interface Config {
  nodeEnv: string;
  isProduction: boolean;
  /** MEMGATE_UNSAFE_PRIVILEGED_USER_WORK: production may run end users' work on DATABASE_URL's login. */
  unsafePrivilegedUserWork: boolean;
  host: string;
  port: number;
  /** PostgreSQL URL; when absent, the embedded PGlite in dataDir is used. */
  databaseUrl?: string;
  /** The unprivileged login for end users' work (see `memgate roles`); DATABASE_URL's role does everything without it. */
  databaseAppUrl?: string;
  dataDir: string;
  databasePoolSize: number;
  /** Serve GraphiQL at /graphql to browsers: on by default in development, off in production. */
  graphiql: boolean;
  explorer: boolean;
  /** Signs end-user tokens; at least 32 characters. Unset: see src/auth/serverSecret.ts. */
  secret?: string;
  /** Answer introspection queries: on by default in development, off in production. */
  introspection: boolean;
  /** Largest accepted request body. */
  maxBodyBytes: number;
  /** Shared rate-limit counters; in-memory when unset. */
  redisUrl?: string;
  rateLimitPerCredential: number;
  rateLimitPerEndUser: number;
  subscriptionsPerCredential: number;
  subscriptionsPerEndUser: number;
  /** Failed authentications per minute from one client address before it is refused without a lookup; 0: off. */
  authFailuresPerAddress: number;
  /** Take the client address from X-Forwarded-For (behind a trusted proxy). */
  trustProxy: boolean;
  /** Webhook endpoints may be loopback or private addresses (tests, private networks). */
  webhooksAllowPrivate: boolean;
  /** How long one webhook delivery attempt may take; an attempt's claim lasts three times as long. */
  webhookTimeoutMs: number;
  /** Browser origins allowed by CORS (undefined: any; Memgate never uses cookies), and extra headers. */
  cors: CorsSettings;
  /** Claude: without an API key the LLM fields answer LLM_NOT_CONFIGURED. */
  llm: LlmConfig;
  /** A remote OpenAI-compatible embedding provider; unset: the offline local model. */
  embeddings?: RemoteEmbeddingsConfig;
  /** Worker threads of the offline local model (each holds its own copy). */
  localModelThreads: number;
  logLevel: LogLevel;
  /** When set, /metrics requires this bearer token. */
  metricsToken?: string;
  /** A persisted-documents manifest: when set, only its operations are accepted. */
  trustedDocuments?: string;
  /** On SIGTERM, how long in-flight requests may take before the process exits anyway. */
  shutdownTimeoutMs: number;
  /**
   * How long a conversation job stays claimed without a heartbeat (renewed every quarter of it while
   * it runs): a crashed instance's job is taken up by another within this time.
   */
  jobLeaseMs: number;
}

/** A current fast Claude model. */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-haiku-4-5';

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** A comma-separated list, each entry checked; undefined when the variable is unset or empty. */
function list(env: NodeJS.ProcessEnv, name: string, check: (entry: string) => string | null): string[] | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const problem = check(entry);
      if (problem) throw new ConfigError(`${name}: "${entry}" ${problem}`);
      return entry;
    });
}

/** Browsers send an origin as scheme://host[:port], nothing more: anything else could never match. */
function originOf(entry: string): string | null {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return 'is not an origin: write it as https://host[:port]';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'is not an origin: the scheme must be https:// or http://';
  if (url.origin !== entry) return `is not an origin: write it as ${url.origin} (no path, query or trailing slash)`;
  return null;
}

function headerName(entry: string): string | null {
  return /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(entry) ? null : 'is not a header name';
}

const NODE_ENVS = ['development', 'production', 'test'];

function logLevel(env: NodeJS.ProcessEnv): LogLevel {
  const raw = env.LOG_LEVEL || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw))
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return raw as LogLevel;
}

function secret(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.MEMGATE_SECRET;
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 32) throw new ConfigError('MEMGATE_SECRET must be at least 32 characters');
  return raw;
}

function remoteEmbeddings(env: NodeJS.ProcessEnv): RemoteEmbeddingsConfig | undefined {
  const url = env.EMBEDDINGS_URL;
  if (!url) return undefined;
  if (!/^https?:\/\//.test(url)) throw new ConfigError('EMBEDDINGS_URL must start with http:// or https://');
  if (!env.EMBEDDINGS_MODEL) throw new ConfigError('EMBEDDINGS_MODEL is required with EMBEDDINGS_URL');
  const dimensions = integer(env, 'EMBEDDINGS_DIMENSIONS', 0, 0, 16_000);
  return {
    url,
    model: env.EMBEDDINGS_MODEL,
    apiKey: env.EMBEDDINGS_API_KEY || undefined,
    dimensions: dimensions || undefined,
    batchSize: integer(env, 'EMBEDDINGS_BATCH_SIZE', 64, 1, 2048),
    timeoutMs: integer(env, 'EMBEDDINGS_TIMEOUT_MS', 10_000, 100, 600_000),
    maxRetries: integer(env, 'EMBEDDINGS_MAX_RETRIES', 3, 0, 10),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV || 'development';
  // A typo ("prod") must not run a production deployment in development mode (GraphiQL, a dev tenant).
  if (!NODE_ENVS.includes(nodeEnv))
    throw new ConfigError(`NODE_ENV must be one of ${NODE_ENVS.join(', ')}, got "${nodeEnv}"`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const databaseAppUrl = env.DATABASE_APP_URL || undefined;
  if (databaseAppUrl && !/^postgres(ql)?:\/\//.test(databaseAppUrl)) {
    throw new ConfigError('DATABASE_APP_URL must start with postgres:// or postgresql://');
  }
  if (databaseAppUrl && !databaseUrl)
    throw new ConfigError('DATABASE_APP_URL needs DATABASE_URL (the owner, for migrations and key lookups)');
  return {
    nodeEnv,
    isProduction: nodeEnv === 'production',
    unsafePrivilegedUserWork: boolean(env, 'MEMGATE_UNSAFE_PRIVILEGED_USER_WORK', false),
    host: env.HOST || '0.0.0.0',
    port: integer(env, 'PORT', 4000, 1, 65535),
    databaseUrl,
    databaseAppUrl,
    dataDir: env.MEMGATE_DATA_DIR || './.memgate',
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    graphiql: boolean(env, 'MEMGATE_GRAPHIQL', nodeEnv !== 'production'),
    explorer: boolean(env, 'MEMGATE_EXPLORER', nodeEnv !== 'production'),
    secret: secret(env),
    introspection: boolean(env, 'MEMGATE_INTROSPECTION', nodeEnv !== 'production'),
    maxBodyBytes: integer(env, 'MEMGATE_MAX_BODY_BYTES', 6 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    redisUrl: env.REDIS_URL || undefined,
    rateLimitPerCredential: integer(env, 'MEMGATE_RATE_LIMIT_PER_KEY', 1200, 0, 10_000_000),
    rateLimitPerEndUser: integer(env, 'MEMGATE_RATE_LIMIT_PER_USER', 300, 0, 10_000_000),
    subscriptionsPerCredential: integer(env, 'MEMGATE_SUBSCRIPTIONS_PER_KEY', 200, 0, 1_000_000),
    subscriptionsPerEndUser: integer(env, 'MEMGATE_SUBSCRIPTIONS_PER_USER', 20, 0, 1_000_000),
    authFailuresPerAddress: integer(env, 'MEMGATE_AUTH_FAILURES_PER_ADDRESS', 60, 0, 10_000_000),
    trustProxy: boolean(env, 'MEMGATE_TRUST_PROXY', false),
    webhooksAllowPrivate: boolean(env, 'MEMGATE_WEBHOOKS_ALLOW_PRIVATE', false),
    webhookTimeoutMs: integer(env, 'MEMGATE_WEBHOOK_TIMEOUT_SECONDS', 10, 1, 60) * 1000,
    cors: {
      origins: list(env, 'MEMGATE_CORS_ORIGINS', originOf),
      extraAllowedHeaders: list(env, 'MEMGATE_CORS_ALLOWED_HEADERS', headerName),
      extraExposedHeaders: list(env, 'MEMGATE_CORS_EXPOSED_HEADERS', headerName),
    },
    llm: {
      apiKey: env.ANTHROPIC_API_KEY || undefined,
      baseURL: env.ANTHROPIC_BASE_URL || undefined,
      model: env.ANTHROPIC_MODEL || DEFAULT_ANTHROPIC_MODEL,
      maxTokens: integer(env, 'ANTHROPIC_MAX_TOKENS', 2048, 1, 64_000),
      timeoutMs: integer(env, 'ANTHROPIC_TIMEOUT_MS', 30_000, 100, 600_000),
      maxRetries: integer(env, 'ANTHROPIC_MAX_RETRIES', 3, 0, 10),
    },
    embeddings: remoteEmbeddings(env),
    localModelThreads: integer(env, 'EMBEDDINGS_LOCAL_THREADS', defaultModelThreads(), 1, 64),
    logLevel: logLevel(env),
    metricsToken: env.MEMGATE_METRICS_TOKEN || undefined,
    trustedDocuments: env.MEMGATE_TRUSTED_DOCUMENTS || undefined,
    shutdownTimeoutMs: integer(env, 'MEMGATE_SHUTDOWN_TIMEOUT_MS', 25_000, 0, 600_000),
    jobLeaseMs: integer(env, 'MEMGATE_JOB_LEASE_SECONDS', 20, 2, 3600) * 1000,
  };
}

/**
 * A production gateway on PostgreSQL runs end users' work on an unprivileged login (DATABASE_APP_URL):
 * on the DATABASE_URL login (a superuser or BYPASSRLS, as migrations need) a scoped transaction could
 * RESET ROLE out of row-level security. Refused unless the operator accepts that explicitly.
 */
export function checkProductionSafety(config: Config): void {
  if (!config.isProduction || !config.databaseUrl || config.databaseAppUrl || config.unsafePrivilegedUserWork) return;
  throw new ConfigError(
    "NODE_ENV=production needs DATABASE_APP_URL: without it end users' work runs on the DATABASE_URL login, " +
      'which can leave row-level security. Create the login with `npx memgate roles` (docs/security.md), ' +
      'or set MEMGATE_UNSAFE_PRIVILEGED_USER_WORK=true to run this way anyway (unsafe).',
  );
}
