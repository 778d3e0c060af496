import type { IncomingMessage } from 'node:http';
import { createYoga, type YogaLogger, type YogaServerInstance } from 'graphql-yoga';
import { RequestBudget, type Transport } from './app/caller.js';
import { PersistedDocuments } from './app/persistedDocuments.js';
import { openSession } from './app/session.js';
import type { Context, Services } from './context.js';
import { authFailureGuard, clientAddress } from './http/authFailures.js';
import { automaticPersistedQueries } from './http/automaticPersistedQueries.js';
import { authenticateCaller } from './http/caller.js';
import { corsOptions, type CorsSettings } from './http/cors.js';
import { callAdmission } from './http/callAdmission.js';
import { expectedErrors, maskErrors } from './http/graphqlErrors.js';
import { inputGuard } from './http/inputGuard.js';
import { requestErrorCodes } from './http/requestErrors.js';
import { hardeningPlugins, REQUEST_LIMITS, type HardeningOptions } from './http/hardening.js';
import { apolloMultipartSubscriptions } from './http/multipartSubscriptions.js';
import { modelUsageExtension } from './http/modelUsage.js';
import { trustedDocumentsPlugin, type TrustedDocuments } from './http/trustedDocuments.js';
import { operationalEndpoints } from './observability/endpoints.js';
import { yogaLogger, type Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { Readiness } from './observability/readiness.js';
import { requestObservability } from './observability/requestPlugins.js';
import { explorerPage } from './explorer/page.js';
import { graphiqlPage } from './http/graphiql.js';
import { isIntrospectionOnly } from './http/introspection.js';
import { mcpEndpoint } from './mcp/endpoint.js';
import { schema } from './schema/index.js';

export interface GatewayOptions extends Services, Partial<HardeningOptions> {
  graphiql?: boolean;
  /** The memory explorer at /explorer (MEMGATE_EXPLORER). */
  explorer?: boolean;
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

export type Gateway = YogaServerInstance<Record<string, unknown>, Context>;

/** What one HTTP request may spend, shared by its batched operations (each gets a context of its own). */
const budgets = new WeakMap<Request, RequestBudget>();
function budgetOf(request: Request): RequestBudget {
  let budget = budgets.get(request);
  if (!budget) budgets.set(request, (budget = new RequestBudget()));
  return budget;
}

/** What a transport other than HTTP hands Yoga with its operation (see http/websocket.ts). */
export interface InitialContext {
  transport?: 'websocket';
}

/** An HTTP request's transport: a plain answer, or a subscription's stream (Server-Sent Events, Apollo's multipart). */
function httpTransport(request: Request): Transport {
  const accept = request.headers.get('accept') ?? '';
  if (/multipart\/mixed/i.test(accept)) return 'multipart';
  return /text\/event-stream/i.test(accept) ? 'sse' : 'http';
}

export function createGateway(options: GatewayOptions): Gateway {
  const authFailures = authFailureGuard(options.rateLimiter, options.rateLimits.authFailuresPerAddress ?? 60);
  // A request's caller, authenticated once: by the persisted-queries plugin (before it touches its
  // tenant's documents) or else by the context. Keyed by the operation's params.
  const callers = new WeakMap<object, Promise<Context['principal'] | null>>();
  const authenticate = (request: Request, req: IncomingMessage | undefined, query: string | undefined) =>
    authenticateCaller(
      options,
      authFailures,
      request.headers.get('authorization'),
      clientAddress(request.headers.get('x-forwarded-for'), req, options.trustProxy ?? false),
      // No resolver of an introspection-only document reads the context.
      () => (options.introspection ?? true) && isIntrospectionOnly(query),
    );
  const persistedDocuments = options.persistedDocuments ?? new PersistedDocuments();
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    maskedErrors: { maskError: maskErrors },
    logging: options.logger ? yogaLogger(options.logger) : (options.logging ?? true),
    // GraphiQL is served by graphiqlPage (compressed, cached, with a key bar; a page saying so when off).
    graphiql: false,
    cors: corsOptions(options.cors),
    batching: { limit: options.limits?.batch ?? REQUEST_LIMITS.batch },
    plugins: [
      operationalEndpoints(options),
      // First of the execution hooks: what the others see of an error carries its code.
      expectedErrors(),
      requestErrorCodes(),
      ...(options.logger || options.metrics ? [requestObservability(options.logger, options.metrics)] : []),
      mcpEndpoint(options),
      graphiqlPage(options.graphiql !== false),
      explorerPage(options.explorer !== false),
      // Trusted documents run only what the manifest holds; otherwise clients may send hashes (APQ).
      options.trustedDocuments
        ? trustedDocumentsPlugin(options.trustedDocuments)
        : automaticPersistedQueries(persistedDocuments, {
            authenticate: (request, context, query) =>
              authenticate(request, (context as { req?: IncomingMessage }).req, query),
            reuse: (params, caller) => callers.set(params, caller),
          }),
      inputGuard(),
      callAdmission(),
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
      const authorization = request.headers.get('authorization');
      const principal = await (callers.get(params) ??
        authenticate(request, (initial as { req?: IncomingMessage }).req, params.query));
      if (!principal) return {} as Context;
      return openSession(options, principal, {
        transport: (initial as InitialContext).transport ?? httpTransport(request),
        budget: budgetOf(request),
        credential: {
          stillValid: async () => (await options.authenticator.authenticate(authorization, { fresh: true })) !== null,
          expiresAt: principal.kind === 'END_USER_TOKEN' ? principal.expiresAt : undefined,
        },
      });
    },
  });
}
