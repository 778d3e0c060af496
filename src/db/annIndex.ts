import { createHash } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Database } from './database.js';

/**
 * Approximate nearest-neighbour (HNSW) indexes, one per embedding model and dimension: a partial
 * expression index over `embedding::vector(D)` for the rows of that model. Exact search needs
 * none and stays the default; with the index, PostgreSQL's planner chooses per query — the HNSW
 * index (with pgvector's iterative scan, so the end user's filter is honoured) for end users
 * with very many memories, the exact (tenant, user) index scan for everyone else.
 */

export function annIndexName(model: string, dimensions: number): string {
  return `memories_ann_${createHash('sha1').update(model).digest('hex').slice(0, 12)}_${dimensions}`;
}

function quoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Privileged: builds the index for a model (CONCURRENTLY on PostgreSQL: writes carry on). */
export async function createAnnIndex(
  db: Database,
  model: string,
  dimensions: number,
): Promise<{ index: string; seconds: number }> {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 16_000)
    throw new Error(`bad vector size ${dimensions}`);
  const index = annIndexName(model, dimensions);
  const started = performance.now();
  await db.execScript(
    `CREATE INDEX ${db.kind === 'postgres' ? 'CONCURRENTLY ' : ''}IF NOT EXISTS ${index} ON memories
       USING hnsw ((embedding::vector(${dimensions})) vector_cosine_ops) WHERE embedding_model = ${quoted(model)}`,
  );
  return { index, seconds: (performance.now() - started) / 1000 };
}

/** Which models have an ANN index; refreshed from the catalog (an index may appear at any time). */
export class AnnIndexes {
  private present = new Set<string>();

  constructor(private readonly prisma: PrismaClient) {}

  has(model: string, dimensions: number): boolean {
    return this.present.has(annIndexName(model, dimensions));
  }

  async refresh(): Promise<void> {
    const rows = await this.prisma.$queryRaw<{ name: string }[]>`
      SELECT c.relname AS name FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid
      WHERE c.relname LIKE 'memories\\_ann\\_%' AND i.indisvalid`;
    this.present = new Set(rows.map((row) => row.name));
  }
}
