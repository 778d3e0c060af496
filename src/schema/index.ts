import { isObjectType, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './errors.js';
import './memory.js';
import './search.js';
import './memoryMutations.js';
import './user.js';
import './tenant.js';
import './conversation.js';
import './usage.js';
import './webhooks.js';

builder.queryType({});
builder.mutationType({});

export const schema: GraphQLSchema = assertAuthorizationDeclared(builder.toSchema({ sortSchema: true }));

/**
 * Deny by default: a root field or an object type that does not declare its `authScopes` (see
 * builder.ts) stops the schema from building, so a new field cannot forget its rule.
 */
export function assertAuthorizationDeclared(built: GraphQLSchema): GraphQLSchema {
  const declared = (extensions: { pothosOptions?: { authScopes?: unknown } } | undefined | null) =>
    extensions?.pothosOptions?.authScopes !== undefined;
  const roots = new Set([built.getQueryType(), built.getMutationType(), built.getSubscriptionType()].filter(Boolean));
  const missing: string[] = [];
  for (const type of Object.values(built.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    if (roots.has(type)) {
      for (const field of Object.values(type.getFields()))
        if (!declared(field.extensions as never)) missing.push(`${type.name}.${field.name}`);
    } else if (!declared(type.extensions as never)) {
      missing.push(type.name);
    }
  }
  if (missing.length > 0) throw new Error(`No authorization rule (authScopes) declared for: ${missing.join(', ')}`);
  return built;
}

/** The checked-in schema.graphql: printed, lexicographically sorted. */
export function printSortedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
