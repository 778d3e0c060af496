import { loadConfig } from '../src/config.js';
import { openConfiguredDatabase } from '../src/db/open.js';
import { createServices } from '../src/services.js';
import { openTestDatabase } from './support/databases.js';
import { killGatewayProcesses, startGatewayProcess } from './support/gatewayProcess.js';
import { ConfigError } from '../src/errors.js';

const postgres = process.env.TEST_DATABASE_URL;
const onPostgres = postgres ? describe : describe.skip;

test('NODE_ENV must be a known value: a typo never runs production in development mode', () => {
  expect(() => loadConfig({ NODE_ENV: 'prod' })).toThrow(
    new ConfigError('NODE_ENV must be one of development, production, test, got "prod"'),
  );
  expect(loadConfig({ NODE_ENV: 'production' }).isProduction).toBe(true);
});

onPostgres('a DATABASE_URL that cannot work is explained in one line with the fix', () => {
  // describe.skip still runs this body (to collect the tests): without a server, a placeholder.
  const server = new URL(postgres ?? 'postgres://127.0.0.1/unused');
  const url = (change: (url: URL) => void) => {
    const copy = new URL(server);
    change(copy);
    return copy.toString();
  };
  test.each([
    [
      'a database that does not exist',
      url((u) => (u.pathname = '/memgate_no_such_db')),
      /database "memgate_no_such_db" does not exist\. Create it \(createdb memgate_no_such_db\)/,
    ],
    [
      'a role that does not exist',
      url((u) => ((u.username = 'memgate_ghost'), (u.password = 'secret'))),
      /login refused \(.*memgate_ghost.*\)\. Create the role/,
    ],
    ['no server at that port', url((u) => (u.port = '1')), /no PostgreSQL server answers at .*:1\. Start it/],
  ])('%s', async (_case, databaseUrl, explanation) => {
    const failure = await openConfiguredDatabase(loadConfig({ DATABASE_URL: databaseUrl })).then(
      () => null,
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(explanation);
    expect(failure?.message).not.toMatch(/prisma|invocation|\n/i);
    expect(failure?.message).not.toContain('secret');
  });
});

test('/ready reports Redis when REDIS_URL is set: not ready while it does not answer', async () => {
  const db = await openTestDatabase('pglite');
  const down = createServices({ ...loadConfig({ REDIS_URL: 'redis://127.0.0.1:1' }), secret: 'x'.repeat(32) }, db);
  try {
    const report = await down.readiness.report();
    expect(report.checks.redis).toMatchObject({ ok: false });
    expect(report.ready).toBe(false);
  } finally {
    await down.close().catch(() => undefined);
    await db.destroy();
  }
});

onPostgres("production refuses to run end users' work on the DATABASE_URL login", () => {
  afterEach(() => killGatewayProcesses());

  test('without DATABASE_APP_URL it exits with one line naming the fix; the explicit opt-out starts with a warning', async () => {
    const db = await openTestDatabase('postgres');
    try {
      const env = {
        NODE_ENV: 'production',
        DATABASE_URL: db.url!,
        MEMGATE_SECRET: 'startup-test-secret-0123456789abcdef',
      };
      const refused = await startGatewayProcess(env).then(
        () => null,
        (error: Error) => error.message,
      );
      expect(refused).toMatch(/exited with 1: NODE_ENV=production needs DATABASE_APP_URL: .*npx memgate roles/);
      const unsafe = await startGatewayProcess({
        ...env,
        MEMGATE_UNSAFE_PRIVILEGED_USER_WORK: 'true',
        MEMGATE_WEBHOOKS_ALLOW_PRIVATE: 'true',
      });
      expect(unsafe.output()).toMatch(/MEMGATE_UNSAFE_PRIVILEGED_USER_WORK is on/);
      expect(unsafe.output()).toMatch(/MEMGATE_WEBHOOKS_ALLOW_PRIVATE is on/);
      expect(await unsafe.stop()).toBe(0);
      const safe = await startGatewayProcess({ ...env, DATABASE_APP_URL: db.appUrl! });
      expect(safe.output()).not.toMatch(/UNSAFE|ALLOW_PRIVATE/);
      expect(await safe.stop()).toBe(0);
    } finally {
      await db.destroy();
    }
  }, 60_000);
});
