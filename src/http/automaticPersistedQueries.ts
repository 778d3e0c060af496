import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { PersistedDocuments } from '../app/persistedDocuments.js';
import type { Principal } from '../auth/principal.js';
import type { ErrorCode } from '../errors.js';

/** Longer documents still run, but are not remembered: a client sends them whole again. */
const MAX_DOCUMENT_LENGTH = 32 * 1024;

interface PersistedQueryExtension {
  version?: unknown;
  sha256Hash?: unknown;
}

function apqError(message: string, code: ErrorCode, status: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

/** How the plugin learns who calls, authenticated once per operation: the context reuses the answer. */
export interface RequestCallers {
  /** The caller of the request, or its refusal (401, 429…); null for an anonymous introspection. */
  authenticate(request: Request, serverContext: Record<string, unknown>, query?: string): Promise<Principal | null>;
  /** The operation (its final params) whose context takes this answer instead of authenticating again. */
  reuse(params: object, caller: Promise<Principal | null>): void;
}

/**
 * Apollo's automatic persisted queries: a client sends a document's SHA-256 alone; on a miss it
 * hears `PersistedQueryNotFound` and sends the document with its hash once, which is checked and
 * remembered — for the caller's tenant, and only once its credential is accepted: a request without
 * a valid one is refused before any lookup, so it can neither register a document nor tell a known
 * hash from an unknown one. A speed-up, not a security measure: any document still runs (see
 * trusted documents for that), and a hash must match its document.
 */
export function automaticPersistedQueries(documents: PersistedDocuments, callers: RequestCallers): Plugin {
  return {
    async onParams({ request, params, setParams, context }) {
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
      if (params.query != null && createHash('sha256').update(params.query).digest('hex') !== hash) {
        throw apqError('The sha256Hash does not match the query sent with it.', 'PERSISTED_QUERY_HASH_MISMATCH', 400);
      }
      const caller = callers.authenticate(request, context, params.query ?? undefined);
      if (params.query != null) {
        callers.reuse(params, caller);
        const principal = await caller;
        if (principal && params.query.length <= MAX_DOCUMENT_LENGTH)
          documents.put(principal.tenantId, hash, params.query);
        return;
      }
      const principal = await caller;
      const query = principal ? documents.get(principal.tenantId, hash) : undefined;
      // The message and code Apollo's persisted-queries link (and urql's exchange) look for.
      if (query === undefined) throw apqError('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND', 200);
      const found = { ...params, query };
      callers.reuse(found, caller);
      setParams(found);
    },
  };
}
