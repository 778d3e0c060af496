import { LIMITS } from './limits.js';
import { checkRange } from './validate.js';
import { ValidationError } from '../errors.js';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/** Which way to read, how many, and from which (decoded) cursor. */
export interface PagePlan<C> {
  backward: boolean;
  take: number;
  from?: C;
}

export function planPage<C>(args: PageArgs, decode: (cursor: string, field: string) => C): PagePlan<C> {
  if (args.first != null && args.last != null)
    throw new ValidationError('last', 'Pass either first or last, not both.');
  if (args.after != null && args.before != null)
    throw new ValidationError('before', 'Pass either after or before, not both.');
  const backward = args.last != null || args.before != null;
  const size = backward ? args.last : args.first;
  const take =
    size == null ? LIMITS.pageSize.default : checkRange(size, 0, LIMITS.pageSize.max, backward ? 'last' : 'first');
  const cursor = backward ? args.before : args.after;
  return { backward, take, from: cursor == null ? undefined : decode(cursor, backward ? 'before' : 'after') };
}

/** Builds a Relay page from rows read with one extra row (take + 1), in reading order. */
export function toPage<T>(rows: T[], plan: PagePlan<unknown>, toCursor: (row: T) => string): Page<T> {
  const hasMore = rows.length > plan.take;
  const kept = rows.slice(0, plan.take);
  if (plan.backward) kept.reverse();
  const edges = kept.map((node) => ({ cursor: toCursor(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: plan.backward ? plan.from !== undefined : hasMore,
      hasPreviousPage: plan.backward ? hasMore : plan.from !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor into exactly `arity` strings, or fails with a ValidationError. */
export function decodeCursor(cursor: string, field: string, arity: number): string[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === arity && parts.every((part) => typeof part === 'string')) {
      return parts;
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError(field, `${field} is not a cursor returned by this connection.`);
}
