import { Prisma } from '../src/generated/prisma/client.js';
import { ADD } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/**
 * The fast read path (Database.readScoped: one pipelined round trip on PostgreSQL, a transaction
 * on PGlite) must isolate exactly like a scoped Prisma transaction, and leave nothing behind.
 */
describe.each(databaseKinds)('scoped reads on %s', (kind) => {
  let t: TestGateway;
  let alice: { tenantId: string; externalUserId: string };
  beforeAll(async () => {
    t = await startTestGateway(kind);
    for (const [user, key] of [['alice', t.tenants.acme.apiKey], ['bob', t.tenants.acme.apiKey], ['alice', t.tenants.globex.apiKey]] as const) {
      await t.request(ADD, { input: { externalUserId: user, content: `${user} remembers` } }, key);
    }
    alice = { tenantId: t.tenants.acme.tenantId, externalUserId: 'alice' };
  });
  afterAll(() => t.close());

  const who = Prisma.sql`SELECT current_user AS role, current_setting('app.tenant_id', true) AS tenant,
    current_setting('transaction_read_only') AS "readOnly", (SELECT count(*)::int FROM memories) AS visible`;

  test('statements run as the app role inside the scope, read-only, and see only its rows', async () => {
    const [[inside]] = await t.db.readScoped(alice, [who]);
    expect(inside).toEqual({ role: 'memgate_app', tenant: alice.tenantId, readOnly: 'on', visible: 1 });
  });

  test('nothing outlives the read: the next statement on the connection is privileged and unscoped', async () => {
    for (let i = 0; i < 5; i++) await t.db.readScoped(alice, [who]);
    // Enough reads on a small pool to reuse every connection, then ask each what it is.
    const states = await Promise.all(
      Array.from({ length: 8 }, () => t.db.prisma.$queryRaw<{ role: string; tenant: string | null }[]>`
        SELECT current_user AS role, current_setting('app.tenant_id', true) AS tenant`),
    );
    for (const [state] of states) expect(state.role).not.toBe('memgate_app');
    for (const [state] of states) expect(state.tenant ?? '').toBe('');
  });

  test('a failing statement rejects, aborts the read, and leaves the connection usable', async () => {
    await expect(t.db.readScoped(alice, [who, Prisma.sql`SELECT 1 / 0`])).rejects.toThrow(/division by zero/);
    const [[after]] = await t.db.readScoped(alice, [who]);
    expect(after).toMatchObject({ role: 'memgate_app', visible: 1 });
  });

  test('a read cannot write', async () => {
    await expect(t.db.readScoped(alice, [Prisma.sql`UPDATE memories SET content = 'overwritten'`])).rejects.toThrow(/read-only/);
    const [rows] = await t.db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM memories WHERE content = 'overwritten'`;
    expect(rows.n).toBe(0);
  });
});
