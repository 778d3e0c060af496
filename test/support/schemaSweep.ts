import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
} from 'graphql';

/**
 * Documents that ask every root field for everything it can return, one path to a leaf at a time:
 * what the authorization suites send through every transport.
 */
const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

/**
 * One selection per path to a leaf, down to `depth` (inline fragments for unions and interfaces):
 * asked one at a time, because a forbidden field nulls its parent and would hide what a sibling
 * leaked in the same answer.
 */
function leafSelections(type: GraphQLNamedType, depth: number, textOnly = false): string[] {
  if (isScalarType(type) || isEnumType(type)) return !textOnly || TEXT_SCALARS.has(type.name) ? [''] : [];
  if (depth === 0) return textOnly ? [] : ['{ __typename }'];
  if (isAbstractType(type)) {
    return schema
      .getPossibleTypes(type)
      .flatMap((member) =>
        leafSelections(member, depth, textOnly).map((inner) => `{ ... on ${member.name} ${inner} }`),
      );
  }
  if (!isObjectType(type)) return [];
  return Object.values(type.getFields())
    .filter((field) => field.args.every((arg) => !isNonNullType(arg.type)))
    .flatMap((field) =>
      leafSelections(getNamedType(field.type), depth - 1, textOnly).map((inner) => `{ ${field.name} ${inner} }`),
    );
}

function plausible(type: GraphQLInputType, name: string, values: Record<string, unknown>): unknown {
  if (isNonNullType(type)) return plausible(type.ofType, name, values);
  if (isListType(type)) return [plausible(type.ofType, name, values)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type) || f.name in values)
        .map((f) => [f.name, plausible(f.type, f.name, values)]),
    );
  }
  if (name in values) return values[name];
  switch (type.name) {
    case 'Int':
      return 5;
    case 'Float':
      return 0;
    case 'Boolean':
      return false;
    case 'DateTime':
      return '2099-01-01T00:00:00Z';
    case 'JSONObject':
      return {};
    default:
      return 'probe';
  }
}

function operationsFor(
  kind: 'query' | 'mutation',
  field: GraphQLField<unknown, unknown>,
  values: Record<string, unknown>,
  depth = 5,
  textOnly = false,
) {
  const args = field.args.filter((arg) => isNonNullType(arg.type) || arg.name in values);
  const signature = args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const call = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const variables = Object.fromEntries(args.map((arg) => [arg.name, plausible(arg.type, arg.name, values)]));
  return leafSelections(getNamedType(field.type), depth, textOnly).map((selection) => ({
    document: `${kind}${signature ? `(${signature})` : ''} { ${field.name}${call ? `(${call})` : ''} ${selection} }`,
    variables,
  }));
}

/** Fields that would remove the data under test (they answer counts or ids only, and are tested elsewhere). */
const DESTRUCTIVE = new Set([
  'deleteEndUser',
  'deleteMemory',
  'revokeApiKey',
  'rotateApiKey',
  'rotateEndUserTokenSecret',
]);

/** The leaves a text can come back in (what the sweeps look for in answers). */
const TEXT_SCALARS = new Set(['String', 'JSONObject']);

/**
 * Every query and mutation root field, each leaf asked for on its own (down to `depth`; with
 * `textOnly`, only the leaves a text can come back in), with plausible variables.
 */
export function sweepDocuments(
  values: Record<string, unknown>,
  { depth = 5, textOnly = false } = {},
): { document: string; variables: Record<string, unknown> }[] {
  return (['query', 'mutation'] as const).flatMap((kind) => {
    const root = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
    return Object.values(root.getFields())
      .filter((field) => !DESTRUCTIVE.has(field.name))
      .flatMap((field) => operationsFor(kind, field, values, depth, textOnly));
  });
}
