import { randomUUID } from 'node:crypto';
import type { MemoryStore, NewMemoryRow } from '../db/memoryStore.js';
import type { NewRelation } from '../db/relationSql.js';
import { memoriesByIdSql, type UserKey } from '../db/memorySql.js';
import type { ScopedDatabase } from '../db/scope.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { MemoryRecord } from '../model.js';
import { payloadHash, sameBytes } from './hash.js';
import { contextEntities, extractEntities } from './entities.js';
import { LIMITS } from './limits.js';
import type { Redactor } from './redaction.js';
import { checkContent, checkFutureDate, checkMetadata, checkOccurredAt, checkTags, checkThreadId } from './validate.js';

export interface NewMemory {
  content: string;
  metadata?: Record<string, unknown> | null;
  tags?: string[] | null;
  expiresAt?: Date | null;
  /** When the fact was said or happened; now when not given. */
  occurredAt?: Date | null;
  /** The conversation or session it came from (see MemoryRecord.threadId). */
  threadId?: string | null;
  /** Ask Claude for the relations it states, recorded with it (one model call). */
  readRelations?: boolean | null;
}

export interface AddedMemory {
  memory: MemoryRecord;
  /** false when the user already had exactly this content: the existing memory is returned. */
  created: boolean;
}

/** What an add answers for each input, in order; also what an idempotency key replays. */
export type AddResponse = { id: string; created: boolean }[];

type CheckedMemory = Omit<NewMemoryRow, 'id' | 'embedding' | 'embeddingModel' | 'context'>;

/** Validates and redacts a batch (fields named by `fieldName`); throws before anything is embedded or written. */
export function checkNewMemories(
  inputs: NewMemory[],
  redactor: Redactor,
  fieldName: (index: number, field: string) => string,
): CheckedMemory[] {
  if (inputs.length === 0 || inputs.length > LIMITS.batchSize) {
    throw new ValidationError('memories', `Add 1-${LIMITS.batchSize} memories at a time.`);
  }
  const now = new Date();
  return inputs.map((input, i) => {
    const content = redactor.redact(checkContent(input.content, fieldName(i, 'content')));
    return {
      content,
      entities: extractEntities(content),
      metadata: checkMetadata(input.metadata ?? {}, fieldName(i, 'metadata')),
      tags: checkTags(input.tags ?? [], fieldName(i, 'tags')),
      expiresAt: input.expiresAt ? checkFutureDate(input.expiresAt, fieldName(i, 'expiresAt'), now) : null,
      occurredAt: input.occurredAt ? checkOccurredAt(input.occurredAt, fieldName(i, 'occurredAt')) : null,
      threadId: input.threadId == null ? null : checkThreadId(input.threadId, fieldName(i, 'threadId')),
    };
  });
}

/**
 * For each item, the content of the item before it in its thread in this batch (input order); null
 * for the first of a thread, whose predecessor, if any, is already stored (the store looks it up).
 */
function threadContexts(items: readonly CheckedMemory[]): (string | null)[] {
  const latest = new Map<string, string>();
  return items.map(({ threadId, content }) => {
    if (threadId === null) return null;
    const before = latest.get(threadId) ?? null;
    latest.set(threadId, content);
    return before;
  });
}

/** What an add answers: each input's memory, or, when its idempotency key was already used, the earlier answer to replay. */
export type AddOutcome = { added: AddedMemory[] } | { replay: AddResponse };

/**
 * Adds checked memories in one transaction sent in one round trip. With an idempotency key, a
 * retry of the same request replays the first answer and writes nothing; the same key with a
 * different request is a conflict. Content the user already has (or that appears twice in the
 * batch) is answered with the existing memory, `created: false`.
 */
export async function addMemories(
  store: MemoryStore,
  items: CheckedMemory[],
  vectors: number[][],
  embeddingModel: string,
  /** Already checked (checkIdempotencyKey). */
  key: string | null,
  /** Relations Claude read in the memories (the add asked for them), recorded in the same transaction. */
  relations: readonly NewRelation[] = [],
): Promise<AddOutcome> {
  const requestHash = payloadHash(items);
  const rowOf = new Map<string, NewMemoryRow>();
  const contexts = threadContexts(items);
  const inputs = items.map((item, i) => {
    const known = rowOf.get(item.content);
    if (known) return { row: known, first: false };
    const context = contexts[i];
    const entities = [...item.entities, ...contextEntities(context)];
    const row = { id: randomUUID(), ...item, entities, embedding: vectors[i], embeddingModel, context };
    rowOf.set(item.content, row);
    return { row, first: true };
  });
  const { prior, answer } = await store.add(inputs, key === null ? null : { key, requestHash }, relations);
  if (prior) {
    if (!sameBytes(prior.requestHash, requestHash))
      throw new ConflictError('This idempotencyKey was already used with a different request.');
    return { replay: prior.response };
  }
  return {
    added: answer.map(({ ord: _ord, created, ...memory }) => {
      // Only if a concurrent request retired the user's memory with this content between two statements.
      if (memory.id === null)
        throw new ConflictError(
          'A memory with the same content was deleted while this one was being added; try again.',
        );
      return { memory: memory as MemoryRecord, created };
    }),
  };
}

/** The memories an idempotent retry answers with: those the first request stored, as they are now. */
export async function replayed(db: ScopedDatabase, key: UserKey, response: AddResponse): Promise<AddedMemory[]> {
  const [rows] = await db.read<[MemoryRecord[]]>([
    memoriesByIdSql(
      key,
      response.map((r) => r.id),
      false,
    ),
  ]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return response.map(({ id, created }) => {
    const memory = byId.get(id);
    if (!memory) throw new NotFoundError('A memory from this request no longer exists.');
    return { memory, created };
  });
}
