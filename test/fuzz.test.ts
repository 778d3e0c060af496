import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/**
 * Every argument of every query and mutation (input fields included), one at a time, given each
 * hostile value of its kind: whatever the field makes of it, the answer is a result or a typed
 * error — never INTERNAL_SERVER_ERROR ("Unexpected error.").
 */
const schema = buildSchema(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));

const MEMORY_ID = Buffer.from('Memory:00000000-0000-4000-8000-000000000000').toString('base64');
const deepObject = (levels: number): unknown => (levels === 0 ? 1 : { a: deepObject(levels - 1) });

const HOSTILE: Record<string, unknown[]> = {
  String: ['\u0000', 'a\uD800b', 'x'.repeat(70_000), '', '\u202E\u200B\uFEFF', '%%%'],
  ID: [
    '\u0000',
    '\uDFFF',
    'x'.repeat(10_000),
    '',
    Buffer.from('Memory:\u0000').toString('base64'),
    Buffer.from('Tenant:1').toString('base64'),
  ],
  DateTime: [
    '-000100-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '2026-02-30T25:61:00Z',
    'yesterday',
    '',
  ],
  JSONObject: [{ '\u0000': 1 }, { a: '\uD800' }, deepObject(60), { a: 'x'.repeat(20_000) }, []],
  Int: [-1, 0, 2_147_483_647, -2_147_483_648],
  Float: [-1e308, 1e308, -0, 1e-320, 101],
  Boolean: [false],
};

/** A plausible value for a type, so that only the argument under test is hostile. */
function plausible(type: GraphQLInputType, name: string): unknown {
  if (isNonNullType(type)) return plausible(type.ofType, name);
  if (isListType(type)) return [plausible(type.ofType, name)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type))
        .map((f) => [f.name, plausible(f.type, f.name)]),
    );
  }
  switch (type.name) {
    case 'ID':
      return MEMORY_ID;
    case 'DateTime':
      return '2099-01-01T00:00:00Z';
    case 'JSONObject':
      return {};
    case 'Int':
      return 1;
    case 'Float':
      return 0.5;
    case 'Boolean':
      return true;
    default:
      return name === 'externalUserId' ? 'fuzz@example.com' : 'fuzz';
  }
}

interface Case {
  field: string;
  path: string;
  variables: Record<string, unknown>;
}

/** For each leaf reachable from the arguments, the arguments with that leaf made hostile. */
function cases(operation: 'query' | 'mutation'): { document: string; list: Case[] }[] {
  const root = operation === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
  return Object.values(root.getFields()).map((field) => {
    const args = field.args as readonly GraphQLArgument[];
    const base = Object.fromEntries(args.map((arg) => [arg.name, plausible(arg.type, arg.name)]));
    const list: Case[] = [];
    const visit = (type: GraphQLInputType, path: string[], set: (value: unknown) => Record<string, unknown>) => {
      const named = getNamedType(type);
      if (isInputObjectType(named)) {
        for (const inner of Object.values(named.getFields())) {
          visit(inner.type, [...path, inner.name], (value) => {
            const variables = structuredClone(base);
            let target = variables as Record<string, any>;
            for (const step of path) target = target[step] = target[step] ?? {};
            target[inner.name] = isListType(isNonNullType(inner.type) ? inner.type.ofType : inner.type)
              ? [value]
              : value;
            return variables;
          });
        }
        return;
      }
      if (!isScalarType(named)) return;
      for (const value of HOSTILE[named.name] ?? [])
        list.push({ field: field.name, path: path.join('.'), variables: set(value) });
    };
    for (const arg of args) {
      visit(arg.type, [arg.name], (value) => ({
        ...structuredClone(base),
        [arg.name]: isListType(isNonNullType(arg.type) ? arg.type.ofType : arg.type) ? [value] : value,
      }));
    }
    const signature = args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
    const call = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
    const document = `${operation}${signature ? `(${signature})` : ''} { ${field.name}${call ? `(${call})` : ''} { __typename } }`;
    return { document, list };
  });
}

describe.each(databaseKinds)('every argument, fuzzed, on %s', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  test.each(['query', 'mutation'] as const)(
    'no %s answers an internal error',
    async (operation) => {
      const failures: string[] = [];
      let tried = 0;
      for (const { document, list } of cases(operation)) {
        for (const { field, path, variables } of list) {
          tried++;
          const response = await t.request(document, variables);
          const text = JSON.stringify(response.errors ?? []);
          if (response.status >= 500 || /INTERNAL_SERVER_ERROR|Unexpected error/.test(text)) {
            failures.push(
              `${field} ${path} = ${JSON.stringify(variables).slice(0, 80)}: ${response.status} ${text.slice(0, 160)}`,
            );
          }
        }
      }
      expect(tried).toBeGreaterThan(operation === 'query' ? 80 : 150);
      expect(failures).toEqual([]);
    },
    300_000,
  );
});
