import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { Context } from '../context.js';

const capitalize = (name: string) => name[0].toUpperCase() + name.slice(1);

export function badInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    ID: { Input: string; Output: string };
  };
}>({
  plugins: [ErrorsPlugin, RelayPlugin],
  defaultFieldNullability: false,
  errors: {
    directResult: true,
    defaultUnionOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Result` },
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesQueryOptions: false,
    decodeGlobalID: (globalID) => {
      const decoded = Buffer.from(globalID, 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      if (separator <= 0) throw badInput('id is not an id issued by this API.', 'id');
      return { typename: decoded.slice(0, separator), id: decoded.slice(separator + 1) };
    },
  },
});
