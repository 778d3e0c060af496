import { createReadStream, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Context } from '../context.js';
import type { NewMemory } from '../memory/userMemories.js';
import { checkContent, checkMetadata, checkTags, checkThreadId, normalizeExternalUserId } from '../memory/validate.js';
import { EmbeddingUnavailableError, ImportInterruptedError, MemgateError, ValidationError } from '../errors.js';

export interface ImportProgress {
  done: number;
  total: number;
}

export interface ImportSummary {
  file: string;
  lines: number;
  /** Lines skipped because an earlier run had imported them (resumed). */
  resumedAfterLine: number;
  created: number;
  /** Valid lines whose content the end user already had (nothing written); after a resume this
   *  includes lines the interrupted batch had stored before it stopped. */
  alreadyPresent: number;
  rejected: number;
  /** The first 100 rejected lines, with why. */
  rejections: { line: number; reason: string }[];
}

interface Entry {
  line: number;
  externalUserId: string;
  memory: NewMemory;
}

const BATCH_LINES = 256;
const MAX_REJECTIONS_LISTED = 100;

/**
 * One JSONL line: {"externalUserId", "content", "metadata"?: {}, "tags"?: [], "expiresAt"?: ISO date,
 * "occurredAt"?: ISO date, "threadId"?: string}.
 */
function parseLine(text: string, line: number): Entry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationError('line', 'not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ValidationError('line', 'not a JSON object');
  const record = value as Record<string, unknown>;
  const unknownFields = Object.keys(record).filter(
    (key) => !['externalUserId', 'content', 'metadata', 'tags', 'expiresAt', 'occurredAt', 'threadId'].includes(key),
  );
  if (unknownFields.length > 0) throw new ValidationError('line', `unknown field ${unknownFields.join(', ')}`);
  if (typeof record.externalUserId !== 'string')
    throw new ValidationError('externalUserId', 'externalUserId must be a string');
  if (typeof record.content !== 'string') throw new ValidationError('content', 'content must be a string');
  if (record.threadId !== undefined && typeof record.threadId !== 'string')
    throw new ValidationError('threadId', 'threadId must be a string');
  if (
    record.tags !== undefined &&
    (!Array.isArray(record.tags) || record.tags.some((tag) => typeof tag !== 'string'))
  ) {
    throw new ValidationError('tags', 'tags must be an array of strings');
  }
  const memory: NewMemory = {
    content: checkContent(record.content),
    metadata: checkMetadata(record.metadata ?? {}),
    tags: checkTags((record.tags as string[] | undefined) ?? []),
    expiresAt: isoDate(record, 'expiresAt'),
    occurredAt: isoDate(record, 'occurredAt'),
    threadId: record.threadId === undefined ? undefined : checkThreadId(record.threadId),
  };
  return { line, externalUserId: normalizeExternalUserId(record.externalUserId), memory };
}

function isoDate(record: Record<string, unknown>, field: string): Date | undefined {
  const value = record[field];
  if (value === undefined) return undefined;
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new ValidationError(field, `${field} must be an ISO date`);
  return date;
}

/** Where a run records how far it got: next to the file, removed when the import completes. */
export function checkpointPath(file: string): string {
  return `${file}.memgate-import`;
}

interface Checkpoint {
  size: number;
  mtimeMs: number;
  line: number;
  summary: Omit<ImportSummary, 'resumedAfterLine'>;
}

function readCheckpoint(file: string): Checkpoint | undefined {
  const path = checkpointPath(file);
  if (!existsSync(path)) return undefined;
  const checkpoint = JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
  const stat = statSync(file);
  if (checkpoint.size !== stat.size || checkpoint.mtimeMs !== stat.mtimeMs) {
    throw new ImportInterruptedError(
      `${file} changed since the interrupted import; delete ${path} to import it from the start.`,
    );
  }
  return checkpoint;
}

async function* lines(file: string): AsyncGenerator<string> {
  const reader = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of reader) yield line;
}

async function countLines(file: string): Promise<number> {
  let count = 0;
  for await (const _ of lines(file)) count++;
  return count;
}

/**
 * Imports memories from a JSONL file into one tenant. Lines are validated one by one (a bad line
 * is reported, never fatal); valid ones are stored per end user in transactions of up to 100, with
 * the same rules as addMemory (an end user's existing content is not stored twice). After each
 * batch a checkpoint records the last line done, so an interrupted run resumes where it stopped.
 */
export async function importMemories(
  /** A session of the operator for each batch (its end users' services are released with it). */
  openSession: () => Context,
  file: string,
  onProgress: (progress: ImportProgress) => void = () => {},
): Promise<ImportSummary> {
  if (!existsSync(file)) throw new ImportInterruptedError(`No file ${file}.`);
  const checkpoint = readCheckpoint(file);
  const resumedAfterLine = checkpoint?.line ?? 0;
  const summary = checkpoint?.summary ?? { file, lines: 0, created: 0, alreadyPresent: 0, rejected: 0, rejections: [] };
  const total = await countLines(file);
  const stat = statSync(file);

  const reject = (line: number, reason: string) => {
    summary.rejected++;
    if (summary.rejections.length < MAX_REJECTIONS_LISTED) summary.rejections.push({ line, reason });
  };

  const storeBatch = async (entries: Entry[]) => {
    const session = openSession();
    const byUser = new Map<string, Entry[]>();
    for (const entry of entries) byUser.set(entry.externalUserId, [...(byUser.get(entry.externalUserId) ?? []), entry]);
    // End users in parallel: the embedder batches their texts together.
    await Promise.all(
      [...byUser].map(async ([externalUserId, group]) => {
        for (let start = 0; start < group.length; start += 100) {
          const chunk = group.slice(start, start + 100);
          const count = (added: { created: boolean }[]) =>
            added.forEach((result) => (result.created ? summary.created++ : summary.alreadyPresent++));
          try {
            count(
              await session.memories.addMany(
                externalUserId,
                chunk.map((entry) => entry.memory),
              ),
            );
          } catch (error) {
            if (!(error instanceof MemgateError) || error instanceof EmbeddingUnavailableError) throw error;
            // Refused as a whole (a limit, say): line by line, to store the good ones and name the bad.
            for (const entry of chunk) {
              try {
                count([await session.memories.add(externalUserId, entry.memory)]);
              } catch (lineError) {
                if (!(lineError instanceof MemgateError) || lineError instanceof EmbeddingUnavailableError)
                  throw lineError;
                reject(entry.line, lineError.message);
              }
            }
          }
        }
      }),
    );
  };

  let lineNumber = 0;
  let batch: Entry[] = [];
  const flush = async () => {
    try {
      await storeBatch(batch);
    } catch (error) {
      if (error instanceof EmbeddingUnavailableError) {
        throw new ImportInterruptedError(
          `${error.message} Stopped after line ${summary.lines}; run the same import again to resume.`,
        );
      }
      throw error;
    }
    summary.lines = lineNumber;
    batch = [];
    writeFileSync(
      checkpointPath(file),
      JSON.stringify({ size: stat.size, mtimeMs: stat.mtimeMs, line: lineNumber, summary } satisfies Checkpoint),
    );
    onProgress({ done: lineNumber, total });
  };

  for await (const text of lines(file)) {
    lineNumber++;
    if (lineNumber <= resumedAfterLine) continue;
    if (text.trim() === '') continue;
    try {
      batch.push(parseLine(text, lineNumber));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      reject(lineNumber, error.message);
    }
    if (batch.length >= BATCH_LINES) await flush();
  }
  await flush();
  rmSync(checkpointPath(file), { force: true });
  return { ...summary, lines: lineNumber, resumedAfterLine };
}
