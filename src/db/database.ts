import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import { PrismaClient, type Prisma } from '../generated/prisma/client.js';
import { lockDataDir } from './lock.js';
import { makeDataDirPrivate } from './privateDir.js';
import { PipelineBatcher } from './pipelineBatcher.js';
import { textParameters } from './vectorParameter.js';
import {
  enterScopeSql,
  setLocalSql,
  setLocalStatements,
  type ReadSettings,
  type Scope,
  type ScopedReader,
  type ScopedWriter,
} from './scope.js';

export type DatabaseOptions =
  /**
   * appUrl: the unprivileged login every end user's work runs on (DATABASE_APP_URL); without it
   * the url's role does everything.
   */
  (
    | { kind: 'postgres'; url: string; appUrl?: string; poolSize?: number }
    /** dataDir undefined: an in-memory PGlite (tests). */
    | {
        kind: 'pglite';
        dataDir?: string;
        onNotice?: (message: string) => void;
        /** A data directory to start from, as dumpDataDir made it (the test suites' migrated copy). */
        loadDataDir?: Blob;
      }
  ) & {
    /** Called with every SQL statement Prisma sends (diagnostics and tests). */
    onQuery?: (sql: string) => void;
  };

export interface Database {
  kind: 'postgres' | 'pglite';
  /** PostgreSQL with the Citus extension: scoped reads open a transaction block, which its workers need (see readScoped). */
  citus: boolean;
  /** The privileged client: only src/db and explicit admin paths may use it. */
  prisma: PrismaClient;
  /**
   * The client scoped work runs on (ScopedDatabase): on PostgreSQL with DATABASE_APP_URL, a login
   * that is not superuser, has no grants of its own and may only SET ROLE memgate_app, so that
   * nothing run inside a scoped transaction can RESET ROLE out of row-level security. Otherwise
   * the privileged client.
   */
  appPrisma: PrismaClient;
  /** Whether scoped work has a login of its own (appPrisma is not prisma). */
  separateAppLogin: boolean;
  /**
   * Runs read-only statements in one read-only transaction that first enters the scope (settings
   * and app role, exactly as ScopedDatabase.transaction does), straight on the driver: searches
   * and lists skip Prisma's interactive-transaction machinery, and on PostgreSQL the whole
   * transaction is one pipelined round trip (see pipelinedRead.ts).
   */
  readScoped: ScopedReader;
  /** The same for statements that write: one transaction, one round trip, all or nothing. */
  writeScoped: ScopedWriter;
  /** Connections of the pool (PostgreSQL; PGlite has one in-process connection). */
  poolStats?(): { total: number; idle: number; waiting: number };
  /** Runs a multi-statement SQL script outside Prisma (migrations). */
  execScript(sql: string): Promise<void>;
  /** Runs `work` while holding a lock that other processes migrating the same database wait for. */
  withMigrationLock<T>(work: () => Promise<T>): Promise<T>;
  /** PGlite: its data directory as one tar file (see loadDataDir). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const makeClient = (adapter: PrismaPg | PrismaPGlite) => {
    if (!options.onQuery) return new PrismaClient({ adapter });
    const onQuery = options.onQuery;
    const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
    prisma.$on('query', (event) => onQuery(event.query));
    return prisma as unknown as PrismaClient;
  };
  return options.kind === 'postgres'
    ? openPostgres(options.url, options.appUrl, options.poolSize, makeClient)
    : openPGlite(options.dataDir, makeClient, options.onNotice, options.loadDataDir);
}

/** Any constant shared by every Memgate process: the key of the migration advisory lock. */
const MIGRATION_LOCK = 727_274_001;

type MakeClient = (adapter: PrismaPg | PrismaPGlite) => PrismaClient;

async function openPostgres(
  url: string,
  appUrl: string | undefined,
  poolSize = 10,
  makeClient: MakeClient,
): Promise<Database> {
  const connect = (connectionString: string) => {
    const pool = new pg.Pool({ connectionString, max: poolSize });
    // An idle connection dropped by the server (restart, failover) must not crash the process.
    pool.on('error', (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
    return pool;
  };
  const pool = connect(url);
  const prisma = makeClient(new PrismaPg(pool));
  const appPool = appUrl ? connect(appUrl) : pool;
  const appPrisma = appUrl ? makeClient(new PrismaPg(appPool)) : prisma;
  const citus = await hasCitus(prisma).catch(async (error: unknown) => {
    await Promise.all([prisma.$disconnect(), appPrisma.$disconnect()]);
    await Promise.all([pool.end(), appPool === pool ? undefined : appPool.end()]);
    throw error;
  });
  const batcher = new PipelineBatcher(appPool);
  const scoped =
    (readOnly: boolean) =>
    async (scope: Scope, statements: Prisma.Sql[], settings: ReadSettings = {}) => {
      const mode: ReadSettings = readOnly ? { transaction_read_only: 'on' } : {};
      if (!citus) {
        const enter = enterScopeSql(scope, { ...mode, ...settings });
        const block = [{ text: enter.text, values: enter.values, discardRows: true }, ...statements];
        return (await batcher.run(block)).slice(1);
      }
      // Citus sends SET LOCAL settings to its workers, only inside a transaction block, and routes
      // a query to its shard from a custom plan only.
      const enter = enterScopeSql(scope);
      const constant = (text: string) => ({ text, values: [], discardRows: true });
      const sets = setLocalStatements({ ...mode, ...withoutGenericPlans(settings) }).map(constant);
      const block = [
        constant('BEGIN'),
        { text: enter.text, values: enter.values, discardRows: true },
        ...sets,
        ...statements,
        constant('COMMIT'),
      ];
      return (await batcher.run(block)).slice(2 + sets.length, -1);
    };
  return {
    kind: 'postgres',
    citus,
    prisma,
    appPrisma,
    separateAppLogin: appPool !== pool,
    poolStats: () => ({ total: appPool.totalCount, idle: appPool.idleCount, waiting: appPool.waitingCount }),
    readScoped: scoped(true),
    writeScoped: scoped(false),
    async execScript(sql) {
      await pool.query(sql);
    },
    async withMigrationLock(work) {
      // A session-level advisory lock on its own connection: gateways starting together take turns.
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
        client.release();
      }
    },
    async close() {
      await Promise.all([prisma.$disconnect(), appPrisma.$disconnect()]);
      await Promise.all([pool.end(), appPool === pool ? undefined : appPool.end()]);
    },
  };
}

/** Citus routes a query to its shard only from a custom plan, made with the parameters' values. */
function withoutGenericPlans(settings: ReadSettings = {}): ReadSettings {
  return Object.fromEntries(
    Object.entries(settings).filter(([name, value]) => !(name === 'plan_cache_mode' && value === 'force_generic_plan')),
  );
}

/** Through Prisma, so that a DATABASE_URL that cannot work fails as the first query would (see startupProblems.ts). */
async function hasCitus(prisma: PrismaClient): Promise<boolean> {
  const [row] = await prisma.$queryRaw<
    { citus: boolean }[]
  >`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS citus`;
  return row.citus;
}

async function openPGlite(
  dataDir: string | undefined,
  makeClient: MakeClient,
  onNotice: (message: string) => void = () => {},
  loadDataDir?: Blob,
): Promise<Database> {
  if (dataDir) {
    const tightened = makeDataDirPrivate(resolve(dataDir));
    if (tightened > 0)
      onNotice(
        `Made ${tightened} files and directories of ${dataDir} private to their owner (they were readable by others).`,
      );
  }
  const release = dataDir ? lockDataDir(resolve(dataDir)) : () => {};
  try {
    const pglite = await PGlite.create({
      dataDir: dataDir ? join(resolve(dataDir), 'pgdata') : undefined,
      extensions: { vector },
      loadDataDir,
    });
    const prisma = makeClient(new PrismaPGlite(pglite));
    return {
      kind: 'pglite',
      citus: false,
      prisma,
      // One in-process superuser: scoped work switches to memgate_app inside each transaction.
      appPrisma: prisma,
      separateAppLogin: false,
      readScoped: (scope, statements, settings) =>
        inPGliteTransaction(pglite, scope, statements, `SET TRANSACTION READ ONLY; ${setLocalSql(settings)}`),
      writeScoped: (scope, statements) => inPGliteTransaction(pglite, scope, statements),
      async execScript(sql) {
        await pglite.exec(sql);
      },
      // One process holds the data directory (see lock.ts): nobody to wait for.
      withMigrationLock: (work) => work(),
      dumpDataDir: () => pglite.dumpDataDir('none'),
      async close() {
        await prisma.$disconnect();
        await pglite.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

function inPGliteTransaction(
  pglite: PGlite,
  scope: Scope,
  statements: Prisma.Sql[],
  setup?: string,
): Promise<unknown[][]> {
  return pglite.transaction(async (tx) => {
    if (setup) await tx.exec(setup);
    const enter = enterScopeSql(scope);
    await tx.query(enter.text, enter.values);
    const results: unknown[][] = [];
    for (const statement of statements)
      results.push((await tx.query(statement.text, textParameters(statement.values))).rows);
    return results;
  });
}
