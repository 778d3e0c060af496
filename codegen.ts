import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for clients (urql, Apollo, …) from the checked-in schema: `npm run codegen`.
 * `possible-types.ts` is the interface and union map Apollo's InMemoryCache needs (possibleTypes).
 * `persisted-documents.json` (hash → document) is the manifest MEMGATE_TRUSTED_DOCUMENTS accepts.
 */
const typedDocuments = {
  enumsAsTypes: true,
  useTypeImports: true,
  scalars: { DateTime: 'string', JSONObject: 'Record<string, unknown>' },
};

const config: CodegenConfig = {
  schema: 'schema.graphql',
  emitLegacyCommonJSImports: false,
  generates: {
    'examples/typed-client/gql/': {
      documents: ['examples/typed-client/operations/*.graphql'],
      preset: 'client',
      presetConfig: { persistedDocuments: true },
      config: typedDocuments,
    },
    'examples/apollo-react/gql/': {
      documents: ['examples/apollo-react/src/**/*.{ts,tsx}'],
      preset: 'client',
      presetConfig: { fragmentMasking: { unmaskFunctionName: 'unmask' } },
      config: typedDocuments,
    },
    // The integration suites' shared operations (test/support/operations.ts): checked against the
    // schema, their variables typed; sent as strings.
    'test/gql/': {
      documents: ['test/support/operations.ts'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { documentMode: 'string', ...typedDocuments },
    },
    // The memory explorer's operations (src/explorer/ui): bundled for the browser by scripts/build.mjs.
    'src/explorer/ui/gql/': {
      documents: ['src/explorer/ui/operations.ts'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { documentMode: 'string', ...typedDocuments },
    },
    'examples/apollo-react/gql/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3, useExplicitTyping: true },
    },
    // Apollo's InMemoryCache needs these to match `... on Error` (an interface) to its types.
    'examples/typed-client/gql/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3, useExplicitTyping: true },
    },
  },
};

export default config;
