import { Lexer, Source, TokenKind } from 'graphql/language/index.js';
import { REQUEST_LIMITS, type HardeningOptions } from '../src/http/hardening.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

function tokenCount(query: string): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

const repeat = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i)).join(' ');

describe.each(databaseKinds)('GraphQL limits on %s', (kind) => {
  const gateways: TestGateway[] = [];
  async function gateway(hardening: Partial<HardeningOptions> = {}) {
    const t = await startTestGateway(kind, { hardening });
    gateways.push(t);
    return t;
  }
  afterAll(() => Promise.all(gateways.map((t) => t.close())));

  async function expectPass(t: TestGateway, query: string) {
    const res = await t.request(query);
    expect(res.errors).toBeUndefined();
    expect(res.data).toBeDefined();
  }
  async function expectRefused(t: TestGateway, query: string, message: RegExp) {
    const res = await t.request(query);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0].message).toMatch(message);
  }

  test('aliases, tokens and directives: the default limit passes, one more is refused', async () => {
    const t = await gateway();
    const aliases = (n: number) => `{ ${repeat(n, (i) => `a${i}: viewer { keyPrefix }`)} }`;
    await expectPass(t, aliases(REQUEST_LIMITS.aliases));
    await expectRefused(t, aliases(REQUEST_LIMITS.aliases + 1), /Aliases limit of 20 exceeded, found 21/);

    const withTags = (k: number) =>
      `{ memories(externalUserId: "a", filter: { tags: [${repeat(k, () => '"t"')}] }) { __typename } }`;
    const tokens = (n: number) => withTags(n - tokenCount(withTags(0)));
    expect(tokenCount(tokens(REQUEST_LIMITS.tokens))).toBe(REQUEST_LIMITS.tokens);
    await expectPass(t, tokens(REQUEST_LIMITS.tokens));
    await expectRefused(t, tokens(REQUEST_LIMITS.tokens + 1), /Token limit of 3000 exceeded/);

    const directives = (n: number) => `{ viewer { ${repeat(n, () => 'keyPrefix @include(if: true)')} } }`;
    await expectPass(t, directives(REQUEST_LIMITS.directives));
    await expectRefused(t, directives(REQUEST_LIMITS.directives + 1), /Directives limit of 20 exceeded, found 21/);
  });

  test('depth: a query as deep as the limit passes, one level deeper is refused', async () => {
    // The schema has no cycles deeper than 5, so the boundary is probed with a limit of 4.
    const t = await gateway({ limits: { depth: 4 } });
    await expectPass(t, `{ memories(externalUserId: "a") { ... on MemoryConnection { edges { node { id } } } } }`);
    await expectRefused(
      t,
      `{ memories(externalUserId: "a") { ... on MemoryConnection { edges { node { history { kind } } } } } }`,
      /Query depth limit of 4 exceeded, found 5/,
    );
    const deepest = `{ memories(externalUserId: "a") { ... on MemoryConnection { edges { node { history { kind } } } } } }`;
    await expectPass(await gateway(), deepest);
  });

  test('cost: a query costing exactly the limit passes, one over is refused', async () => {
    const query = `{ memories(externalUserId: "a", first: 100) { ... on MemoryConnection { totalCount edges { node { id content history { kind } } } } } }`;
    const probe = await (await gateway({ limits: { cost: 1 } })).request(query);
    const cost = Math.ceil(Number(/found (\d+(?:\.\d+)?)/.exec(probe.errors![0].message)![1]));
    expect(cost).toBeGreaterThan(1);
    await expectPass(await gateway({ limits: { cost } }), query);
    await expectRefused(
      await gateway({ limits: { cost: cost - 1 } }),
      query,
      new RegExp(`Query Cost limit of ${cost - 1} exceeded`),
    );
    expect(cost).toBeLessThan(REQUEST_LIMITS.cost);
  });

  test('batches of up to 10 operations pass; 11 are refused', async () => {
    const t = await gateway();
    const batch = (n: number) =>
      t.gateway.fetch('http://memgate.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tenants.acme.apiKey}` },
        body: JSON.stringify(Array.from({ length: n }, () => ({ query: '{ viewer { keyPrefix } }' }))),
      });
    const ok = await batch(REQUEST_LIMITS.batch);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toHaveLength(10);
    const refused = await batch(REQUEST_LIMITS.batch + 1);
    expect(refused.status).toBe(413);
    expect(JSON.stringify(await refused.json())).toMatch(/Batching is limited to 10 operations/);
  });

  test('request bodies over the limit, or of unknown length, are refused before parsing', async () => {
    const t = await gateway({ maxBodyBytes: 2048 });
    const post = (body: string, headers: Record<string, string> = {}) =>
      t.gateway.fetch('http://memgate.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tenants.acme.apiKey}`, ...headers },
        body,
      });
    const fits = JSON.stringify({ query: `{ viewer { keyPrefix } }`, variables: { pad: 'x'.repeat(1900) } });
    expect((await post(fits)).status).toBe(200);
    const tooBig = JSON.stringify({ query: `{ viewer { keyPrefix } }`, variables: { pad: 'x'.repeat(2100) } });
    const refused = await post(tooBig);
    expect(refused.status).toBe(413);
    expect((await refused.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const chunked = await t.gateway.fetch('http://memgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tenants.acme.apiKey}` },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(fits));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(411);
  });

  test('introspection and field suggestions can be turned off (the production default)', async () => {
    const open = await gateway();
    expect((await open.request('{ __schema { queryType { name } } }')).data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
    expect((await open.request('{ viewr { keyPrefix } }')).errors?.[0].message).toMatch(/Did you mean "viewer"/);

    const closed = await gateway({ introspection: false, fieldSuggestions: false });
    const introspection = await closed.request('{ __schema { queryType { name } } }');
    expect(introspection.errors?.[0].message).toMatch(/introspection/i);
    const typo = await closed.request('{ viewr { keyPrefix } }');
    expect(typo.errors?.[0].message).not.toMatch(/Did you mean/);
  });

  test('a simple cross-site browser request without a preflight header is refused (CSRF)', async () => {
    const t = await gateway();
    const formPost = await t.gateway.fetch('http://memgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=%7B%20viewer%20%7B%20keyPrefix%20%7D%20%7D',
    });
    expect(formPost.status).toBe(403);
    const plainGet = await t.gateway.fetch('http://memgate.test/graphql?query=%7B__typename%7D', {
      headers: { accept: 'application/json' },
    });
    expect(plainGet.status).toBe(403);
    const authorizedGet = await t.gateway.fetch('http://memgate.test/graphql?query=%7B__typename%7D', {
      headers: { accept: 'application/json', authorization: `Bearer ${t.tenants.acme.apiKey}` },
    });
    expect(authorizedGet.status).toBe(200);
  });
});

describe.each(databaseKinds)('CORS on %s', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind, {
      cors: { origins: ['https://app.acme.example'], extraAllowedHeaders: ['X-Tenant-Hint'] },
    });
  });
  afterAll(() => t.close());

  const preflight = (origin: string, path = '/graphql') =>
    t.gateway.fetch(`http://memgate.test${path}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });

  test('allows the configured origins, never with credentials, and no other origin', async () => {
    const allowed = await preflight('https://app.acme.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.acme.example');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(allowed.headers.get('access-control-allow-credentials')).not.toBe('true');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });

  test.each(['/mcp', '/explorer', '/graphiql', '/health'])(
    '%s follows the configured origins, for a preflight and for the request itself',
    async (path) => {
      expect((await preflight('https://app.acme.example', path)).headers.get('access-control-allow-origin')).toBe(
        'https://app.acme.example',
      );
      const refused = await preflight('https://evil.example', path);
      expect(refused.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
      const request = await t.gateway.fetch(`http://memgate.test${path}`, {
        method: path === '/mcp' ? 'POST' : 'GET',
        headers: { origin: 'https://evil.example', 'content-type': 'application/json', accept: 'application/json' },
        body: path === '/mcp' ? JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) : undefined,
      });
      expect(request.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
    },
  );

  test("Apollo Client's headers, request ids and trace context are allowed, with the configured extra; the request id and Retry-After are readable", async () => {
    const sent = [
      'apollographql-client-name',
      'apollographql-client-version',
      'x-request-id',
      'traceparent',
      'tracestate',
      'apollo-require-preflight',
      'x-tenant-hint',
    ];
    const allowed = await t.gateway.fetch('http://memgate.test/graphql', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.acme.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': ['authorization', 'content-type', ...sent].join(','),
      },
    });
    const allowedHeaders = allowed.headers
      .get('access-control-allow-headers')!
      .split(',')
      .map((name) => name.trim());
    expect(allowedHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type', ...sent]));
    const answer = await t.gateway.fetch('http://memgate.test/graphql', {
      method: 'POST',
      headers: {
        origin: 'https://app.acme.example',
        'content-type': 'application/json',
        authorization: `Bearer ${t.tenants.acme.apiKey}`,
      },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(
      answer.headers
        .get('access-control-expose-headers')
        ?.split(',')
        .map((name) => name.trim()),
    ).toEqual(expect.arrayContaining(['x-request-id', 'retry-after']));
  });
});
