import { SEARCH } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

describe.each(databaseKinds)('unexpected failures on %s', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  test('a database error reaches the client masked: no SQL, Prisma or stack text', async () => {
    await t.db.prisma.$executeRawUnsafe('ALTER TABLE memories RENAME TO memories_gone');
    try {
      const response = await t.gateway.fetch('http://memgate.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tenants.acme.apiKey}` },
        body: JSON.stringify({ query: SEARCH, variables: { user: 'una', query: 'anything' } }),
      });
      const text = await response.text();
      expect(JSON.parse(text).errors[0].message).toBe('Unexpected error.');
      for (const leak of ['memories', 'relation', 'SELECT', 'prisma', 'Prisma', 'at ', '.ts', 'stack']) {
        expect(text).not.toContain(leak);
      }
    } finally {
      await t.db.prisma.$executeRawUnsafe('ALTER TABLE memories_gone RENAME TO memories');
    }
  });
});
