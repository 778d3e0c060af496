import { memoryGlobalId } from '../app/ids.js';
import { isWithheld, type MemoryChangeView, type MemoryView } from '../app/views.js';
import type { ScoredMemory } from '../model.js';

/** What the tools answer about memories: global ids, ISO dates, and nothing but ids without READ. */

export function memoryJson(memory: MemoryView) {
  if (isWithheld(memory)) return { id: memoryGlobalId(memory.id) };
  return {
    id: memoryGlobalId(memory.id),
    content: memory.content,
    tags: memory.tags,
    metadata: memory.metadata,
    occurredAt: memory.occurredAt.toISOString(),
    createdAt: memory.createdAt.toISOString(),
    updatedAt: memory.updatedAt.toISOString(),
    expiresAt: memory.expiresAt?.toISOString() ?? null,
    threadId: memory.threadId,
  };
}

export function hitJson(hit: ScoredMemory) {
  const { score, semanticScore = null, keywordScore = null, entityScore = null, questionScore = null } = hit;
  return { ...memoryJson(hit.memory), score, semanticScore, keywordScore, entityScore, questionScore };
}

export function changeJson(change: MemoryChangeView) {
  return { ...change, memoryId: memoryGlobalId(change.memoryId) };
}
