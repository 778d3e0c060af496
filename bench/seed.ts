import { createHash, randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { benchVector } from './synthetic.js';

/**
 * Seeds end users and memories with binary COPY (the fastest way into PostgreSQL): memory i of a
 * user gets the synthetic vector of `${user}#${i}` and a matching content, so the bench can
 * recompute any stored vector.
 */

export interface SeedUser {
  tenantId: string;
  externalUserId: string;
  memories: number;
}

const MODEL = 'use-lite-512';
const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const trailer = Buffer.from([0xff, 0xff]);

function field(value: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(value.length);
  return Buffer.concat([length, value]);
}

function row(fields: Buffer[]): Buffer {
  const count = Buffer.alloc(2);
  count.writeInt16BE(fields.length);
  return Buffer.concat([count, ...fields.map(field)]);
}

const uuid = (value: string) => Buffer.from(value.replace(/-/g, ''), 'hex');
const text = (value: string) => Buffer.from(value, 'utf8');

/** pgvector's binary format: dimensions (int16), unused (int16), float4 big-endian values. */
function vector(values: Float32Array): Buffer {
  const buffer = Buffer.alloc(4 + values.length * 4);
  buffer.writeInt16BE(values.length, 0);
  for (let i = 0; i < values.length; i++) buffer.writeFloatBE(values[i], 4 + i * 4);
  return buffer;
}

export function memoryContent(externalUserId: string, index: number): string {
  return `${externalUserId} memory number ${index}`;
}

async function copy(client: pg.PoolClient | pg.Client, sql: string, rows: Iterable<Buffer>): Promise<void> {
  function* stream() {
    yield header;
    let batch: Buffer[] = [];
    for (const next of rows) {
      batch.push(next);
      if (batch.length === 512) {
        yield Buffer.concat(batch);
        batch = [];
      }
    }
    if (batch.length) yield Buffer.concat(batch);
    yield trailer;
  }
  await pipeline(Readable.from(stream()), client.query(copyFrom(`${sql} FROM STDIN (FORMAT binary)`)));
}

/** Inserts the users and their memories (memory indexes `from`…`memories - 1`). */
export async function seed(
  client: pg.Client,
  users: SeedUser[],
  options: { dimensions: number; from?: number; vectorText?: (externalUserId: string, index: number) => string },
): Promise<number> {
  const vectorText = options.vectorText ?? ((externalUserId, index) => `${externalUserId}#${index}`);
  const from = options.from ?? 0;
  if (from === 0) {
    await copy(
      client,
      'COPY end_users (tenant_id, external_user_id)',
      users.map((user) => row([uuid(user.tenantId), text(user.externalUserId)])),
    );
  }
  let count = 0;
  function* memoryRows() {
    for (const user of users) {
      for (let i = from; i < user.memories; i++) {
        const content = memoryContent(user.externalUserId, i);
        count++;
        yield row([
          uuid(user.tenantId),
          uuid(randomUUID()),
          text(user.externalUserId),
          text(content),
          createHash('sha256').update(content).digest(),
          vector(benchVector(vectorText(user.externalUserId, i), options.dimensions)),
          text(MODEL),
        ]);
      }
    }
  }
  await copy(
    client,
    'COPY memories (tenant_id, id, external_user_id, content, content_hash, embedding, embedding_model)',
    memoryRows(),
  );
  return count;
}
