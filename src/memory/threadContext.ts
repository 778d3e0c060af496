import DataLoader from 'dataloader';
import type { ScopedDatabase } from '../db/scope.js';
import type { UserKey } from '../db/memorySql.js';
import { threadNeighboursSql } from '../db/threadSql.js';
import type { MemoryRecord, ScoredMemory } from '../model.js';
import { LIMITS } from './limits.js';
import { checkRange, isUuid } from './validate.js';

/** A memory's neighbours in its thread, in the order they occurred (both empty outside a thread). */
export interface ThreadContext {
  before: MemoryRecord[];
  after: MemoryRecord[];
}

export interface ThreadContextRequest {
  id: string;
  before: number;
  after: number;
}

type NeighbourRow = MemoryRecord & { anchor: string; side: 'before' | 'after' };

const threadOrder = (a: MemoryRecord, b: MemoryRecord) =>
  a.occurredAt.getTime() - b.occurredAt.getTime() ||
  a.createdAt.getTime() - b.createdAt.getTime() ||
  (a.id < b.id ? -1 : 1);

/** Checks how many neighbours are asked for on one side (`field` names the argument). */
export function checkNeighbours(count: number, field: string): number {
  return checkRange(count, 0, LIMITS.threadContext.max, field);
}

/**
 * The neighbours of many memories in one round trip: every hit of a search asks for its own, and
 * the requests that ask for as many on each side share one statement.
 */
export function threadContextLoader(
  db: ScopedDatabase,
  key: UserKey,
): DataLoader<ThreadContextRequest, ThreadContext, string> {
  return new DataLoader(
    async (requests) => {
      const shapes = new Map<string, { before: number; after: number; ids: string[] }>();
      for (const { id, before, after } of requests) {
        if (!isUuid(id)) continue;
        const shape = `${before}:${after}`;
        if (!shapes.has(shape)) shapes.set(shape, { before, after, ids: [] });
        shapes.get(shape)!.ids.push(id);
      }
      const groups = [...shapes.values()];
      const results = groups.length
        ? await db.read<NeighbourRow[][]>(groups.map((g) => threadNeighboursSql(key, g.ids, g.before, g.after)))
        : [];
      const found = new Map<string, ThreadContext>();
      groups.forEach(({ before, after }, i) => {
        for (const { anchor, side, ...memory } of results[i]) {
          const requestKey = `${anchor}:${before}:${after}`;
          if (!found.has(requestKey)) found.set(requestKey, { before: [], after: [] });
          found.get(requestKey)![side].push(memory);
        }
      });
      return requests.map(({ id, before, after }) => {
        const context = found.get(`${id}:${before}:${after}`) ?? { before: [], after: [] };
        return { before: context.before.sort(threadOrder), after: context.after.sort(threadOrder) };
      });
    },
    { cacheKeyFn: ({ id, before, after }) => `${id}:${before}:${after}` },
  );
}

/** The neighbours of these hits in their threads, by memory id (none when asked for none). */
export async function neighboursOf(
  loader: DataLoader<ThreadContextRequest, ThreadContext, string>,
  hits: readonly ScoredMemory[],
  sides: { before: number; after: number },
): Promise<Map<string, ThreadContext>> {
  if (sides.before + sides.after === 0) return new Map();
  const contexts = await loader.loadMany(hits.map((hit) => ({ id: hit.memory.id, ...sides })));
  return new Map(
    hits.map((hit, i) => {
      const context = contexts[i];
      if (context instanceof Error) throw context;
      return [hit.memory.id, context];
    }),
  );
}
