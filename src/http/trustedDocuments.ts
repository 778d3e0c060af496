import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { ErrorCode } from '../errors.js';

/** hash → document text: the persisted-documents manifest written by `npm run codegen`. */
export type TrustedDocuments = ReadonlyMap<string, string>;

export function loadTrustedDocuments(path: string): TrustedDocuments {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`MEMGATE_TRUSTED_DOCUMENTS: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new Error(`MEMGATE_TRUSTED_DOCUMENTS: ${path} is not a {"<hash>": "<document>"} manifest.`);
  }
  const entries = Object.entries(manifest);
  if (entries.length === 0 || entries.some(([, document]) => typeof document !== 'string')) {
    throw new Error(`MEMGATE_TRUSTED_DOCUMENTS: ${path} must map hashes to document strings and hold at least one.`);
  }
  return new Map(entries.map(([hash, document]) => [hash.replace(/^sha256:/, ''), document as string]));
}

/** The id a client sends: `documentId` (codegen's client preset) or Apollo's persistedQuery hash. */
function documentId(params: GraphQLParams & { documentId?: unknown }): string | null {
  if (typeof params.documentId === 'string') return params.documentId.replace(/^sha256:/, '');
  const persisted = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : null;
}

/** Only operations of the manifest run; any other document is refused before parsing. */
export function trustedDocumentsPlugin(documents: TrustedDocuments): Plugin {
  const refusal = (message: string, code: ErrorCode) => ({ message, extensions: { code, http: { status: 400 } } });
  return usePersistedOperations({
    allowArbitraryOperations: false,
    extractPersistedOperationId: documentId,
    getPersistedOperation: (id) => documents.get(id) ?? null,
    customErrors: {
      persistedQueryOnly: refusal(
        'This gateway only runs trusted documents: send a documentId, not a query.',
        'TRUSTED_DOCUMENT_REQUIRED',
      ),
      keyNotFound: refusal('Send the documentId of a trusted document.', 'TRUSTED_DOCUMENT_REQUIRED'),
      notFound: refusal('This documentId is not among the trusted documents.', 'TRUSTED_DOCUMENT_UNKNOWN'),
    },
  });
}
