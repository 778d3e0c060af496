import { gunzipSync } from 'node:zlib';
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
    // One key bar for every tab; no tab carries a placeholder Authorization header that would win over it.
    expect(html).toContain('id="memgate-key"');
    expect(html).not.toContain('<paste your');
  });

  test('the page holds a key: its policy runs only its own inline scripts, talks only to this origin and cannot be framed', async () => {
    const response = await t.gateway.fetch('http://memgate.test/graphql', { headers: { accept: 'text/html' } });
    const html = await response.text();
    const csp = response.headers.get('content-security-policy')!;
    for (const directive of ["default-src 'none'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"])
      expect(csp).toContain(directive);
    const scripts = /script-src ([^;]+)/.exec(csp)![1].split(' ');
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    for (const source of scripts) expect(source).toMatch(/^'sha256-[A-Za-z0-9+/]+=*'$/);
    expect(html).not.toMatch(/ on(submit|click|load)=/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const revalidated = await t.gateway.fetch('http://memgate.test/graphql', {
      headers: { accept: 'text/html', 'if-none-match': response.headers.get('etag')! },
    });
    expect(revalidated.status).toBe(304);
  });

  test('the page is sent gzipped when the browser accepts it, and revalidated by ETag (304, no body)', async () => {
    const page = (headers: Record<string, string>) =>
      t.gateway.fetch('http://memgate.test/graphql', { headers: { accept: 'text/html', ...headers } });
    const plain = await page({});
    const html = await plain.text();
    const compressed = await page({ 'accept-encoding': 'gzip, deflate, br' });
    expect(compressed.headers.get('content-encoding')).toBe('gzip');
    const bytes = Buffer.from(await compressed.arrayBuffer());
    expect(bytes.length).toBeLessThan(html.length / 3);
    expect(gunzipSync(bytes).toString()).toBe(html);
    const etag = compressed.headers.get('etag')!;
    expect(etag).toBe(plain.headers.get('etag'));
    expect(compressed.headers.get('cache-control')).toBe('no-cache');
    const revalidated = await page({ 'if-none-match': etag });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
  });

  test('when GraphiQL is off, a browser gets a page saying so; GraphQL over GET still answers as GraphQL', async () => {
    const off = await startTestGateway(kind, { extra: { graphiql: false } });
    try {
      const response = await off.gateway.fetch('http://memgate.test/graphql', {
        headers: { accept: 'text/html,application/xhtml+xml' },
      });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(await response.text()).toMatch(/GraphiQL is off[\s\S]*MEMGATE_GRAPHIQL=true/);
      const get = await off.gateway.fetch('http://memgate.test/graphql?query=%7B__typename%7D', {
        headers: { accept: 'application/json', authorization: `Bearer ${off.tenants.acme.apiKey}` },
      });
      expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await off.close();
    }
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
