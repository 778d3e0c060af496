import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ErrorCode } from '../errors.js';

/** Documents remembered per instance (the least recently used one goes first). */
const MAX_DOCUMENTS = 2000;
/** Longer documents still run, but are not remembered: a client sends them whole again. */
const MAX_DOCUMENT_LENGTH = 32 * 1024;

interface PersistedQueryExtension {
  version?: unknown;
  sha256Hash?: unknown;
}

function apqError(message: string, code: ErrorCode, status: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

/**
 * Apollo's automatic persisted queries: a client sends a document's SHA-256 alone; on a miss it
 * hears `PersistedQueryNotFound` and sends the document with its hash once, which is checked and
 * remembered. A speed-up, not a security measure: any document still runs (see trusted
 * documents for that), and a hash must match its document, so none can be registered under
 * another's hash.
 */
export function automaticPersistedQueries(): Plugin {
  const documents = new Map<string, string>();
  const remember = (hash: string, query: string) => {
    if (query.length > MAX_DOCUMENT_LENGTH) return;
    documents.delete(hash);
    documents.set(hash, query);
    if (documents.size > MAX_DOCUMENTS) documents.delete(documents.keys().next().value!);
  };
  return {
    onParams({ params, setParams }) {
      const persisted = (params.extensions as { persistedQuery?: PersistedQueryExtension } | undefined)?.persistedQuery;
      if (persisted == null) return;
      if (
        persisted.version !== 1 ||
        typeof persisted.sha256Hash !== 'string' ||
        !/^[0-9a-fA-F]{64}$/.test(persisted.sha256Hash)
      ) {
        throw apqError(
          'Unsupported persisted query: send version 1 and a sha256Hash of 64 hex digits.',
          'PERSISTED_QUERY_INVALID',
          400,
        );
      }
      const hash = persisted.sha256Hash.toLowerCase();
      if (params.query == null) {
        const query = documents.get(hash);
        // The message and code Apollo's persisted-queries link (and urql's exchange) look for.
        if (query === undefined) throw apqError('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND', 200);
        remember(hash, query);
        setParams({ ...params, query });
        return;
      }
      if (createHash('sha256').update(params.query).digest('hex') !== hash) {
        throw apqError('The sha256Hash does not match the query sent with it.', 'PERSISTED_QUERY_HASH_MISMATCH', 400);
      }
      remember(hash, params.query);
    },
  };
}
