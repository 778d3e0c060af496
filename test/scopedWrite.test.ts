import { Prisma } from '../src/generated/prisma/client.js';
import { ADD, ADD_MANY } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { rememberOneEach, startTestGateway, type TestGateway } from './support/gateway.js';

/**
 * The one-round-trip write path (Database.writeScoped, used by addMemory): its statements cannot
 * wait for each other's answers, so isolation, all-or-nothing and the idempotency key's claim must
 * hold in SQL alone, also when requests race.
 */
describe.each(databaseKinds)('scoped writes on %s', (kind) => {
  let t: TestGateway;
  let alice: { tenantId: string; externalUserId: string };
  beforeAll(async () => {
    t = await startTestGateway(kind);
    await rememberOneEach(t, (user) => `${user} remembers`);
    alice = { tenantId: t.tenants.acme.tenantId, externalUserId: 'alice' };
  });
  afterAll(() => t.close());

  const count = async (sql: string) =>
    (await t.db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${sql}`))[0].n;

  test('a write runs as the app role in its scope: it changes its own rows only, and cannot write another user’s', async () => {
    const [[changed]] = await t.db.writeScoped(alice, [
      Prisma.sql`WITH changed AS (UPDATE memories SET tags = '{touched}' RETURNING 1) SELECT count(*)::int AS n, current_user AS role FROM changed`,
    ]);
    expect(changed).toEqual({ n: 1, role: 'memgate_app' });
    expect(await count(`memories WHERE tags = '{touched}'`)).toBe(1);
    const intoBob = Prisma.sql`INSERT INTO end_users (tenant_id, external_user_id) VALUES (${alice.tenantId}::uuid, 'mallory')`;
    await expect(t.db.writeScoped(alice, [intoBob])).rejects.toThrow(/row-level security/);
    expect(await count(`end_users WHERE external_user_id = 'mallory'`)).toBe(0);
  });

  test('all or nothing: a failing statement undoes the ones before it, and the connection stays usable', async () => {
    const touch = Prisma.sql`UPDATE end_users SET last_activity_at = '2001-01-01' WHERE tenant_id = ${alice.tenantId}::uuid AND external_user_id = 'alice'`;
    await expect(t.db.writeScoped(alice, [touch, Prisma.sql`SELECT 1 / 0`])).rejects.toThrow(/division by zero/);
    expect(await count(`end_users WHERE last_activity_at = '2001-01-01'`)).toBe(0);
    const [[after]] = await t.db.writeScoped(alice, [
      Prisma.sql`SELECT current_user AS role, (SELECT count(*)::int FROM memories) AS visible`,
    ]);
    expect(after).toEqual({ role: 'memgate_app', visible: 1 });
  });

  test('requests racing with one idempotency key: one writes, the others replay its answer', async () => {
    const input = { externalUserId: 'racer', content: 'Racer prefers window seats', idempotencyKey: 'race-1' };
    const answers = await Promise.all(Array.from({ length: 8 }, () => t.request(ADD, { input })));
    const added = answers.map((answer) => answer.data.addMemory);
    expect(new Set(added.map((a) => a.memory.id)).size).toBe(1);
    // Every answer is the first request's, replayed: created as it was then.
    expect(added.every((a) => a.created === true)).toBe(true);
    expect(await count(`memories WHERE external_user_id = 'racer'`)).toBe(1);
    expect(await count(`memory_events WHERE external_user_id = 'racer'`)).toBe(1);
  });

  test('requests racing with one key and different payloads: one is stored, every other is a conflict', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.request(ADD, { input: { externalUserId: 'rival', content: `Rival fact ${i}`, idempotencyKey: 'race-2' } }),
      ),
    );
    const kinds = answers.map((answer) => answer.data.addMemory.__typename).sort();
    expect(kinds).toEqual([
      'AddedMemory',
      'ConflictError',
      'ConflictError',
      'ConflictError',
      'ConflictError',
      'ConflictError',
    ]);
    expect(await count(`memories WHERE external_user_id = 'rival'`)).toBe(1);
  });

  test('requests racing with the same content and no key: one memory, one created answer', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => t.request(ADD, { input: { externalUserId: 'twin', content: 'Twin likes tea' } })),
    );
    const added = answers.map((answer) => answer.data.addMemory);
    expect(new Set(added.map((a) => a.memory.id)).size).toBe(1);
    expect(added.filter((a) => a.created).length).toBe(1);
    expect(await count(`memory_events WHERE external_user_id = 'twin'`)).toBe(1);
  });

  test('a batch answers each input with its memory and records one event per memory created', async () => {
    await t.request(ADD, { input: { externalUserId: 'batch', content: 'Batch owns a cat' } });
    const res = await t.request(ADD_MANY, {
      input: {
        externalUserId: 'batch',
        idempotencyKey: 'b-1',
        memories: [{ content: 'Batch owns a cat' }, { content: 'Batch rows' }, { content: 'Batch rows' }],
      },
    });
    const results = res.data.addMemories.results;
    expect(results.map((r: any) => [r.created, r.memory.content])).toEqual([
      [false, 'Batch owns a cat'],
      [true, 'Batch rows'],
      [false, 'Batch rows'],
    ]);
    expect(results[1].memory.id).toBe(results[2].memory.id);
    expect(await count(`memory_events WHERE external_user_id = 'batch'`)).toBe(2);
    const replay = await t.request(ADD_MANY, {
      input: {
        externalUserId: 'batch',
        idempotencyKey: 'b-1',
        memories: [{ content: 'Batch owns a cat' }, { content: 'Batch rows' }, { content: 'Batch rows' }],
      },
    });
    expect(replay.data.addMemories).toEqual(res.data.addMemories);
  });
});
