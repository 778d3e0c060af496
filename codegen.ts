import type { CodegenConfig } from '@graphql-codegen/cli';

/** Typed documents for clients (Apollo, urql, …) from the checked-in schema: `npm run codegen`. */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  emitLegacyCommonJSImports: false,
  documents: ['examples/operations/*.graphql'],
  generates: {
    'examples/gql/': {
      preset: 'client',
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', JSONObject: 'Record<string, unknown>' },
      },
    },
  },
};

export default config;
