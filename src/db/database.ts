import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { lockDataDir } from './lock.js';

export type DatabaseOptions = (
  | { kind: 'postgres'; url: string; poolSize?: number }
  /** dataDir undefined: an in-memory PGlite (tests). */
  | { kind: 'pglite'; dataDir?: string }
) & {
  /** Called with every SQL statement Prisma sends (diagnostics and tests). */
  onQuery?: (sql: string) => void;
};

export interface Database {
  kind: 'postgres' | 'pglite';
  /** The privileged client: only src/db and explicit admin paths may use it. */
  prisma: PrismaClient;
  /** Runs a multi-statement SQL script outside Prisma (migrations). */
  execScript(sql: string): Promise<void>;
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
    ? openPostgres(options.url, options.poolSize, makeClient)
    : openPGlite(options.dataDir, makeClient);
}

type MakeClient = (adapter: PrismaPg | PrismaPGlite) => PrismaClient;

async function openPostgres(url: string, poolSize = 10, makeClient: MakeClient): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const prisma = makeClient(new PrismaPg(pool));
  return {
    kind: 'postgres',
    prisma,
    async execScript(sql) {
      await pool.query(sql);
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPGlite(dataDir: string | undefined, makeClient: MakeClient): Promise<Database> {
  const release = dataDir ? lockDataDir(resolve(dataDir)) : () => {};
  try {
    const pglite = await PGlite.create({
      dataDir: dataDir ? join(resolve(dataDir), 'pgdata') : undefined,
      extensions: { vector },
    });
    const prisma = makeClient(new PrismaPGlite(pglite));
    return {
      kind: 'pglite',
      prisma,
      async execScript(sql) {
        await pglite.exec(sql);
      },
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
