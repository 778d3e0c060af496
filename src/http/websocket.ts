import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import { operationLabels } from '../observability/requestPlugins.js';
import type { Gateway, GatewayOptions, InitialContext } from '../yoga.js';
import { authFailureGuard, clientAddress } from './authFailures.js';
import { authenticateCaller } from './caller.js';
import { withErrorCode } from './requestErrors.js';
import { graphQLError } from './graphqlErrors.js';

/** What a client puts in `connection_init`: its credential, as in the Authorization header. */
type ConnectionParams = Record<string, unknown>;
type Extra = { socket: WebSocket; request: IncomingMessage };

/** graphql-ws's close code for a refused connection; the reason names the error code (errors.ts). */
const REFUSED = 4403;
/** WebSocket close reasons are at most 123 bytes. */
const closeReason = (text: string) =>
  Buffer.from(text)
    .subarray(0, 123)
    .toString()
    .replace(/\uFFFD+$/, '');

function credentialOf(params: ConnectionParams | undefined): string | null {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : null;
}

/** A document id a client may send instead of the document (codegen's documentId, Apollo's hash). */
function documentId(payload: { extensions?: Record<string, unknown> | null } & Record<string, unknown>): string | null {
  if (typeof payload.documentId === 'string') return payload.documentId.replace(/^sha256:/, '');
  const persisted = payload.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : null;
}

/** The code of a GraphQL error as a log label. */
const codeOf = (error: { extensions?: Record<string, unknown> } | undefined) =>
  typeof error?.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';

const forwardedFor = (request: IncomingMessage) => {
  const header = request.headers['x-forwarded-for'];
  return (Array.isArray(header) ? header[0] : header) ?? null;
};

interface Running {
  requestId: string;
  startedAt: number;
  labels?: { type: string; operation: string };
  tenantId?: string;
  outcome: string;
}

/**
 * GraphQL over WebSocket (the graphql-ws protocol, `graphql-transport-ws`) on the gateway's
 * /graphql, for clients such as Apollo's GraphQLWsLink. The credential travels in
 * `connection_init` ({ authorization: "Bearer …" }) and is checked there like an HTTP request's
 * (a failure counts against the address; a refusal closes with 4403 and a reason that starts with
 * its code); every operation then goes through the gateway's own context — a session of the
 * application layer — and plugins, is logged on one line when it ends, and a subscription ends
 * when its credential stops working, as over SSE. With trusted documents, only their ids are
 * accepted here too.
 */
export function serveGraphQLOverWebSocket(
  server: Server,
  gateway: Gateway,
  options: GatewayOptions,
): { close(): Promise<void> } {
  const guard = authFailureGuard(options.rateLimiter, options.rateLimits.authFailuresPerAddress ?? 60);
  const sockets = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload: options.maxBodyBytes ?? 6 * 1024 * 1024,
  });
  const running = new WeakMap<object, Map<string, Running>>();
  const operationsOf = (ctx: object) => {
    let operations = running.get(ctx);
    if (!operations) running.set(ctx, (operations = new Map()));
    return operations;
  };
  const finish = (ctx: object, id: string) => {
    const operation = operationsOf(ctx).get(id);
    if (!operation) return;
    operationsOf(ctx).delete(id);
    options.logger?.info(
      {
        requestId: operation.requestId,
        transport: 'websocket',
        operation: operation.labels?.operation,
        type: operation.labels?.type,
        outcome: operation.outcome,
        ms: Math.round((performance.now() - operation.startedAt) * 100) / 100,
        tenantId: operation.tenantId,
      },
      'request',
    );
  };
  const disposable = useServer<ConnectionParams, Extra>(
    {
      onConnect: async ({ connectionParams, extra }) => {
        const address = clientAddress(forwardedFor(extra.request), extra.request, options.trustProxy ?? false);
        try {
          await authenticateCaller(options, guard, credentialOf(connectionParams), address);
          return true;
        } catch (error) {
          const { message, extensions } = error as GraphQLError;
          if (!extensions?.code) throw error;
          // The code and what to fix first: a close reason holds at most 123 bytes.
          const reason = typeof extensions.reason === 'string' ? ` (${extensions.reason})` : '';
          extra.socket.close(REFUSED, closeReason(`${codeOf(error as GraphQLError)}${reason}: ${message}`));
          return false;
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        const operation: Running = { requestId: randomUUID(), startedAt: performance.now(), outcome: 'ok' };
        operationsOf(ctx).set(id, operation);
        let query = payload.query;
        if (options.trustedDocuments) {
          const documentKey = documentId(payload as never);
          const trusted = documentKey === null ? undefined : options.trustedDocuments.get(documentKey);
          if (trusted === undefined) {
            return [
              graphQLError(
                'TRUSTED_DOCUMENT_REQUIRED',
                'This gateway only runs trusted documents: send the documentId of one.',
              ),
            ];
          }
          query = trusted;
        }
        const forwarded = forwardedFor(ctx.extra.request);
        const request = new Request('http://gateway/graphql', {
          method: 'POST',
          headers: {
            authorization: credentialOf(ctx.connectionParams) ?? '',
            ...(forwarded ? { 'x-forwarded-for': forwarded } : {}),
          },
        });
        const params = { ...payload, query };
        const initial: InitialContext & Record<string, unknown> = {
          request,
          req: ctx.extra.request,
          params,
          transport: 'websocket',
        };
        const enveloped = gateway.getEnveloped(initial);
        let document;
        try {
          document = enveloped.parse(query);
        } catch (error) {
          return [
            error instanceof GraphQLError
              ? error
              : graphQLError('GRAPHQL_PARSE_FAILED', 'The document could not be parsed.'),
          ];
        }
        operation.labels = operationLabels(document, payload.operationName);
        let errors: readonly GraphQLError[];
        try {
          errors = enveloped.validate(enveloped.schema, document);
        } catch (error) {
          // The document limits (graphql-armor) throw their refusal.
          if (!(error instanceof GraphQLError)) throw error;
          errors = [error];
        }
        if (errors.length > 0) return errors.map(withErrorCode);
        let contextValue;
        try {
          contextValue = await enveloped.contextFactory();
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('The request could not be authorized.')];
        }
        operation.tenantId = (contextValue as { principal?: { tenantId: string } }).principal?.tenantId;
        return {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        } satisfies ExecutionArgs;
      },
      execute: (args) => (args.rootValue as { execute: (args: ExecutionArgs) => never }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: (args: ExecutionArgs) => never }).subscribe(args),
      onNext: (ctx, id, _payload, _args, result) => {
        const [error] = (result as { errors?: { extensions?: Record<string, unknown> }[] }).errors ?? [];
        const operation = operationsOf(ctx).get(id);
        if (operation && error) operation.outcome = codeOf(error);
      },
      onError: (ctx, id, _payload, errors) => {
        const operation = operationsOf(ctx).get(id);
        if (operation)
          operation.outcome = errors[0]?.extensions?.code ? codeOf(errors[0]) : 'GRAPHQL_VALIDATION_FAILED';
        finish(ctx, id);
      },
      onComplete: (ctx, id) => finish(ctx, id),
    },
    sockets,
  );
  return {
    /** Ends every socket (1001 Going Away) and stops accepting new ones. */
    close: async () => {
      await disposable.dispose();
      await new Promise((resolve) => sockets.close(resolve));
    },
  };
}
