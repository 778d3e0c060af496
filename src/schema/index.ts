import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './errors.js';
import './memory.js';
import './user.js';
import './tenant.js';
import './conversation.js';

builder.queryType({});
builder.mutationType({});

export const schema: GraphQLSchema = builder.toSchema({ sortSchema: true });

/** The checked-in schema.graphql: printed, lexicographically sorted. */
export function printSortedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
