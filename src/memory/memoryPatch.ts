import type { MemoryFields } from '../db/memoryStore.js';
import { extractEntities } from './entities.js';
import type { Redactor } from './redaction.js';
import { checkContent, checkFutureDate, checkMetadata, checkOccurredAt, checkTags } from './validate.js';

/** What updateMemory may change; a field left out (or null) stays as it is, but expiresAt: null clears it. */
export interface MemoryPatch {
  content?: string | null;
  metadata?: Record<string, unknown> | null;
  tags?: string[] | null;
  /** null clears the expiry; undefined leaves it. */
  expiresAt?: Date | null;
  occurredAt?: Date | null;
  reason?: string | null;
}

/** The patch validated, its new content redacted (with the entities it names): the fields a change sets. */
export function checkPatch(patch: MemoryPatch, redactor: Redactor): Omit<MemoryFields, 'vector'> {
  const content = patch.content == null ? undefined : redactor.redact(checkContent(patch.content));
  return {
    content,
    entities: content === undefined ? undefined : extractEntities(content),
    metadata: patch.metadata == null ? undefined : checkMetadata(patch.metadata),
    tags: patch.tags == null ? undefined : checkTags(patch.tags),
    expiresAt: patch.expiresAt ? checkFutureDate(patch.expiresAt, 'expiresAt', new Date()) : patch.expiresAt,
    occurredAt: patch.occurredAt == null ? undefined : checkOccurredAt(patch.occurredAt),
  };
}
