import { isObjectType, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { isOperation } from '../app/operations.js';
import { builder } from './builder.js';
import { operation } from './operations.js';
import './scalars.js';
import './errors.js';
import './memory.js';
import './search.js';
import './entity.js';
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
 * Deny by default: an object type that does not declare its `authScopes` (see builder.ts) stops the
 * schema from building, and so does a root field that is not an operation of app/operations.ts or
 * whose `authScopes` are not its operation's rule — so a new field cannot forget its rule, and
 * GraphQL cannot declare one the application layer does not enforce.
 */
export function assertAuthorizationDeclared(built: GraphQLSchema): GraphQLSchema {
  type Extensions = { pothosOptions?: { authScopes?: unknown } } | undefined | null;
  const scopesOf = (extensions: Extensions) => extensions?.pothosOptions?.authScopes;
  const roots = new Set([built.getQueryType(), built.getMutationType(), built.getSubscriptionType()].filter(Boolean));
  const problems: string[] = [];
  for (const type of Object.values(built.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    if (!roots.has(type)) {
      if (scopesOf(type.extensions as Extensions) === undefined) problems.push(`${type.name}: no authScopes`);
      continue;
    }
    for (const field of Object.values(type.getFields())) {
      const declared = JSON.stringify(scopesOf(field.extensions as Extensions));
      if (!isOperation(field.name)) problems.push(`${type.name}.${field.name}: not an operation`);
      else if (declared !== JSON.stringify(operation(field.name).authScopes)) {
        problems.push(`${type.name}.${field.name}: authScopes ${declared} differ from its operation's`);
      }
    }
  }
  if (problems.length > 0)
    throw new Error(`Authorization not declared as app/operations.ts says: ${problems.join('; ')}`);
  return built;
}

/** The checked-in schema.graphql: printed, lexicographically sorted. */
export function printSortedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
