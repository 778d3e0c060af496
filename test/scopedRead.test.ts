import { randomUUID } from 'node:crypto';
import { Prisma } from '../src/generated/prisma/client.js';
import { databaseKinds } from './support/databases.js';
import { rememberOneEach, startTestGateway, type TestGateway } from './support/gateway.js';

/**
 * The fast read path (Database.readScoped: one pipelined round trip on PostgreSQL, a transaction
 * on PGlite) must isolate exactly like a scoped Prisma transaction, and leave nothing behind.
 */
describe.each(databaseKinds)('scoped reads on %s', (kind) => {
  let t: TestGateway;
  let alice: { tenantId: string; externalUserId: string };
  beforeAll(async () => {
    t = await startTestGateway(kind);
    await rememberOneEach(t, (user) => `${user} remembers`);
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
      Array.from(
        { length: 8 },
        () => t.db.prisma.$queryRaw<{ role: string; tenant: string | null }[]>`
        SELECT current_user AS role, current_setting('app.tenant_id', true) AS tenant`,
      ),
    );
    for (const [state] of states) expect(state.role).not.toBe('memgate_app');
    for (const [state] of states) expect(state.tenant ?? '').toBe('');
  });

  test('a failing statement rejects, aborts the read, and leaves the connection usable', async () => {
    await expect(t.db.readScoped(alice, [who, Prisma.sql`SELECT 1 / 0`])).rejects.toThrow(/division by zero/);
    const [[after]] = await t.db.readScoped(alice, [who]);
    expect(after).toMatchObject({ role: 'memgate_app', visible: 1 });
  });

  test('reads of different tenants and end users asked for together each see only their own scope', async () => {
    const bob = { tenantId: t.tenants.acme.tenantId, externalUserId: 'bob' };
    const globexAlice = { tenantId: t.tenants.globex.tenantId, externalUserId: 'alice' };
    const mine = Prisma.sql`SELECT current_setting('app.tenant_id') AS tenant, current_setting('app.external_user_id') AS "user",
      (SELECT string_agg(content, ',') FROM memories) AS contents`;
    const scopes = Array.from({ length: 24 }, (_, i) => [alice, bob, globexAlice][i % 3]);
    const answers = await Promise.all(scopes.map((scope) => t.db.readScoped(scope, [mine])));
    answers.forEach(([[answer]], i) => {
      const scope = scopes[i];
      expect(answer).toEqual({
        tenant: scope.tenantId,
        user: scope.externalUserId,
        contents: `${scope.externalUserId} remembers`,
      });
    });
  });

  test('a failing read among concurrent ones rejects alone', async () => {
    const reads = [who, Prisma.sql`SELECT 1 / 0`, who, who].map((statement) => t.db.readScoped(alice, [statement]));
    const settled = await Promise.allSettled(reads);
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason.message).toMatch(/division by zero/);
    for (const result of [settled[0], settled[2], settled[3]]) {
      expect((result as PromiseFulfilledResult<unknown[][]>).value[0][0]).toMatchObject({
        role: 'memgate_app',
        visible: 1,
      });
    }
  });

  test('a statement first used by a read that fails is still there for the reads after it', async () => {
    const fresh = Prisma.sql`SELECT ${randomUUID()}::text AS marker, count(*)::int AS visible FROM memories`;
    const [failed, after] = await Promise.allSettled([
      t.db.readScoped(alice, [Prisma.sql`SELECT 1 / 0`, fresh]),
      t.db.readScoped(alice, [fresh]),
    ]);
    expect(failed.status).toBe('rejected');
    expect(after).toMatchObject({ status: 'fulfilled', value: [[{ visible: 1 }]] });
  });

  test('a read cannot write', async () => {
    await expect(t.db.readScoped(alice, [Prisma.sql`UPDATE memories SET content = 'overwritten'`])).rejects.toThrow(
      /read-only/,
    );
    const [rows] = await t.db.prisma.$queryRaw<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM memories WHERE content = 'overwritten'`;
    expect(rows.n).toBe(0);
  });

  const onPostgres = kind !== 'pglite' ? test : test.skip;

  onPostgres('reads asked for together share a connection and a round trip, up to 32 at a time', async () => {
    const pid = Prisma.sql`SELECT pg_backend_pid() AS pid`;
    const backendsOf = async (reads: number) => {
      const answers = await Promise.all(Array.from({ length: reads }, () => t.db.readScoped(alice, [pid])));
      return new Set(answers.map(([[row]]) => (row as { pid: number }).pid)).size;
    };
    expect(await backendsOf(32)).toBe(1);
    expect(await backendsOf(40)).toBe(2);
  });

  onPostgres('a connection lost mid-batch fails every read still waiting on it, and is not reused', async () => {
    const sleeping = t.db.readScoped(alice, [Prisma.sql`SELECT pg_sleep(5)`]);
    const behind = t.db.readScoped(alice, [who]);
    // Once the batch is running on the server, its backend is killed.
    let running: { pid: number }[] = [];
    while (running.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      running = await t.db.prisma.$queryRaw`SELECT pid FROM pg_stat_activity
        WHERE state = 'active' AND query LIKE '%pg_sleep(5)%' AND pid <> pg_backend_pid()`;
    }
    await t.db.prisma.$queryRaw`SELECT pg_terminate_backend(${running[0].pid}::int)`;
    await expect(sleeping).rejects.toThrow();
    await expect(behind).rejects.toThrow();
    const [[after]] = await t.db.readScoped(alice, [who]);
    expect(after).toMatchObject({ role: 'memgate_app', visible: 1 });
  });
});
