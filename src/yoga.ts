import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { createYoga, type YogaLogger, type YogaServerInstance } from 'graphql-yoga';
import { createContext, credentialBucket, enforceRateLimit, type Context, type Services } from './context.js';
import { AuthFailureGuard, clientAddress } from './http/authFailures.js';
import { automaticPersistedQueries } from './http/automaticPersistedQueries.js';
import { corsOptions, type CorsSettings } from './http/cors.js';
import { costLimits } from './http/costLimits.js';
import { inputGuard } from './http/inputGuard.js';
import { hardeningPlugins, REQUEST_LIMITS, type HardeningOptions } from './http/hardening.js';
import { apolloMultipartSubscriptions } from './http/multipartSubscriptions.js';
import { modelUsageExtension } from './http/modelUsage.js';
import { trustedDocumentsPlugin, type TrustedDocuments } from './http/trustedDocuments.js';
import { operationalEndpoints } from './observability/endpoints.js';
import { yogaLogger, type Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { Readiness } from './observability/readiness.js';
import { requestObservability } from './observability/requestPlugins.js';
import { graphiqlPage } from './http/graphiql.js';
import { isIntrospectionOnly } from './http/introspection.js';
import { schema } from './schema/index.js';

export interface GatewayOptions extends Services, Partial<HardeningOptions> {
  graphiql?: boolean;
  /** Structured logs: one line per request, and Yoga's own messages. */
  logger?: Logger;
  /** Where Yoga logs when there is no logger (default: the console). */
  logging?: YogaLogger;
  metrics?: Metrics;
  /** When set, /metrics requires this bearer token. */
  metricsToken?: string;
  readiness?: Readiness;
  /** When set, only these operations run (MEMGATE_TRUSTED_DOCUMENTS). */
  trustedDocuments?: TrustedDocuments;
  /** Browser origins and the headers they may send and read (MEMGATE_CORS_*). */
  cors?: CorsSettings;
  /** Client addresses come from X-Forwarded-For (MEMGATE_TRUST_PROXY). */
  trustProxy?: boolean;
}

function unauthenticated(): GraphQLError {
  return new GraphQLError('A valid API key is required: send "Authorization: Bearer <key>".', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } } },
  });
}

/** The credential could not be checked (the database failed): retry, it is not refused. */
function unavailable(): GraphQLError {
  return new GraphQLError('The credential could not be verified right now; retry shortly.', {
    extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: { 'Retry-After': '1' } } },
  });
}

export type Gateway = YogaServerInstance<Record<string, unknown>, Context>;

export function createGateway(options: GatewayOptions): Gateway {
  const authFailures = new AuthFailureGuard(options.rateLimiter, options.rateLimits.authFailuresPerAddress ?? 60);
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    maskedErrors: true,
    logging: options.logger ? yogaLogger(options.logger) : (options.logging ?? true),
    // GraphiQL is served by graphiqlPage (compressed, cached, with a key bar; a page saying so when off).
    graphiql: false,
    cors: corsOptions(options.cors),
    batching: { limit: options.limits?.batch ?? REQUEST_LIMITS.batch },
    plugins: [
      operationalEndpoints(options),
      graphiqlPage(options.graphiql !== false),
      ...(options.logger || options.metrics ? [requestObservability(options.logger, options.metrics)] : []),
      // Trusted documents run only what the manifest holds; otherwise clients may send hashes (APQ).
      options.trustedDocuments ? trustedDocumentsPlugin(options.trustedDocuments) : automaticPersistedQueries(),
      inputGuard(),
      costLimits(options),
      modelUsageExtension(),
      apolloMultipartSubscriptions(),
      ...hardeningPlugins({
        introspection: options.introspection ?? true,
        fieldSuggestions: options.fieldSuggestions ?? true,
        maxBodyBytes: options.maxBodyBytes ?? 6 * 1024 * 1024,
        limits: options.limits,
      }),
    ],
    context: async (initial) => {
      const { request, params } = initial;
      const address = clientAddress(request, (initial as { req?: IncomingMessage }).req, options.trustProxy ?? false);
      authFailures.check(address);
      const principal = await options.authenticator.authenticate(request.headers.get('authorization')).catch((error: unknown) => {
        options.logger?.error({ err: error }, 'credential verification failed');
        throw unavailable();
      });
      if (!principal) {
        // No resolver of an introspection-only document reads the context.
        if ((options.introspection ?? true) && isIntrospectionOnly(params.query)) return {} as Context;
        await authFailures.failed(address);
        throw unauthenticated();
      }
      await enforceRateLimit(options, credentialBucket(principal), options.rateLimits.perCredential, 'this credential');
      const authorization = request.headers.get('authorization');
      return createContext(options, principal, {
        stillValid: async () => (await options.authenticator.authenticate(authorization, { fresh: true })) !== null,
        expiresAt: principal.kind === 'END_USER_TOKEN' ? principal.expiresAt : undefined,
      });
    },
  });
}
