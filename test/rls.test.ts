import { Prisma } from '../src/generated/prisma/client.js';
import { loadConfig } from '../src/config.js';
import { appLoginProblem, appLoginReport } from '../src/db/appLogin.js';
import { openConfiguredDatabase } from '../src/db/open.js';
import { APP_ROLE, enterScope } from '../src/db/scope.js';
import { LIST, SEARCH } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { rememberOneEach, startTestGateway, type TestGateway } from './support/gateway.js';

/** PostgreSQL itself is the last wall: these tests bypass the application's own filters. */
describe.each(databaseKinds)('row-level security on %s', (kind) => {
  let t: TestGateway;
  let tenantTables: string[];
  beforeAll(async () => {
    t = await startTestGateway(kind);
    await rememberOneEach(t, (user) => `${user} secret`, 'k');
    const rows = await t.db.prisma.$queryRaw<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`;
    tenantTables = rows.map((row) => row.table_name);
  });
  afterAll(() => t.close());

  test('every table with a tenant_id column has row-level security enabled and forced', async () => {
    expect(tenantTables).toEqual([
      'api_keys',
      'conversations',
      'end_users',
      'entities',
      'entity_relations',
      'idempotency_keys',
      'llm_usage',
      'memories',
      'memory_entities',
      'memory_events',
      'memory_words',
      'redaction_rules',
      'webhook_deliveries',
      'webhook_endpoints',
    ]);
    const tables = await t.db.prisma.$queryRaw<{ relname: string; enabled: boolean; forced: boolean }[]>`
      SELECT relname, relrowsecurity AS enabled, relforcerowsecurity AS forced FROM pg_class
      WHERE relnamespace = 'public'::regnamespace AND relname = ANY(${tenantTables}::text[])`;
    expect(tables).toHaveLength(tenantTables.length);
    for (const table of tables) expect(table).toMatchObject({ enabled: true, forced: true });
  });

  test('every unique key and foreign key of a tenant-owned table leads with tenant_id (shardable by tenant)', async () => {
    const keys = await t.db.prisma.$queryRaw<{ name: string; first: string }[]>`
      SELECT i.indexrelid::regclass::text AS name, a.attname AS first
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
      WHERE i.indisunique AND i.indrelid::regclass::text = ANY(${tenantTables}::text[])
      UNION ALL
      SELECT c.conname, a.attname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(${tenantTables}::text[])`;
    expect(keys.length).toBeGreaterThan(tenantTables.length);
    // The one exception, by design: authentication finds a key by its hash before it knows the tenant.
    expect(keys.filter((key) => key.first !== 'tenant_id').map((key) => key.name)).toEqual(['api_keys_key_hash_key']);
  });

  test('the app role is not superuser, cannot bypass RLS and owns nothing', async () => {
    const [role] = await t.db.prisma.$queryRaw<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean }[]>`
      SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = ${APP_ROLE}`;
    // On Citus it logs in to the workers itself (after SET ROLE the coordinator connects as it).
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: kind === 'citus' });
    const [owned] = await t.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT ((SELECT count(*) FROM pg_class WHERE relowner = r.oid)
            + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)
            + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)
            + (SELECT count(*) FROM pg_type WHERE typowner = r.oid))::int AS n
      FROM pg_roles r WHERE r.rolname = ${APP_ROLE}`;
    expect(owned.n).toBe(0);
  });

  /** Objects of the Citus extension itself (its metadata views and functions), which check their callers themselves. */
  const citusOwns = (oid: string, catalog: string) =>
    Prisma.raw(`EXISTS (SELECT 1 FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
      WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e' AND e.extname = 'citus')`);

  test('no SECURITY DEFINER function and no view without security_invoker is reachable by the app role', async () => {
    const definers = await t.db.prisma.$queryRaw<{ proname: string }[]>`
      SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND has_function_privilege(${APP_ROLE}, p.oid, 'EXECUTE') AND NOT ${citusOwns('p.oid', 'pg_proc')}`;
    expect(definers).toEqual([]);
    const views = await t.db.prisma.$queryRaw<{ relname: string }[]>`
      SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND has_table_privilege(${APP_ROLE}, c.oid, 'SELECT')
        AND NOT coalesce(c.reloptions @> ARRAY['security_invoker=true'], false) AND NOT ${citusOwns('c.oid', 'pg_class')}`;
    expect(views).toEqual([]);
  });

  test('as the app role with no settings, every table reads empty and every insert is refused', async () => {
    const asAppRole = <T>(sql: string) =>
      t.db.prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL ROLE ${APP_ROLE}`);
        return tx.$queryRawUnsafe<T>(sql);
      });
    for (const table of tenantTables) {
      expect(await asAppRole<{ n: bigint }[]>(`SELECT count(*) AS n FROM ${table}`)).toEqual([{ n: 0n }]);
    }
    await expect(asAppRole('SELECT count(*) FROM tenants')).rejects.toThrow();
    const inserts = [
      `INSERT INTO end_users (tenant_id, external_user_id) VALUES ('${t.tenants.acme.tenantId}', 'eve')`,
      `INSERT INTO memories (tenant_id, id, external_user_id, content, content_hash, embedding_model)
         VALUES ('${t.tenants.acme.tenantId}', gen_random_uuid(), 'alice', 'x', '\\x00', 'm')`,
      `INSERT INTO memory_events (tenant_id, id, external_user_id, memory_id, kind)
         VALUES ('${t.tenants.acme.tenantId}', gen_random_uuid(), 'alice', gen_random_uuid(), 'CREATED')`,
      `INSERT INTO idempotency_keys (tenant_id, external_user_id, key, request_hash)
         VALUES ('${t.tenants.acme.tenantId}', 'alice', 'x', '\\x00')`,
      `INSERT INTO memory_words (tenant_id, external_user_id, word, memory_id)
         VALUES ('${t.tenants.acme.tenantId}', 'alice', 'secret', gen_random_uuid())`,
      `INSERT INTO entities (tenant_id, external_user_id, id, key, name, type)
         VALUES ('${t.tenants.acme.tenantId}', 'alice', gen_random_uuid(), 'x', 'x', 'OTHER')`,
      `INSERT INTO entity_relations (tenant_id, external_user_id, id, subject_id, predicate, object_id, valid_from)
         VALUES ('${t.tenants.acme.tenantId}', 'alice', gen_random_uuid(), gen_random_uuid(), 'x', gen_random_uuid(), now())`,
      `INSERT INTO memory_entities (tenant_id, external_user_id, entity_id, memory_id)
         VALUES ('${t.tenants.acme.tenantId}', 'alice', gen_random_uuid(), gen_random_uuid())`,
      `INSERT INTO api_keys (tenant_id, id, name, prefix, key_hash) VALUES ('${t.tenants.acme.tenantId}', gen_random_uuid(), 'x', 'x', '\\x01')`,
      // On Citus the app role holds INSERT and UPDATE on tenants (see the citus_layout migration): the policy refuses them.
      `INSERT INTO tenants (id, name) VALUES (gen_random_uuid(), 'intruder')`,
    ];
    const renamed = await t.db.prisma
      .$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL ROLE ${APP_ROLE}`);
        return tx.$executeRawUnsafe(`UPDATE tenants SET name = 'intruder'`);
      })
      .catch((error: Error) => error.message);
    // PostgreSQL: no right to update tenants. Citus: the right, and no row to use it on.
    expect(String(renamed)).toMatch(/^0$|permission denied/);
    for (const insert of inserts)
      await expect(asAppRole(insert)).rejects.toThrow(/row-level security|permission denied/);
  });

  test('inside a user scope without the extension, SQL with no filter sees and changes only that user', async () => {
    const scope = { tenantId: t.tenants.acme.tenantId, externalUserId: 'alice' };
    const seen = await t.db.prisma.$transaction(async (tx) => {
      await enterScope(tx, scope);
      const memories = await tx.memory.findMany({ select: { externalUserId: true, content: true } });
      const events = await tx.memoryEvent.count();
      const keys = await tx.idempotencyKey.count();
      const users = await tx.endUser.count();
      const wordOwners = await tx.$queryRaw<
        { user: string }[]
      >`SELECT DISTINCT external_user_id AS user FROM memory_words`;
      const updated = await tx.$executeRaw`UPDATE memories SET tags = ARRAY['touched']`;
      return { memories, events, keys, users, wordOwners, updated };
    });
    expect(seen).toEqual({
      memories: [{ externalUserId: 'alice', content: 'alice secret' }],
      events: 1,
      keys: 1,
      users: 1,
      wordOwners: [{ user: 'alice' }],
      updated: 1,
    });
    const touched = await t.db.prisma.memory.findMany({
      where: { tags: { has: 'touched' } },
      select: { tenantId: true, externalUserId: true },
    });
    expect(touched).toEqual([{ tenantId: t.tenants.acme.tenantId, externalUserId: 'alice' }]);

    const foreignWrite = t.db.prisma.$transaction(async (tx) => {
      await enterScope(tx, scope);
      await tx.$executeRaw`INSERT INTO end_users (tenant_id, external_user_id) VALUES (${t.tenants.globex.tenantId}::uuid, 'alice')`;
    });
    await expect(foreignWrite).rejects.toThrow(/row-level security/);
  });

  test("an end user's scope reaches no API key and cannot change redaction rules", async () => {
    const scope = { tenantId: t.tenants.acme.tenantId, externalUserId: 'alice' };
    const seen = await t.db.prisma.$transaction(async (tx) => {
      await enterScope(tx, scope);
      return tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM api_keys`;
    });
    expect(seen).toEqual([{ n: 0 }]);
    const mintKey = t.db.prisma.$transaction(async (tx) => {
      await enterScope(tx, scope);
      await tx.$executeRaw`INSERT INTO api_keys (tenant_id, id, name, prefix, key_hash, scopes)
        VALUES (${scope.tenantId}::uuid, gen_random_uuid(), 'sneaky', 'mgk_x', '\\x00'::bytea, ARRAY['ADMIN'])`;
    });
    // On Citus the reference table's foreign key check is refused before the policy is.
    await expect(mintKey).rejects.toThrow(/row-level security|permission denied/);
    const rewriteRules = t.db.prisma.$transaction(async (tx) => {
      await enterScope(tx, scope);
      await tx.$executeRaw`INSERT INTO redaction_rules (tenant_id, id, name, pattern) VALUES (${scope.tenantId}::uuid, gen_random_uuid(), 'x', 'y')`;
    });
    await expect(rewriteRules).rejects.toThrow(/row-level security/);
    // The tenant's own key administration (a tenant-wide scope) still sees its keys.
    const tenantWide = await t.db.prisma.$transaction(async (tx) => {
      await enterScope(tx, { tenantId: t.tenants.acme.tenantId });
      return tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM api_keys`;
    });
    expect(tenantWide[0].n).toBeGreaterThan(0);
  });

  (kind !== 'pglite' ? test : test.skip)(
    "end users' work logs in unprivileged: RESET ROLE inside a scope gains nothing",
    async () => {
      expect(t.db.separateAppLogin).toBe(true);
      expect(appLoginProblem(await appLoginReport(t.db.appPrisma))).toBeNull();
      const scope = { tenantId: t.tenants.acme.tenantId, externalUserId: 'alice' };
      const escape = t.db.appPrisma.$transaction(async (tx) => {
        await enterScope(tx, scope);
        await tx.$executeRawUnsafe('RESET ROLE');
        return tx.$queryRawUnsafe('SELECT count(*) FROM memories');
      });
      await expect(escape).rejects.toThrow(/permission denied/);
      for (const statement of ['SET ROLE postgres', 'SET SESSION AUTHORIZATION postgres']) {
        const climb = t.db.appPrisma.$transaction(async (tx) => tx.$executeRawUnsafe(statement));
        await expect(climb).rejects.toThrow(/permission denied/);
      }
      // A gateway given a superuser as its app login refuses to start.
      const owner = new URL(t.db.url!);
      const config = loadConfig({ DATABASE_URL: owner.toString(), DATABASE_APP_URL: owner.toString() });
      await expect(openConfiguredDatabase(config)).rejects.toThrow(/DATABASE_APP_URL: .* is a superuser/);
    },
  );

  test('a tenant-wide scope reads the tenant and may write nothing', async () => {
    const scope = { tenantId: t.tenants.acme.tenantId };
    const result = await t.db.prisma.$transaction(async (tx) => {
      await enterScope(tx, scope);
      return {
        users: (
          await tx.endUser.findMany({ select: { externalUserId: true }, orderBy: { externalUserId: 'asc' } })
        ).map((u) => u.externalUserId),
        events: await tx.memoryEvent.count(),
        deleted: await tx.$executeRaw`DELETE FROM memories`,
      };
    });
    expect(result).toEqual({ users: ['alice', 'bob'], events: 0, deleted: 0 });
  });

  test('settings and role never outlive their transaction', async () => {
    await t.request(LIST, { user: 'alice' });
    const [state] = await t.db.prisma.$queryRaw<{ tenant: string | null; role: string }[]>`
      SELECT current_setting('app.tenant_id', true) AS tenant, current_user AS role`;
    expect(state.tenant ?? '').toBe('');
    expect(state.role).not.toBe(APP_ROLE);
  });

  if (kind !== 'pglite') {
    test('thousands of interleaved requests over a small pool never see a foreign row', async () => {
      const callers = [
        { key: t.tenants.acme.apiKey, user: 'alice', own: 'alice secret' },
        { key: t.tenants.acme.apiKey, user: 'bob', own: 'bob secret' },
        { key: t.tenants.globex.apiKey, user: 'alice', own: 'alice secret' },
        { key: t.tenants.globex.apiKey, user: 'bob', own: null },
      ];
      const tenantOf = new Map([
        [t.tenants.acme.apiKey, 'acme'],
        [t.tenants.globex.apiKey, 'globex'],
      ]);
      const globexAlice = await t.request(LIST, { user: 'alice' }, t.tenants.globex.apiKey);
      const globexAliceId = globexAlice.data.memories.edges[0].node.id;
      let requests = 0;
      let foreign = 0;
      for (let round = 0; round < 100; round++) {
        await Promise.all(
          Array.from({ length: 24 }, async (_, i) => {
            const caller = callers[(round + i) % callers.length];
            const search = i % 12 === 0;
            const res = search
              ? await t.request(SEARCH, { user: caller.user, query: 'secret' }, caller.key)
              : await t.request(LIST, { user: caller.user }, caller.key);
            requests++;
            const nodes: { id: string; content: string }[] = search
              ? res.data.searchMemories.hits.map((hit: any) => hit.memory)
              : res.data.memories.edges.map((edge: any) => edge.node);
            const expected = caller.own === null ? [] : [caller.own];
            if (JSON.stringify(nodes.map((node) => node.content)) !== JSON.stringify(expected)) foreign++;
            const isGlobexAlice = tenantOf.get(caller.key) === 'globex' && caller.user === 'alice';
            if (nodes.some((node) => (node.id === globexAliceId) !== isGlobexAlice)) foreign++;
          }),
        );
      }
      console.log(`interleaved requests: ${requests}, foreign rows seen: ${foreign}`);
      expect(requests).toBe(2400);
      expect(foreign).toBe(0);
    });
  }
});
