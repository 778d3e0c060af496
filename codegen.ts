import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for clients (urql, Apollo, …) from the checked-in schema: `npm run codegen`.
 * `persisted-documents.json` (hash → document) is the manifest MEMGATE_TRUSTED_DOCUMENTS accepts.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  emitLegacyCommonJSImports: false,
  documents: ['examples/typed-client/operations/*.graphql'],
  generates: {
    'examples/typed-client/gql/': {
      preset: 'client',
      presetConfig: { persistedDocuments: true },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', JSONObject: 'Record<string, unknown>' },
      },
    },
  },
};

export default config;
