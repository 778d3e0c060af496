import { ScopedDatabase } from '../src/db/scope.js';
import { ADD } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/** The scoped client extension must confine Prisma calls even when the caller asks for more. */
describe.each(databaseKinds)('scoped client extension on %s', (kind) => {
  let t: TestGateway;
  let alice: ScopedDatabase;
  let bobMemoryId: string;
  beforeAll(async () => {
    t = await startTestGateway(kind);
    for (const content of ['Alice one', 'Alice two'])
      await t.request(ADD, { input: { externalUserId: 'alice', content } });
    const bob = await t.request(ADD, { input: { externalUserId: 'bob', content: 'Bob one' } });
    bobMemoryId = Buffer.from(bob.data.addMemory.memory.id, 'base64').toString().split(':')[1];
    await t.request(ADD, { input: { externalUserId: 'alice', content: 'Globex Alice' } }, t.tenants.globex.apiKey);
    alice = new ScopedDatabase(t.db.prisma, { tenantId: t.tenants.acme.tenantId, externalUserId: 'alice' }, t.db);
  });
  afterAll(() => t.close());

  test('reads see only the scope, whatever the where says', async () => {
    await alice.transaction(async (tx) => {
      const rows = await tx.memory.findMany({ where: { externalUserId: 'bob' } });
      expect(rows.map((row) => row.content).sort()).toEqual(['Alice one', 'Alice two']);
      expect(await tx.memory.count({ where: { tenantId: t.tenants.globex.tenantId } })).toBe(2);
      expect(await tx.memory.findFirst({ where: { id: bobMemoryId } })).toBeNull();
      expect(await tx.memory.findUnique({ where: { id: bobMemoryId } as never })).toBeNull();
      expect(
        await tx.memory.findMany({ where: { OR: [{ externalUserId: 'bob' }, { content: 'Bob one' }] } }),
      ).toHaveLength(0);
    });
  });

  test('writes land in the scope and never touch other rows', async () => {
    const rollback = new Error('rollback');
    await expect(
      alice.transaction(async (tx) => {
        const { count } = await tx.memory.updateMany({
          data: { content: 'overwritten', externalUserId: 'bob' } as never,
        });
        expect(count).toBe(2);
        await expect(
          tx.memory.update({ where: { id: bobMemoryId } as never, data: { content: 'x' } }),
        ).rejects.toThrow();
        const { count: deleted } = await tx.memory.deleteMany({});
        expect(deleted).toBe(2);
        throw rollback;
      }),
    ).rejects.toBe(rollback);

    await alice.transaction(async (tx) => {
      const event = await tx.memoryEvent.create({
        data: {
          tenantId: t.tenants.globex.tenantId,
          externalUserId: 'bob',
          memoryId: bobMemoryId,
          kind: 'CREATED',
        } as never,
      });
      expect([event.tenantId, event.externalUserId]).toEqual([t.tenants.acme.tenantId, 'alice']);
      await tx.memoryEvent.delete({ where: { id: event.id } as never });
    });
    const all = await t.db.prisma.memory.findMany({ orderBy: { content: 'asc' } });
    expect(all.map((row) => [row.externalUserId, row.content])).toEqual([
      ['alice', 'Alice one'],
      ['alice', 'Alice two'],
      ['bob', 'Bob one'],
      ['alice', 'Globex Alice'],
    ]);
  });

  test("tenants are not reachable from a scope; API keys only from a tenant-wide scope, and only its tenant's", async () => {
    await alice.transaction(async (tx) => {
      await expect((tx as any).tenant.findMany()).rejects.toThrow(/not reachable/);
      expect(await tx.apiKey.findMany({})).toEqual([]);
    });
    const acmeWide = new ScopedDatabase(t.db.prisma, { tenantId: t.tenants.acme.tenantId }, t.db);
    await acmeWide.transaction(async (tx) => {
      const keys = await tx.apiKey.findMany({ where: { tenantId: t.tenants.globex.tenantId } });
      expect(keys.map((key) => key.tenantId)).toEqual([t.tenants.acme.tenantId]);
    });
  });

  test('the transaction carries the scope in transaction-local settings', async () => {
    const settings = await alice.transaction(
      (tx) =>
        tx.$queryRaw<
          { tenant: string; user: string }[]
        >`SELECT current_setting('app.tenant_id') AS tenant, current_setting('app.external_user_id') AS user`,
    );
    expect(settings).toEqual([{ tenant: t.tenants.acme.tenantId, user: 'alice' }]);
    const after = await t.db.prisma.$queryRaw<
      { tenant: string | null }[]
    >`SELECT current_setting('app.tenant_id', true) AS tenant`;
    expect(after[0].tenant ?? '').toBe('');
  });
});
