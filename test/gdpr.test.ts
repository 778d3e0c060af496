import { Prisma } from '../src/generated/prisma/client.js';
import { END_USER_DATA } from '../src/db/webhookSql.js';
import { ADD, DELETE, ERASE, UPDATE } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { uuidOf } from './support/ids.js';

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

  /** Columns that are not data about the user: scope, derived search structures, hashes, job bookkeeping. */
  const NOT_EXPORTED = new Set([
    'tenant_id',
    'external_user_id',
    'memories.content_hash',
    'memories.embedding',
    'memories.search_vector',
    'memories.context_vector',
    'memory_words.word',
    'memory_words.memory_id',
    'idempotency_keys.request_hash',
    'conversations.locked_until',
    'conversations.lease_id',
    'webhook_deliveries.next_attempt_at',
    'webhook_deliveries.locked_until',
  ]);
  const SECTIONS: Record<string, string> = {
    memories: 'memories',
    memory_events: 'history',
    idempotency_keys: 'idempotencyKeys',
    conversations: 'conversations',
    llm_usage: 'llmCalls',
    webhook_deliveries: 'webhookDeliveries',
    entities: 'entities',
    memory_entities: 'entityMentions',
    entity_relations: 'entityRelations',
  };
  const camel = (column: string) => column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

  test('export holds every row and every column about the user, webhook deliveries and conversation outcomes included', async () => {
    const { tenantId } = t.tenants.acme;
    const endpoint = await t.request(
      `mutation { createWebhookEndpoint(url: "https://hooks.example.com/memgate", events: [MEMORY_CREATED]) {
        ... on NewWebhookEndpoint { endpoint { id } } } }`,
    );
    const endpointId = endpoint.data.createWebhookEndpoint.endpoint.id;
    await t.request(ADD, { input: { externalUserId: 'rosa', content: 'Rosa plays the cello', idempotencyKey: 'r1' } });
    await t.request(ADD, { input: { externalUserId: 'sam', content: 'Sam plays the drums' } });
    await t.db.prisma.$executeRaw`
      INSERT INTO conversations (tenant_id, id, external_user_id, messages, status, result, error, thread_id)
      VALUES (${tenantId}::uuid, gen_random_uuid(), 'rosa', '[]', 'FAILED', '{"added": 0}', 'model refused', 'lesson-1')`;
    await t.db.prisma.$executeRaw`
      INSERT INTO llm_usage (tenant_id, id, external_user_id, operation, model, input_tokens, output_tokens)
      VALUES (${tenantId}::uuid, gen_random_uuid(), 'rosa', 'extract', 'claude-test', 10, 2)`;
    // A relation as Claude's reading of a conversation records it (see relations.test.ts).
    await t.db.prisma.$executeRaw`
      INSERT INTO entity_relations (tenant_id, external_user_id, id, subject_id, predicate, object_id, valid_from)
      SELECT tenant_id, external_user_id, gen_random_uuid(), id, 'plays_with', id, now() FROM entities
      WHERE tenant_id = ${tenantId}::uuid AND external_user_id = 'rosa'`;

    const document = (await t.request(EXPORT, { user: 'rosa' })).data.exportEndUser.document;
    const columns = await t.db.prisma.$queryRaw<{ table_name: string; column_name: string }[]>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name IN (
        SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'external_user_id')
      ORDER BY table_name, ordinal_position`;
    const missing: string[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      if (table === 'end_users' || NOT_EXPORTED.has(column) || NOT_EXPORTED.has(`${table}.${column}`)) continue;
      const [{ n }] = await t.db.prisma.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${table}" WHERE tenant_id = $1::uuid AND external_user_id = 'rosa'`,
        tenantId,
      );
      const section = document[SECTIONS[table]];
      if (!Array.isArray(section) || section.length !== n || n === 0) missing.push(`${table} (${n} rows)`);
      else if (!section.every((row: Record<string, unknown>) => camel(column) in row))
        missing.push(`${table}.${column}`);
    }
    expect([...new Set(missing)]).toEqual([]);
    const [delivery] = document.webhookDeliveries;
    expect(delivery).toMatchObject({ endpointId: uuidOf(endpointId), eventType: 'memory.created', status: 'PENDING' });
    expect(delivery.payload.data.newContent).toBe('Rosa plays the cello');
    expect(document.conversations[0]).toMatchObject({
      result: { added: 0 },
      error: 'model refused',
      threadId: 'lesson-1',
    });
    expect(document.history[0].actor).toMatchObject({ kind: expect.any(String) });
    expect(JSON.stringify(document)).not.toContain('Sam');
  });

  test("an end user's own scope reads its deliveries only inside its export or erasure, and never another user's", async () => {
    const rosa = { tenantId: t.tenants.acme.tenantId, externalUserId: 'rosa' };
    const count = Prisma.sql`SELECT count(*)::int AS n FROM webhook_deliveries`;
    const [[plain]] = await t.db.readScoped(rosa, [count]);
    expect(plain).toEqual({ n: 0 });
    const [[forData]] = await t.db.readScoped(rosa, [count], END_USER_DATA);
    expect(forData).toEqual({ n: 1 });
    const [[deleted]] = await t.db.writeScoped(rosa, [
      Prisma.sql`WITH gone AS (DELETE FROM webhook_deliveries RETURNING 1) SELECT count(*)::int AS n FROM gone`,
    ]);
    expect(deleted).toEqual({ n: 0 });
    const [users] = await t.db.readScoped(
      { ...rosa, externalUserId: 'sam' },
      [Prisma.sql`SELECT DISTINCT external_user_id AS user FROM webhook_deliveries`],
      END_USER_DATA,
    );
    expect(users).toEqual([{ user: 'sam' }]);

    const receipt = (
      await t.request(
        `mutation { deleteEndUser(externalUserId: "rosa") { ... on EndUserErasure { tables { table rows } } } }`,
      )
    ).data.deleteEndUser;
    expect(receipt.tables).toContainEqual({ table: 'webhook_deliveries', rows: 1 });
    const [{ n }] = await t.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM webhook_deliveries WHERE external_user_id = 'rosa'`;
    expect(n).toBe(0);
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
