import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { from, retry, switchMap, throwError } from 'rxjs';
import generated from '../gql/possible-types.js';

/**
 * The end user's token, minted by this app's backend (which holds the tenant's API key) and
 * fetched again when the gateway says it expired.
 */
export class TokenSource {
  private token?: Promise<string>;
  constructor(private readonly endpoint: string) {}

  current(): Promise<string> {
    this.token ??= this.fetchToken();
    return this.token;
  }

  refresh(): Promise<string> {
    this.token = this.fetchToken();
    return this.token;
  }

  private async fetchToken(): Promise<string> {
    const response = await fetch(this.endpoint, { method: 'POST' });
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
    return ((await response.json()) as { token: string }).token;
  }
}

/** An expired or revoked credential: the gateway answers 401 with the code UNAUTHENTICATED. */
function isUnauthenticated(error: unknown): boolean {
  if (ServerError.is(error)) return error.statusCode === 401;
  return CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}

export function createMemgateClient(gatewayUrl: string, tokens: TokenSource): ApolloClient {
  const auth = new SetContextLink(async (context) => ({
    headers: { ...context.headers, authorization: `Bearer ${await tokens.current()}` },
  }));
  // The token-refresh pattern: on UNAUTHENTICATED, mint a new token once and retry the operation.
  const refreshOnExpiry = new ErrorLink(({ error, operation, forward }) => {
    if (!isUnauthenticated(error) || operation.getContext().retriedWithFreshToken) return;
    operation.setContext({ retriedWithFreshToken: true });
    return from(tokens.refresh()).pipe(switchMap(() => forward(operation)));
  });
  const http = new HttpLink({ uri: gatewayUrl });
  // Subscriptions over WebSocket; each (re)connection presents a current token. Events sent while
  // disconnected are not replayed: after a reconnection, the queries on screen are read again.
  let socket: WebSocket | undefined;
  let connections = 0;
  const webSocket = new GraphQLWsLink(
    createClient({
      url: gatewayUrl.replace(/^http/, 'ws'),
      connectionParams: async () => ({ authorization: `Bearer ${await tokens.current()}` }),
      on: {
        connected: (connected) => {
          socket = connected as WebSocket;
          if (connections++ > 0) void client.refetchQueries({ include: 'active' });
        },
      },
    }),
  );
  // A subscription ends when its token expires: each time, mint a new one, reconnect with it
  // (4205: the protocol's "client restart") and subscribe again.
  const resubscribeOnExpiry = new ApolloLink((operation, forward) =>
    forward(operation).pipe(
      retry({
        delay: (error) =>
          isUnauthenticated(error)
            ? from(tokens.refresh().then(() => socket?.close(4205, 'Client Restart')))
            : throwError(() => error),
      }),
    ),
  );
  const link = ApolloLink.split(
    ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
    ApolloLink.from([resubscribeOnExpiry, webSocket]),
    ApolloLink.from([refreshOnExpiry, auth, http]),
  );
  const client = new ApolloClient({
    link,
    // Without possibleTypes the cache cannot match `... on Error` and drops code and message.
    cache: new InMemoryCache({ possibleTypes: generated.possibleTypes }),
  });
  return client;
}
