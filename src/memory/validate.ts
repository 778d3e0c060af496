import { ValidationError } from './errors.js';
import { LIMITS } from './limits.js';

// Control characters are never part of an identifier or a tag.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The end-user identifier rule: surrounding whitespace is trimmed; 1-256 characters, no control
 * characters; a value containing "@" is taken for an email and lower-cased, so that
 * "Alice@Example.com" and "alice@example.com" are the same end user.
 */
export function normalizeExternalUserId(raw: string, field = 'externalUserId'): string {
  const value = raw.trim();
  if (value.length === 0) throw new ValidationError(field, 'externalUserId must not be empty.');
  if (value.length > LIMITS.externalUserIdLength) {
    throw new ValidationError(field, `externalUserId must be at most ${LIMITS.externalUserIdLength} characters.`);
  }
  if (CONTROL.test(value)) throw new ValidationError(field, 'externalUserId must not contain control characters.');
  return value.includes('@') ? value.toLowerCase() : value;
}

export function checkContent(content: string, field = 'content'): string {
  if (content.trim().length === 0) throw new ValidationError(field, 'content must not be empty.');
  if (content.length > LIMITS.contentLength) {
    throw new ValidationError(field, `content must be at most ${LIMITS.contentLength} characters.`);
  }
  return content;
}

export function checkMetadata(metadata: unknown, field = 'metadata'): Record<string, unknown> {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new ValidationError(field, 'metadata must be a JSON object.');
  }
  const bytes = Buffer.byteLength(JSON.stringify(metadata));
  if (bytes > LIMITS.metadataBytes) {
    throw new ValidationError(field, `metadata must be at most ${LIMITS.metadataBytes} bytes of JSON (got ${bytes}).`);
  }
  return metadata as Record<string, unknown>;
}

/** Tags are trimmed and de-duplicated, order kept. */
export function checkTags(tags: readonly string[], field = 'tags'): string[] {
  const unique = [...new Set(tags.map((tag) => tag.trim()))];
  if (unique.length > LIMITS.tagCount) throw new ValidationError(field, `At most ${LIMITS.tagCount} tags.`);
  for (const tag of unique) {
    if (tag.length === 0 || tag.length > LIMITS.tagLength || CONTROL.test(tag)) {
      throw new ValidationError(field, `Each tag must be 1-${LIMITS.tagLength} characters without control characters.`);
    }
  }
  return unique;
}

export function checkFutureDate(date: Date, field: string, now = new Date()): Date {
  if (date.getTime() <= now.getTime()) throw new ValidationError(field, `${field} must be in the future.`);
  return date;
}

const EARLIEST_OCCURRENCE = Date.UTC(1000, 0, 1);
const LATEST_OCCURRENCE = Date.UTC(10000, 0, 1);

/** When a fact happened: any instant of the years 1000-9999 (a plan may lie in the future). */
export function checkOccurredAt(date: Date, field = 'occurredAt'): Date {
  const time = date.getTime();
  if (!(time >= EARLIEST_OCCURRENCE && time < LATEST_OCCURRENCE)) {
    throw new ValidationError(field, `${field} must be a date in the years 1000-9999.`);
  }
  return date;
}

export function checkIdempotencyKey(key: string, field = 'idempotencyKey'): string {
  if (key.length === 0 || key.length > LIMITS.idempotencyKeyLength || CONTROL.test(key)) {
    throw new ValidationError(field, `idempotencyKey must be 1-${LIMITS.idempotencyKeyLength} characters.`);
  }
  return key;
}

export function checkReason(reason: string | null | undefined, field = 'reason'): string | null {
  if (reason == null) return null;
  if (reason.length > LIMITS.reasonLength) {
    throw new ValidationError(field, `reason must be at most ${LIMITS.reasonLength} characters.`);
  }
  return reason;
}

export function checkRange(value: number, min: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, `${field} must be an integer from ${min} to ${max}.`);
  }
  return value;
}
