import type { Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Gateway, GatewayOptions } from '../yoga.js';

/** What a client puts in `connection_init`: its credential, as in the Authorization header. */
type ConnectionParams = Record<string, unknown>;

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

/**
 * GraphQL over WebSocket (the graphql-ws protocol, `graphql-transport-ws`) on the gateway's
 * /graphql, for clients such as Apollo's GraphQLWsLink. The credential travels in
 * `connection_init` ({ authorization: "Bearer …" }) and is checked there; every operation then
 * goes through the gateway's own context (authentication, rate limits, scopes, the end user a
 * token is bound to) and plugins, and a subscription ends when its credential stops working, as
 * over SSE. With trusted documents, only their ids are accepted here too.
 */
export function serveGraphQLOverWebSocket(
  server: Server,
  gateway: Gateway,
  options: GatewayOptions,
): { close(): Promise<void> } {
  const sockets = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload: options.maxBodyBytes ?? 6 * 1024 * 1024,
  });
  const disposable = useServer<ConnectionParams>(
    {
      onConnect: async ({ connectionParams }) => {
        const credential = credentialOf(connectionParams);
        // Refused connections close with 4403 Forbidden; a database failure is not a refusal.
        return credential !== null && (await options.authenticator.authenticate(credential)) !== null;
      },
      onSubscribe: async (ctx, _id, payload) => {
        let query = payload.query;
        if (options.trustedDocuments) {
          const id = documentId(payload as never);
          const trusted = id === null ? undefined : options.trustedDocuments.get(id);
          if (trusted === undefined) {
            return [
              new GraphQLError('This gateway only runs trusted documents: send the documentId of one.', {
                extensions: { code: 'TRUSTED_DOCUMENT_REQUIRED' },
              }),
            ];
          }
          query = trusted;
        }
        const request = new Request('http://gateway/graphql', {
          method: 'POST',
          headers: { authorization: credentialOf(ctx.connectionParams) ?? '' },
        });
        const params = { ...payload, query };
        const enveloped = gateway.getEnveloped({ request, req: ctx.extra.request, params });
        let document;
        try {
          document = enveloped.parse(query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('The document could not be parsed.')];
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        let contextValue;
        try {
          contextValue = await enveloped.contextFactory();
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('The request could not be authorized.')];
        }
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
