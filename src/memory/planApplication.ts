import { randomUUID } from 'node:crypto';
import { ConflictError } from '../errors.js';
import type { MemoryChange } from '../model.js';
import type { MemoryWrite } from '../db/memoryStore.js';
import { extractEntities } from './entities.js';

/** A change decided for a conversation, before it is applied. */
export interface PlannedChange {
  action: 'ADD' | 'UPDATE' | 'DELETE';
  memoryId?: string;
  text?: string;
  reason: string;
}

/** Where the planned changes come from: kept with the memories they add or change. */
export interface PlanSource {
  conversationId: string;
  metadata: Record<string, unknown>;
  occurredAt: Date;
  threadId: string;
}

/**
 * Applies a conversation's planned changes in the write's transaction, in order: ADD stores (unless
 * the user already has the text word for word), UPDATE rewrites and re-embeds keeping the old text
 * in the history, DELETE retires. A change to a memory retired or removed meanwhile, or one whose
 * new text another memory already has, is skipped: the result lists what was applied.
 */
export async function applyPlan(
  write: MemoryWrite,
  plan: PlannedChange[],
  source: PlanSource,
  embedding: { vectorOf: (text: string) => number[]; model: string },
): Promise<MemoryChange[]> {
  const { conversationId } = source;
  await write.touchEndUser();
  const applied: MemoryChange[] = [];
  for (const { action, memoryId, text, reason } of plan) {
    if (action === 'ADD') {
      const content = text!;
      const row = {
        id: randomUUID(),
        content,
        metadata: source.metadata,
        tags: [],
        expiresAt: null,
        occurredAt: source.occurredAt,
        threadId: source.threadId,
        context: null,
        entities: extractEntities(content),
      };
      const inserted = await write.add(
        [{ ...row, embedding: embedding.vectorOf(content), embeddingModel: embedding.model }],
        { reason, conversationId },
      );
      if (inserted.has(row.id)) applied.push({ action, memoryId: row.id, content, previousContent: null, reason });
      continue;
    }
    const current = await write.lock(memoryId!);
    if (!current || current.deletedAt !== null) continue;
    if (action === 'DELETE') {
      await write.retire(current, { reason, conversationId });
      applied.push({
        action,
        memoryId: current.id,
        content: current.content,
        previousContent: current.content,
        reason,
      });
      continue;
    }
    const content = text!;
    if (content === current.content) continue;
    try {
      await write.change(
        current,
        {
          content,
          vector: embedding.vectorOf(content),
          occurredAt: source.occurredAt,
          entities: extractEntities(content),
        },
        { reason, conversationId },
      );
    } catch (error) {
      if (error instanceof ConflictError) continue; // the new text is already a memory
      throw error;
    }
    applied.push({ action, memoryId: current.id, content, previousContent: current.content, reason });
  }
  return applied;
}
