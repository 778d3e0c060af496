import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate, type GraphQLObjectType } from 'graphql';

const read = (path: string) => readFileSync(path, 'utf8');
const schema = buildSchema(read('schema.graphql'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
    return /\.(ts|mjs)$/.test(entry.name) ? [path] : [];
  });
}

describe('docs/configuration.md', () => {
  test('lists exactly the environment variables the gateway and the command line read', () => {
    const read_ = new Set<string>();
    for (const file of sourceFiles('src')) {
      for (const match of read(file).matchAll(/\benv(?:\.|, ')([A-Z][A-Z0-9_]+)/g)) read_.add(match[1]);
    }
    const documented = new Set(
      [...read('docs/configuration.md').matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((match) => match[1]),
    );
    expect(read_.size).toBeGreaterThan(25);
    expect([...read_].filter((name) => !documented.has(name)).sort()).toEqual([]);
    expect([...documented].filter((name) => !read_.has(name)).sort()).toEqual([]);
  });
});

describe('docs/api.md', () => {
  const guide = read('docs/api.md');

  test('has a section with an example for every query, mutation and subscription', () => {
    const headings = guide.split('\n').filter((line) => line.startsWith('### '));
    const roots = [
      schema.getQueryType(),
      schema.getMutationType(),
      schema.getSubscriptionType(),
    ] as GraphQLObjectType[];
    const missing = roots
      .flatMap((type) => Object.keys(type.getFields()))
      .filter((field) => !headings.some((heading) => heading.includes(`\`${field}\``)));
    expect(missing).toEqual([]);
  });

  test.each(['docs/api.md', 'README.md', 'docs/deployment.md'])(
    'every GraphQL example in %s is valid against schema.graphql',
    (path) => {
      const blocks = [...read(path).matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]);
      if (path === 'docs/api.md') expect(blocks.length).toBeGreaterThanOrEqual(28);
      for (const block of blocks) {
        const errors = validate(schema, parse(block)).map((error) => error.message);
        expect({ block, errors }).toEqual({ block, errors: [] });
      }
    },
  );
});
