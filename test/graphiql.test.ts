import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

describe.each(databaseKinds)('GraphiQL on %s', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  test('the page loads without a key and needs nothing from another origin', async () => {
    const response = await t.gateway.fetch('http://memgate.test/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<title>Memgate</title>');
    expect(html).toContain('searchMemories');
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|esm\.sh/);
  });
});

describe.each(databaseKinds)('introspection without a key on %s', (kind) => {
  const introspect = (t: TestGateway, query: string) =>
    t.gateway.fetch('http://memgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });

  test('development: the docs explorer may load the schema before a key is entered, and nothing else', async () => {
    const t = await startTestGateway(kind);
    try {
      const schema = await introspect(t, '{ __schema { queryType { name } } }');
      expect(schema.status).toBe(200);
      expect(await schema.json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
      expect((await introspect(t, '{ __type(name: "Memory") { name } }')).status).toBe(200);
      // Any data field beside it, a mutation, or a fragment at the root still needs a key.
      expect((await introspect(t, '{ __typename viewer { tenant { name } } }')).status).toBe(401);
      expect((await introspect(t, 'mutation { __typename }')).status).toBe(401);
      expect((await introspect(t, '{ ...F } fragment F on Query { viewer { tenant { name } } }')).status).toBe(401);
    } finally {
      await t.close();
    }
  });

  test('with introspection off (production default) it is refused, key or not', async () => {
    const t = await startTestGateway(kind, { hardening: { introspection: false } });
    try {
      const refused = await introspect(t, '{ __schema { queryType { name } } }');
      const body = await refused.json();
      expect(body.data).toBeUndefined();
      expect(body.errors[0].message).toMatch(/introspection has been disabled/);
    } finally {
      await t.close();
    }
  });
});
