import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTenant } from '../src/db/admin.js';
import { exitCodeOf, runCommand, type CommandTools } from '../src/cli/commands.js';
import { checkpointPath } from '../src/cli/importMemories.js';
import { OpenAICompatibleEmbedder } from '../src/embeddings/openaiCompatible.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from './support/databases.js';
import { FakeEmbeddings } from './support/fakeEmbeddings.js';
import { localEmbedder } from './support/gateway.js';
import { CommandError } from '../src/errors.js';
import { uuidOf } from './support/ids.js';

describe.each(databaseKinds)('memgate commands on %s', (kind) => {
  let db: TestDatabase;
  let tools: CommandTools;
  let dir: string;
  const run = (command: string, options: Record<string, string> = {}) => runCommand(tools, { command, options });
  const memoriesOf = (tenantId: string, externalUserId: string) =>
    db.prisma.memory.count({ where: { tenantId, externalUserId } });

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    tools = { db, embedder: localEmbedder(), llm: { model: 'claude-test' } };
    await createTenant(db.prisma, 'acme');
    await createTenant(db.prisma, 'globex');
    dir = mkdtempSync(join(tmpdir(), 'memgate-cli-'));
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test("keys: create with scopes, list, rotate with a grace period, revoke; never another tenant's key", async () => {
    const [created] = (await run('keys create', { tenant: 'acme', name: 'backend', scopes: 'read,write' })) as any[];
    expect(created).toMatchObject({
      apiKey: expect.stringMatching(/^mgk_/),
      name: 'backend',
      scopes: ['READ', 'WRITE'],
    });
    const listed = (await run('keys list', { tenant: 'acme' })) as any[];
    expect(listed.map((key) => key.name)).toEqual(['default', 'backend']);
    expect(JSON.stringify(listed)).not.toContain(created.apiKey);
    await expect(run('keys create', { tenant: 'acme', name: 'x', scopes: 'READ,ROOT' })).rejects.toThrow(
      'Unknown scope ROOT',
    );

    // globex cannot see, rotate or revoke acme's key: row-level security hides it.
    expect(((await run('keys list', { tenant: 'globex' })) as any[]).map((key) => key.name)).toEqual(['default']);
    await expect(run('keys revoke', { tenant: 'globex', id: created.keyId })).rejects.toThrow(
      'No active API key with this id.',
    );
    await expect(run('keys rotate', { tenant: 'globex', id: created.keyId })).rejects.toThrow(
      'No active API key with this id.',
    );

    const [rotated] = (await run('keys rotate', { tenant: 'acme', id: created.keyId, grace: '60' })) as any[];
    expect(rotated).toMatchObject({ replaces: created.keyId, name: 'backend', apiKey: expect.stringMatching(/^mgk_/) });
    const old = await db.prisma.apiKey.findFirstOrThrow({ where: { id: uuidOf(created.keyId) } });
    expect(old.expiresAt!.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    const [revoked] = (await run('keys revoke', { tenant: 'acme', id: rotated.keyId })) as any[];
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    await expect(run('keys revoke', { tenant: 'acme', id: rotated.keyId })).rejects.toThrow('No active API key');
    await expect(run('keys list', { tenant: 'nobody' })).rejects.toThrow('No tenant named "nobody".');
    await expect(run('keys list')).rejects.toThrow(CommandError);
  });

  test('import: valid lines stored per end user in the named tenant only, bad lines listed with reasons', async () => {
    const file = join(dir, 'memories.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ externalUserId: 'ana@example.com', content: 'Ana prefers window seats', tags: ['travel'] }),
        JSON.stringify({
          externalUserId: 'ben@example.com',
          content: 'Ben is vegetarian',
          metadata: { source: 'crm' },
          occurredAt: '2021-05-04T10:00:00Z',
          threadId: 'crm-call-17',
        }),
        '{"externalUserId": "ana@example.com", "content": ',
        JSON.stringify({ externalUserId: 'ana@example.com' }),
        '',
        JSON.stringify({ externalUserId: 'ana@example.com', content: 'Ana prefers window seats' }),
        JSON.stringify({ externalUserId: 'ana@example.com', content: 'x', colour: 'red' }),
        JSON.stringify({ externalUserId: '   ', content: 'Nobody' }),
        JSON.stringify({
          externalUserId: 'ana@example.com',
          content: 'Ana went to Rome',
          occurredAt: '0500-01-01T00:00:00Z',
        }),
        JSON.stringify({ externalUserId: 'ana@example.com', content: 'Ana likes jazz', threadId: 42 }),
      ].join('\n'),
    );
    const [summary] = (await run('import', { tenant: 'acme', file })) as any[];
    expect(summary).toMatchObject({ lines: 10, created: 2, alreadyPresent: 1, rejected: 6, resumedAfterLine: 0 });
    // Lines that cannot be read are listed as they are read, the others once their batch is checked.
    expect(summary.rejections.map((rejection: { line: number }) => rejection.line)).toEqual([3, 4, 7, 8, 10, 9]);
    expect(summary.rejections[4].reason).toBe('threadId must be a string');
    expect(summary.rejections[5].reason).toMatch(/occurredAt must be a date in the years 1000-9999/);
    expect(summary.rejections[0].reason).toBe('not valid JSON');
    expect(summary.rejections[2].reason).toBe('unknown field colour');
    expect(exitCodeOf('import', [summary])).toBe(65);

    const acme = await db.prisma.tenant.findUniqueOrThrow({ where: { name: 'acme' } });
    const globex = await db.prisma.tenant.findUniqueOrThrow({ where: { name: 'globex' } });
    expect(await memoriesOf(acme.id, 'ana@example.com')).toBe(1);
    expect(await memoriesOf(acme.id, 'ben@example.com')).toBe(1);
    expect(await db.prisma.memory.count({ where: { tenantId: globex.id } })).toBe(0);
    const ben = await db.prisma.memory.findFirstOrThrow({
      where: { tenantId: acme.id, externalUserId: 'ben@example.com' },
    });
    expect(ben).toMatchObject({
      metadata: { source: 'crm' },
      embeddingModel: 'use-lite-512',
      occurredAt: new Date('2021-05-04T10:00:00Z'),
      threadId: 'crm-call-17',
    });
    const created = await db.prisma.memoryEvent.findFirstOrThrow({ where: { tenantId: acme.id, memoryId: ben.id } });
    expect(created).toMatchObject({ kind: 'CREATED', actor: { kind: 'OPERATOR' } });
    expect(existsSync(checkpointPath(file))).toBe(false);
    await expect(run('import', { tenant: 'acme', file: join(dir, 'missing.jsonl') })).rejects.toThrow('No file');
  });

  test('users export and erase: one end user of one tenant, nobody else', async () => {
    const file = join(dir, 'two-tenants.jsonl');
    writeFileSync(file, `${JSON.stringify({ externalUserId: 'zoe', content: 'Zoe works at globex' })}\n`);
    await run('import', { tenant: 'globex', file });
    writeFileSync(
      file,
      `${JSON.stringify({ externalUserId: 'zoe', content: 'Zoe is a customer of acme' })}\n${JSON.stringify({ externalUserId: 'yan', content: 'Yan too' })}\n`,
    );
    await run('import', { tenant: 'acme', file });

    const [exported] = (await run('users export', { tenant: 'acme', user: 'zoe' })) as any[];
    expect(exported.memories.map((memory: { content: string }) => memory.content)).toEqual([
      'Zoe is a customer of acme',
    ]);
    await expect(run('users export', { tenant: 'acme', user: 'nobody' })).rejects.toThrow('has no end user "nobody"');

    const [receipt] = (await run('users erase', { tenant: 'acme', user: 'zoe' })) as any[];
    expect(receipt).toMatchObject({ externalUserId: 'zoe', memoriesDeleted: 1 });
    const acme = await db.prisma.tenant.findUniqueOrThrow({ where: { name: 'acme' } });
    const globex = await db.prisma.tenant.findUniqueOrThrow({ where: { name: 'globex' } });
    expect(await memoriesOf(acme.id, 'zoe')).toBe(0);
    expect(await memoriesOf(globex.id, 'zoe')).toBe(1);
    expect(await memoriesOf(acme.id, 'yan')).toBe(1);
  });

  test('migrate applies what is pending; doctor checks the database, pgvector, RLS, the model and the LLM', async () => {
    expect(await run('migrate')).toEqual([{ applied: 0, migrations: 'none: the database is up to date' }]);
    const findings = (await run('doctor')) as { check: string; ok: boolean; warning?: boolean; detail: string }[];
    expect(findings.map((finding) => finding.check)).toEqual([
      'database',
      'pgvector',
      'migrations',
      'row-level security',
      'login role',
      'end-user identifiers',
      'embedding model',
      'LLM',
    ]);
    expect(findings.filter((finding) => !finding.ok)).toEqual([]);
    expect(findings.find((finding) => finding.check === 'pgvector')!.detail).toMatch(/^vector \d+\.\d+/);
    expect(findings.find((finding) => finding.check === 'row-level security')!.detail).toMatch(
      /forced on \d+ tenant-owned tables/,
    );
    expect(findings.find((finding) => finding.check === 'LLM')).toMatchObject({ ok: true, warning: true });
    expect(exitCodeOf('doctor', findings)).toBe(0);

    // Row-level security switched off on one table: doctor fails and names it.
    await db.prisma.$executeRawUnsafe('ALTER TABLE memories NO FORCE ROW LEVEL SECURITY');
    try {
      const broken = (await run('doctor')) as typeof findings;
      expect(broken.find((finding) => finding.check === 'row-level security')).toEqual({
        check: 'row-level security',
        ok: false,
        detail: 'not enforced on: memories',
      });
      expect(exitCodeOf('doctor', broken)).toBe(1);
    } finally {
      await db.prisma.$executeRawUnsafe('ALTER TABLE memories FORCE ROW LEVEL SECURITY');
    }
  });

  test('roles creates the unprivileged login of DATABASE_APP_URL (PostgreSQL only)', async () => {
    if (kind === 'pglite') {
      await expect(run('roles', { appUrl: 'postgres://memgate_cli_test@127.0.0.1/x' })).rejects.toThrow(
        /embedded database/,
      );
      return;
    }
    await expect(run('roles', {})).rejects.toThrow(/Set DATABASE_APP_URL/);
    const appUrl = new URL(db.url!);
    appUrl.username = 'memgate_cli_test';
    const [first] = (await run('roles', { appUrl: appUrl.toString() })) as any[];
    expect(first).toMatchObject({ role: 'memgate_cli_test', rules: expect.stringMatching(/NOINHERIT/) });
    const [again] = (await run('roles', { appUrl: appUrl.toString() })) as any[];
    expect(again).toMatchObject({ role: 'memgate_cli_test', created: false });
    const [role] = await db.prisma.$queryRaw<{ super: boolean; inherit: boolean; login: boolean }[]>`
      SELECT rolsuper AS super, rolinherit AS inherit, rolcanlogin AS login FROM pg_roles WHERE rolname = 'memgate_cli_test'`;
    expect(role).toEqual({ super: false, inherit: false, login: true });
  });

  test('identifiers stored under an older rule are reported by doctor, never merged, and still exported by the command line', async () => {
    const acme = await db.prisma.tenant.findUniqueOrThrow({ where: { name: 'acme' } });
    const odd = 'kel\u200blly@example.com'; // a zero-width space, accepted by the old rule
    await db.prisma.endUser.create({ data: { tenantId: acme.id, externalUserId: odd } });
    const findings = (await run('doctor')) as { check: string; ok: boolean; warning?: boolean; detail: string }[];
    expect(findings.find((finding) => finding.check === 'end-user identifiers')).toMatchObject({
      ok: true,
      warning: true,
      detail: expect.stringMatching(/^1 stored identifiers/),
    });
    const [exported] = (await run('users export', { tenant: 'acme', user: odd })) as any[];
    expect(exported.externalUserId).toBe(odd);
    await run('users erase', { tenant: 'acme', user: odd });
    const again = (await run('doctor')) as typeof findings;
    expect(again.find((finding) => finding.check === 'end-user identifiers')).toEqual({
      check: 'end-user identifiers',
      ok: true,
      detail: expect.stringMatching(/^every stored identifier/),
    });
  });
});

describe('memgate import resumes after an interruption', () => {
  const provider = new FakeEmbeddings(16);
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    await provider.start();
    db = await openTestDatabase('pglite');
    await createTenant(db.prisma, 'acme');
    dir = mkdtempSync(join(tmpdir(), 'memgate-resume-'));
  });
  afterAll(async () => {
    await provider.stop();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the provider fails mid-way: the run stops with a checkpoint, the next run finishes the rest once', async () => {
    const embedder = new OpenAICompatibleEmbedder({
      url: provider.url,
      model: 'fake',
      batchSize: 500,
      timeoutMs: 2000,
      maxRetries: 0,
    });
    const tools = { db, embedder, llm: { model: 'none' } };
    const file = join(dir, 'big.jsonl');
    writeFileSync(
      file,
      Array.from({ length: 300 }, (_, i) => JSON.stringify({ externalUserId: 'mo', content: `Fact number ${i}` })).join(
        '\n',
      ),
    );
    // Lines 1-256 are one batch (three requests of ≤ 100 texts); the request of the next batch fails.
    provider.fail({ delayMs: 0 }, { delayMs: 0 }, { delayMs: 0 }, { status: 503 });
    await expect(runCommand(tools, { command: 'import', options: { tenant: 'acme', file } })).rejects.toThrow(
      /Stopped after line 256; run the same import again to resume/,
    );
    expect(existsSync(checkpointPath(file))).toBe(true);
    expect(await db.prisma.memory.count()).toBe(256);

    const before = provider.requests.length;
    const [summary] = (await runCommand(tools, { command: 'import', options: { tenant: 'acme', file } })) as any[];
    expect(summary).toMatchObject({ lines: 300, resumedAfterLine: 256, created: 300, alreadyPresent: 0, rejected: 0 });
    // Only the 44 remaining lines were embedded again.
    expect(provider.requests.slice(before).reduce((sum, request) => sum + request.body.input.length, 0)).toBe(44);
    expect(await db.prisma.memory.count()).toBe(300);
    expect(existsSync(checkpointPath(file))).toBe(false);
  });
});

describe('the memgate executable', () => {
  const cli = fileURLToPath(new URL('../bin/memgate.js', import.meta.url));
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'memgate-bin-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const memgate = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cli, ...args], {
        env: { ...process.env, MEMGATE_DATA_DIR: dataDir, NODE_OPTIONS: '' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  test('human output by default, JSON lines with --json, exit codes for scripts', async () => {
    const human = await memgate('tenants', 'create', '--name', 'shop');
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/^tenantId +[0-9a-f-]{36}\napiKey +mgk_\w+\n\nThe API key is shown only this once/);
    const json = await memgate('tenants', 'list', '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'shop' });
    // Real JSON types for scripts: scopes are a list.
    const key = await memgate('keys', 'create', '--tenant', 'shop', '--name', 'ci', '--scopes', 'read,write', '--json');
    expect(JSON.parse(key.stdout)).toMatchObject({ name: 'ci', scopes: ['READ', 'WRITE'] });
    const usage = await memgate('keys', 'explode');
    expect([usage.status, usage.stderr.split('\n')[0]]).toEqual([64, 'memgate: Unknown command: keys explode']);
    const badOption = await memgate('tenants', 'list', '--colour', 'red');
    expect(badOption.status).toBe(64);
    const refused = await memgate('keys', 'list', '--tenant', 'nope');
    expect([refused.status, refused.stderr.trim()]).toEqual([1, 'memgate: No tenant named "nope".']);
  }, 120_000); // five processes, each opening the embedded database: over 60 s once on a loaded machine

  test.each([
    [
      ['keys', 'create', '--tenant', 'shop'],
      'keys create needs --name.',
      'Usage: memgate keys create --tenant <t> --name <n>',
    ],
    [['keys', 'list'], 'keys list needs --tenant.', 'Usage: memgate keys list --tenant <t>'],
    [['import'], 'import needs --tenant and --file.', 'Usage: memgate import --tenant <t> --file'],
    [['tenants'], 'tenants needs one of: create, list.', 'Usage: memgate tenants create --name <name>'],
    [
      ['keys', 'create', '--tenant', 'shop', '--name', 'k', '--scopes', 'bogus'],
      'Unknown scope BOGUS: use READ, WRITE, ADMIN.',
      'Usage: memgate keys create',
    ],
    [
      ['keys', 'rotate', '--tenant', 'shop', '--id', 'x', '--grace', 'soon'],
      '--grace takes whole seconds (0 or more).',
      'Usage: memgate keys rotate',
    ],
    [
      ['users', 'erase', '--tenant', 'shop', '--user', 'zoe'],
      'users erase deletes for good: pass --yes to confirm.',
      'Usage: memgate users erase',
    ],
  ])(
    'usage errors exit 64 with the usage of that command, before touching anything: memgate %j',
    async (args, message, help) => {
      const result = await memgate(...args);
      expect(result.status).toBe(64);
      expect(result.stderr.split('\n')[0]).toBe(`memgate: ${message}`);
      expect(result.stderr).toContain(help);
    },
  );

  test('users erase with --yes erases', async () => {
    const erased = await memgate('users', 'erase', '--tenant', 'shop', '--user', 'nobody', '--yes', '--json');
    expect(erased.status).toBe(0);
    expect(JSON.parse(erased.stdout)).toMatchObject({ memoriesDeleted: 0 });
  });
});
