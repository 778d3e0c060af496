import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { createTenant } from '../src/db/admin.js';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { vectorLiteral } from '../src/db/vectorParameter.js';
import { startGateway } from './child.js';
import { graphqlClient, measure } from './load.js';
import { FLOOR_SQL } from './floor.js';
import { memoryContent } from './seed.js';
import {
  addBody,
  BENCH_SECRET,
  MEMORIES_PER_USER,
  pickUser,
  populationUser,
  queryText,
  searchBody,
  TYPENAME_BODY,
  type Contender,
} from './scenario.js';
import { syntheticVector } from './synthetic.js';
import { createHash } from 'node:crypto';

export interface PgliteBench {
  memories: number;
  endUsers: number;
  seedingRowsPerSecond: number;
  sideBySide: Contender[];
}

const TENANTS = 2;
const log = (message: string) => console.log(`[bench pglite] ${message}`);
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The embedded default, smaller: PGlite runs inside the gateway's process, one query at a time. */
export async function runPgliteBench(): Promise<PgliteBench> {
  const population = Number(process.env.BENCH_PGLITE_USERS ?? 2_000);
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-bench-'));
  try {
    const db = await openDatabase({ kind: 'pglite', dataDir });
    await migrate(db);
    const tenants: { tenantId: string; apiKey: string }[] = [];
    for (let i = 0; i < TENANTS; i++) tenants.push(await createTenant(db.prisma, `bench-${i}`));
    const started = performance.now();
    for (let from = 0; from < population; from += 100) {
      const users = Array.from({ length: Math.min(100, population - from) }, (_, i) =>
        populationUser(from + i, TENANTS),
      );
      const endUsers = users.map(
        (user) => `(${literal(tenants[user.tenant].tenantId)}, ${literal(user.externalUserId)})`,
      );
      const memories = users.flatMap((user) =>
        Array.from({ length: MEMORIES_PER_USER }, (_, i) => {
          const content = memoryContent(user.externalUserId, i);
          const hash = createHash('sha256').update(content).digest('hex');
          const embedding = vectorLiteral(Array.from(syntheticVector(`${user.externalUserId}#${i}`, 512)));
          return `(${literal(tenants[user.tenant].tenantId)}, gen_random_uuid(), ${literal(user.externalUserId)}, ${literal(content)}, '\\x${hash}', '${embedding}', 'use-lite-512')`;
        }),
      );
      await db.execScript(`INSERT INTO end_users (tenant_id, external_user_id) VALUES ${endUsers.join(',')};
        INSERT INTO memories (tenant_id, id, external_user_id, content, content_hash, embedding, embedding_model) VALUES ${memories.join(',')};`);
    }
    const memories = population * MEMORIES_PER_USER;
    const seedingRowsPerSecond = memories / ((performance.now() - started) / 1000);
    await db.execScript('ANALYZE');
    await db.close();
    log(`seeded ${memories} memories of ${population} users (${Math.round(seedingRowsPerSecond)} rows/s)`);

    // The floor: the same query straight on PGlite, in this process, before the gateway opens it.
    const pglite = await PGlite.create({ dataDir: join(dataDir, 'pgdata'), extensions: { vector } });
    const user = (i: number) => pickUser(i, population, TENANTS);
    const floor = await measure(
      async (i) => {
        const vector = vectorLiteral(Array.from(syntheticVector(queryText(i), 512)));
        const result = await pglite.query(FLOOR_SQL, [
          tenants[user(i).tenant].tenantId,
          user(i).externalUserId,
          vector,
          'use-lite-512',
          512,
        ]);
        return result.rows.length > 0;
      },
      { concurrency: 1, seconds },
    );
    await pglite.close();
    const sideBySide: Contender[] = [{ name: 'PGlite floor (same query, in process, no RLS)', c1: floor }];

    const gateway = await startGateway({
      MEMGATE_DATA_DIR: dataDir,
      BENCH_EMBEDDER: 'synthetic',
      MEMGATE_SECRET: BENCH_SECRET,
    });
    const clients = tenants.map((tenant) => graphqlClient(gateway.url, tenant.apiKey, 64));
    const contenders: [string, (i: number) => Promise<boolean>][] = [
      [
        'gateway searchMemories (SEMANTIC)',
        (i) => clients[user(i).tenant](searchBody(user(i).externalUserId, queryText(i))),
      ],
      ['GraphQL floor { __typename }', () => clients[0](TYPENAME_BODY)],
      [
        'gateway addMemory (no embedding)',
        (i) => clients[user(i).tenant](addBody(user(i).externalUserId, `added ${i} ${Math.random()}`)),
      ],
    ];
    for (const [name, task] of contenders) {
      const row: Contender = { name, c1: await measure(task, { concurrency: 1, seconds }) };
      row.c8 = await measure(task, { concurrency: 8, seconds });
      row.c32 = await measure(task, { concurrency: 32, seconds });
      sideBySide.push(row);
      log(`${name}: p50 ${row.c1.p50.toFixed(2)} ms, ${Math.round(row.c32.rps)} rps @32`);
    }
    await gateway.stop();
    return { memories, endUsers: population, seedingRowsPerSecond, sideBySide };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
