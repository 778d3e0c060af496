import { randomUUID } from 'node:crypto';
import type { NewMemoryRow } from '../db/memoryWriteSql.js';
import { ConflictError, ValidationError } from '../errors.js';
import { payloadHash, sameBytes, sha256 } from './hash.js';
import { LIMITS } from './limits.js';
import type { MemoryWrite } from './memoryStore.js';
import type { Redactor } from './redaction.js';
import { checkContent, checkFutureDate, checkMetadata, checkOccurredAt, checkTags } from './validate.js';

export interface NewMemory {
  content: string;
  metadata?: Record<string, unknown> | null;
  tags?: string[] | null;
  expiresAt?: Date | null;
  /** When the fact was said or happened; now when not given. */
  occurredAt?: Date | null;
}

/** What an add answers for each input, in order; also what an idempotency key replays. */
export type AddResponse = { id: string; created: boolean }[];

type CheckedMemory = Omit<NewMemoryRow, 'id' | 'contentHash' | 'embedding' | 'embeddingModel'>;

/** Validates and redacts a batch (fields named by `fieldName`); throws before anything is embedded or written. */
export function checkNewMemories(inputs: NewMemory[], redactor: Redactor, fieldName: (index: number, field: string) => string): CheckedMemory[] {
  if (inputs.length === 0 || inputs.length > LIMITS.batchSize) {
    throw new ValidationError('memories', `Add 1-${LIMITS.batchSize} memories at a time.`);
  }
  const now = new Date();
  return inputs.map((input, i) => ({
    content: redactor.redact(checkContent(input.content, fieldName(i, 'content'))),
    metadata: checkMetadata(input.metadata ?? {}, fieldName(i, 'metadata')),
    tags: checkTags(input.tags ?? [], fieldName(i, 'tags')),
    expiresAt: input.expiresAt ? checkFutureDate(input.expiresAt, fieldName(i, 'expiresAt'), now) : null,
    occurredAt: input.occurredAt ? checkOccurredAt(input.occurredAt, fieldName(i, 'occurredAt')) : null,
  }));
}

/**
 * Adds checked memories in the write's transaction, answered per input. With an idempotency key,
 * a retry of the same request replays the first answer and writes nothing; the same key with a
 * different request is a conflict. Content the user already has (or that appears twice in the
 * batch) is answered with the existing memory, `created: false`.
 */
export async function addMemories(
  write: MemoryWrite,
  items: CheckedMemory[],
  vectors: number[][],
  embeddingModel: string,
  /** Already checked (checkIdempotencyKey). */
  key: string | null,
): Promise<AddResponse> {
  const requestHash = payloadHash(items);
  const { tx } = write;
  if (key !== null) {
    // A retry is answered before anything is written; a concurrent first request may commit in between.
    const claimed = (await tx.idempotencyKey.count({ where: { key } })) === 0 && (await claimKey(write, key, requestHash));
    if (!claimed) return replay(write, key, requestHash);
  }
  const rowOf = new Map<string, NewMemoryRow>();
  for (const [i, item] of items.entries()) {
    if (!rowOf.has(item.content))
      rowOf.set(item.content, { id: randomUUID(), contentHash: sha256(item.content), ...item, embedding: vectors[i], embeddingModel });
  }
  const rows = [...rowOf.values()];
  const inserted = await write.add(rows);
  const known = rows.filter((row) => !inserted.has(row.id));
  const existing = known.length
    ? await tx.memory.findMany({
        where: { contentHash: { in: known.map((row) => row.contentHash) }, deletedAt: null },
        select: { id: true, contentHash: true },
      })
    : [];
  const existingId = new Map(existing.map((row) => [Buffer.from(row.contentHash).toString('hex'), row.id]));
  const answered = new Set<string>();
  const response: AddResponse = items.map((item) => {
    const row = rowOf.get(item.content)!;
    if (inserted.has(row.id)) {
      const created = !answered.has(row.id);
      answered.add(row.id);
      return { id: row.id, created };
    }
    const id = existingId.get(Buffer.from(row.contentHash).toString('hex'));
    if (!id) throw new Error('duplicate content vanished during insert');
    return { id, created: false };
  });
  if (key !== null) await tx.idempotencyKey.update({ where: { key } as never, data: { response } });
  return response;
}

/** Records the key as taken by this request; false when another request took it first. */
async function claimKey(write: MemoryWrite, key: string, requestHash: Uint8Array<ArrayBuffer>): Promise<boolean> {
  await write.touchEndUser();
  const { count } = await write.tx.idempotencyKey.createMany({ data: [{ key, requestHash, response: [] } as never], skipDuplicates: true });
  return count === 1;
}

async function replay(write: MemoryWrite, key: string, requestHash: Uint8Array): Promise<AddResponse> {
  const prior = await write.tx.idempotencyKey.findUnique({ where: { key } as never });
  if (!prior) throw new Error('idempotency record vanished');
  if (!sameBytes(prior.requestHash, requestHash)) throw new ConflictError('This idempotencyKey was already used with a different request.');
  return prior.response as AddResponse;
}
