import { serverAudits } from 'graphql-http';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/** The GraphQL-over-HTTP specification, as the graphql-http package audits it, with credentials supplied. */
describe.each(databaseKinds)('GraphQL over HTTP on %s', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  const audits = serverAudits({
    url: 'http://memgate.test/graphql',
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${t.tenants.acme.apiKey}`);
      return t.gateway.fetch(input as string, { ...init, headers });
    },
  });

  test.each(
    audits
      .filter((audit) => audit.name.startsWith('MUST') || audit.name.startsWith('SHOULD'))
      .map((audit) => [audit.name, audit] as const),
  )('%s', async (_name, audit) => {
    const result = await audit.fn();
    expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
  });
});
