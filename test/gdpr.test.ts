import { ADD, DELETE, ERASE, UPDATE } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const EXPORT = `query Export($user: String) {
  exportEndUser(externalUserId: $user) { __typename ... on EndUserExport { document } ... on Error { code } }
}`;

describe.each(databaseKinds)('GDPR on %s', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  async function userRowsEverywhere(tenantId: string, externalUserId: string): Promise<Record<string, number>> {
    const tables = await t.db.prisma.$queryRaw<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'external_user_id' ORDER BY table_name`;
    const counts: Record<string, number> = {};
    for (const { table_name } of tables) {
      const [row] = await t.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM "${table_name}" WHERE tenant_id = $1::uuid AND external_user_id = $2`,
        tenantId,
        externalUserId,
      );
      counts[table_name] = Number(row.n);
    }
    return counts;
  }

  test('export returns everything stored about the user, and nobody else', async () => {
    const first = await t.request(ADD, {
      input: { externalUserId: 'paula', content: 'Paula likes rowing', metadata: { a: 1 }, idempotencyKey: 'i1' },
    });
    const id = first.data.addMemory.memory.id;
    await t.request(UPDATE, {
      input: { externalUserId: 'paula', id, content: 'Paula likes sailing', reason: 'changed hobby' },
    });
    const second = await t.request(ADD, { input: { externalUserId: 'paula', content: 'Paula has a boat' } });
    await t.request(DELETE, {
      input: { externalUserId: 'paula', id: second.data.addMemory.memory.id, reason: 'sold it' },
    });
    await t.request(ADD, { input: { externalUserId: 'quinn', content: 'Quinn is private' } });
    await t.request(ADD, { input: { externalUserId: 'paula', content: 'Globex Paula' } }, t.tenants.globex.apiKey);

    const document = (await t.request(EXPORT, { user: 'paula' })).data.exportEndUser.document;
    expect(document.externalUserId).toBe('paula');
    expect(document.memories.map((m: any) => [m.content, m.deletedAt === null])).toEqual([
      ['Paula likes sailing', true],
      ['Paula has a boat', false],
    ]);
    expect(document.memories[0].metadata).toEqual({ a: 1 });
    expect(document.history.map((e: any) => [e.kind, e.oldContent, e.newContent, e.reason])).toEqual([
      ['CREATED', null, 'Paula likes rowing', null],
      ['UPDATED', 'Paula likes rowing', 'Paula likes sailing', 'changed hobby'],
      ['CREATED', null, 'Paula has a boat', null],
      ['DELETED', 'Paula has a boat', null, 'sold it'],
    ]);
    expect(document.idempotencyKeys.map((k: any) => k.key)).toEqual(['i1']);
    expect(document.usage).toEqual({
      memoriesStored: 1,
      memoriesRetired: 1,
      historyEvents: 4,
      inputTokens: 0,
      outputTokens: 0,
    });
    const text = JSON.stringify(document);
    expect(text).not.toContain('Quinn');
    expect(text).not.toContain('Globex');
    expect((await t.request(EXPORT, { user: 'nobody' })).data.exportEndUser).toEqual({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
    });
  });

  test('erasure removes the pair from every table with a receipt; others are untouched; twice is a no-op', async () => {
    const before = await userRowsEverywhere(t.tenants.acme.tenantId, 'paula');
    expect(before).toMatchObject({ memories: 2, memory_events: 4, idempotency_keys: 1, end_users: 1 });
    const quinnBefore = await userRowsEverywhere(t.tenants.acme.tenantId, 'quinn');
    const globexBefore = await userRowsEverywhere(t.tenants.globex.tenantId, 'paula');

    const receipt = (
      await t.request(`mutation { deleteEndUser(externalUserId: "paula") {
      ... on EndUserErasure { externalUserId erasedAt tables { table rows } } } }`)
    ).data.deleteEndUser;
    expect(Object.fromEntries(receipt.tables.map((row: any) => [row.table, row.rows]))).toEqual(before);
    expect(new Date(receipt.erasedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const after = await userRowsEverywhere(t.tenants.acme.tenantId, 'paula');
    expect(Object.values(after).every((n) => n === 0)).toBe(true);
    expect(await userRowsEverywhere(t.tenants.acme.tenantId, 'quinn')).toEqual(quinnBefore);
    expect(await userRowsEverywhere(t.tenants.globex.tenantId, 'paula')).toEqual(globexBefore);

    const again = (await t.request(ERASE, { user: 'paula' })).data.deleteEndUser;
    expect(again).toMatchObject({ memoriesDeleted: 0, historyEventsDeleted: 0, idempotencyKeysDeleted: 0 });
    expect((await t.request(EXPORT, { user: 'paula' })).data.exportEndUser.__typename).toBe('NotFoundError');
  });
});
