import { Client, fetchExchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import {
  CreateEndUserTokenDocument,
  MyRecentMemoriesDocument,
  RecallForMeDocument,
  RememberForMeDocument,
} from './gql/graphql.js';

export interface ClientOptions {
  /** Send only the hashes of gql/persisted-documents.json: for a gateway started with MEMGATE_TRUSTED_DOCUMENTS. */
  trustedDocuments?: boolean;
  /** Automatic persisted queries: send a hash first, the document only when the gateway does not know it yet. */
  persistedQueries?: boolean;
  fetch?: typeof fetch;
}

/**
 * A typed Memgate client on urql. With `trustedDocuments`, operations travel as their hashes in
 * gql/persisted-documents.json instead of their text, for a gateway that runs nothing else; with
 * `persistedQueries`, as hashes that fall back to the text once per gateway (any gateway).
 */
export function memgateClient(url: string, credential: string, options: ClientOptions = {}): Client {
  const trustedHashes = persistedExchange({
    enforcePersistedQueries: true,
    enableForMutation: true,
    preferGetForPersistedQueries: false,
    generateHash: async (_query, document) =>
      (document as { __meta__?: { hash?: string } }).__meta__?.hash?.replace(/^sha256:/, ''),
  });
  const automaticHashes = persistedExchange({ enableForMutation: true, preferGetForPersistedQueries: false });
  const hashes = options.trustedDocuments ? [trustedHashes] : options.persistedQueries ? [automaticHashes] : [];
  return new Client({
    url,
    preferGetMethod: false,
    fetch: options.fetch,
    fetchOptions: () => ({ headers: { authorization: `Bearer ${credential}` } }),
    exchanges: [...hashes, fetchExchange],
  });
}

/** Server side, with the tenant's API key: a one-hour token bound to one end user, for their browser. */
export async function mintEndUserToken(apiKeyClient: Client, externalUserId: string): Promise<string> {
  const { data, error } = await apiKeyClient
    .mutation(CreateEndUserTokenDocument, { externalUserId, ttlSeconds: 3600 })
    .toPromise();
  if (error) throw error;
  const result = data!.createEndUserToken;
  if (result.__typename !== 'EndUserToken')
    throw new Error(`${result.__typename}: ${'message' in result ? result.message : ''}`);
  return result.token;
}

/** Browser side, with the end user's token: everything is about that end user, and nobody else. */
export function myMemories(tokenClient: Client) {
  const unwrap = <T extends { __typename: string }>(
    result: T | undefined,
    error: Error | undefined,
    expected: T['__typename'],
  ) => {
    if (error) throw error;
    if (!result || result.__typename !== expected)
      throw new Error(`expected ${expected}, got ${JSON.stringify(result)}`);
    return result as Extract<T, { __typename: typeof expected }>;
  };
  return {
    async remember(content: string, tags: string[] = []) {
      const { data, error } = await tokenClient.mutation(RememberForMeDocument, { content, tags }).toPromise();
      const added = unwrap(data?.addMemory, error, 'AddedMemory');
      return added.__typename === 'AddedMemory' ? added.memory : never();
    },
    async recent(first = 10) {
      const { data, error } = await tokenClient
        .query(MyRecentMemoriesDocument, { first }, { requestPolicy: 'network-only' })
        .toPromise();
      const connection = unwrap(data?.memories, error, 'MemoryConnection');
      return connection.__typename === 'MemoryConnection' ? connection : never();
    },
    async recall(query: string, limit = 3) {
      const { data, error } = await tokenClient
        .query(RecallForMeDocument, { query, limit }, { requestPolicy: 'network-only' })
        .toPromise();
      const search = unwrap(data?.searchMemories, error, 'MemorySearch');
      return search.__typename === 'MemorySearch' ? search.hits : never();
    },
  };
}

function never(): never {
  throw new Error('unreachable');
}
