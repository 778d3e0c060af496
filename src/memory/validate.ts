import { LIMITS } from './limits.js';
import { jsonProblem, textProblem } from './text.js';
import { ValidationError } from '../errors.js';

// Control characters are never part of an identifier or a tag.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * What an identifier may not contain: control (Cc) and format (Cf) characters — a BOM, zero-width
 * joiners — line and paragraph separators, and every space but U+0020 (a no-break space looks like
 * a space and is another identifier).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u;

/**
 * The end-user identifier rule, so that one identifier means one person:
 * - ASCII spaces and tabs around it are trimmed; it is 1-256 characters;
 * - it is well-formed Unicode in Normalization Form C, without control, format or unusual space
 *   characters: anything else is refused, never silently changed ("\u212Aelly", with a Kelvin
 *   sign, would otherwise become "Kelly");
 * - a value containing "@" is taken for an email and its ASCII letters A-Z are lower-cased
 *   (locale-free: "İ" stays "İ", "K" (U+212A) is refused above), so "Alice@Example.com" and
 *   "alice@example.com" are the same end user. Other identifiers are case-sensitive.
 */
export function normalizeExternalUserId(raw: string, field = 'externalUserId'): string {
  const value = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  if (value.length === 0) throw new ValidationError(field, 'externalUserId must not be empty.');
  if (value.length > LIMITS.externalUserIdLength) {
    throw new ValidationError(field, `externalUserId must be at most ${LIMITS.externalUserIdLength} characters.`);
  }
  if (!value.isWellFormed())
    throw new ValidationError(field, 'externalUserId must be valid Unicode (it has an unpaired surrogate).');
  if (INVISIBLE.test(value)) {
    throw new ValidationError(
      field,
      'externalUserId must not contain control, format or invisible space characters (BOM, zero-width, no-break space).',
    );
  }
  if (value.normalize('NFC') !== value) {
    throw new ValidationError(
      field,
      'externalUserId must be in Unicode Normalization Form C (send the composed form).',
    );
  }
  return value.includes('@') ? value.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()) : value;
}

/** Whether an identifier is one the rule accepts exactly as it is (stored identifiers are checked with it). */
export function isConformingExternalUserId(value: string): boolean {
  try {
    return normalizeExternalUserId(value) === value;
  } catch {
    return false;
  }
}

/** Text that is stored or searched: no NUL, no unpaired surrogate (see text.ts). */
function checkText(value: string, field: string): string {
  const problem = textProblem(value);
  if (problem) throw new ValidationError(field, `${field} ${problem}.`);
  return value;
}

export function checkContent(content: string, field = 'content'): string {
  if (content.trim().length === 0) throw new ValidationError(field, `${field} must not be empty.`);
  if (content.length > LIMITS.contentLength) {
    throw new ValidationError(field, `${field} must be at most ${LIMITS.contentLength} characters.`);
  }
  return checkText(content, field);
}

export function checkMetadata(metadata: unknown, field = 'metadata'): Record<string, unknown> {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new ValidationError(field, 'metadata must be a JSON object.');
  }
  const bad = jsonProblem(metadata, field);
  if (bad) throw new ValidationError(field, `${bad.path} ${bad.problem}.`);
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
    if (tag.length === 0 || tag.length > LIMITS.tagLength || CONTROL.test(tag) || textProblem(tag)) {
      throw new ValidationError(
        field,
        `Each tag must be 1-${LIMITS.tagLength} characters of valid Unicode without control characters.`,
      );
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

/** A thread is named by the caller (a conversation or session id): 1-200 characters, no control characters. */
export function checkThreadId(threadId: string, field = 'threadId'): string {
  if (threadId.trim().length === 0 || threadId.length > LIMITS.threadIdLength || CONTROL.test(threadId)) {
    throw new ValidationError(
      field,
      `${field} must be 1-${LIMITS.threadIdLength} characters without control characters.`,
    );
  }
  return checkText(threadId, field);
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
