import { randomUUID } from 'node:crypto';
import { Prisma } from '../src/generated/prisma/client.js';
import { memoryEventsOutboxSql } from '../src/db/webhookSql.js';
import { ADD } from './support/operations.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/** What only a Citus cluster can show (TEST_CITUS_URL; scripts/setup-citus.sh starts one). */
const onCitus = process.env.TEST_CITUS_URL ? describe : describe.skip;

onCitus('the Citus layout', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('citus');
  });
  afterAll(() => t.close());

  test('end users’ tables are distributed and co-located; tenant-level tables are reference tables', async () => {
    const tables = await t.db.prisma.$queryRaw<{ name: string; type: string; column: string; colocation: number }[]>`
      SELECT table_name::text AS name, citus_table_type AS type, distribution_column AS column, colocation_id AS colocation FROM citus_tables ORDER BY 1`;
    const byName = Object.fromEntries(tables.map((table) => [table.name, table]));
    for (const name of [
      'end_users',
      'memories',
      'memory_events',
      'memory_words',
      'entities',
      'memory_entities',
      'entity_relations',
      'idempotency_keys',
      'conversations',
      'llm_usage',
    ]) {
      expect(byName[name]).toMatchObject({
        type: 'distributed',
        column: 'external_user_id',
        colocation: byName.end_users.colocation,
      });
    }
    for (const name of ['tenants', 'api_keys', 'redaction_rules']) expect(byName[name]?.type).toBe('reference');
  });

  test("one tenant's 200 end users are spread over every worker", async () => {
    const users = Array.from({ length: 200 }, (_, i) => `user-${i}@example.com`);
    for (const user of users) {
      const added = await t.request(ADD, { input: { externalUserId: user, content: `${user} likes the sea` } });
      expect(added.data.addMemory.created).toBe(true);
    }
    const placements = await t.db.prisma.$queryRaw<{ port: number; users: number }[]>`
      SELECT s.nodeport AS port, count(*)::int AS users
      FROM unnest(${users}::text[]) AS u(external_user_id)
      JOIN citus_shards s ON s.table_name = 'memories'::regclass
        AND s.shardid = get_shard_id_for_distribution_column('memories', u.external_user_id)
      GROUP BY s.nodeport ORDER BY s.nodeport`;
    const workers = await t.db.prisma.$queryRaw<{ port: number }[]>`
      SELECT nodeport AS port FROM pg_dist_node WHERE noderole = 'primary' AND groupid <> 0 ORDER BY nodeport`;
    expect(placements.map((placement) => placement.port)).toEqual(workers.map((worker) => worker.port));
    expect(placements.reduce((sum, placement) => sum + placement.users, 0)).toBe(200);
    // Roughly even: no worker holds fewer than a fifth of them.
    for (const placement of placements) expect(placement.users).toBeGreaterThan(200 / workers.length / 5);
    console.log(
      `200 end users of one tenant over ${workers.length} workers: ${placements.map((p) => `${p.port}: ${p.users}`).join(', ')}`,
    );
  });

  test('the webhook outbox of one end user’s write runs on that user’s shard alone when the endpoints come as values', async () => {
    const key = { tenantId: t.tenants.acme.tenantId, externalUserId: 'outbox@example.com' };
    const endpoint = { id: randomUUID(), include_memory_data: true, event_types: ['memory.created'] };
    const tasks = async (statement: Prisma.Sql) => {
      const plan = await t.db.prisma.$queryRaw<{ 'QUERY PLAN': string }[]>(
        Prisma.sql`EXPLAIN (COSTS OFF) ${statement}`,
      );
      return Number(/Task Count: (\d+)/.exec(plan.map((row) => row['QUERY PLAN']).join('\n'))?.[1]);
    };
    expect(await tasks(memoryEventsOutboxSql(key, [randomUUID()], [endpoint]))).toBe(1);
    // Joined to the endpoints' reference table, Citus plans it for every shard: why the values.
    expect(await tasks(memoryEventsOutboxSql(key, [randomUUID()]))).toBeGreaterThan(1);
  });
});
