import type { Decision } from '../llm/prompts.js';
import type { PlannedChange } from './planApplication.js';

/** What a decision acts on: a stored memory, or a memory an earlier decision of this conversation adds. */
export type Target = { memoryId: string } | { added: PlannedChange };

/**
 * The changes one conversation makes, built from decisions taken batch by batch. Later batches see
 * the plan so far (a stored memory with its planned text, the memories planned to be added), and a
 * later decision on the same memory replaces the earlier one: no fact is dropped because an
 * earlier batch already touched its memory.
 */
export class ChangePlan {
  private readonly changes: PlannedChange[] = [];
  private readonly byMemory = new Map<string, PlannedChange>();
  private readonly dropped = new Set<PlannedChange>();

  /** The text a later batch should be shown for a stored memory: its planned text, or null once retired. */
  shownContent(memoryId: string, storedContent: string): string | null {
    const planned = this.byMemory.get(memoryId);
    if (!planned) return storedContent;
    return planned.action === 'DELETE' ? null : planned.text!;
  }

  /** The memories this conversation adds so far. */
  added(): PlannedChange[] {
    return this.changes.filter((change) => change.action === 'ADD' && !this.dropped.has(change));
  }

  apply(decision: Decision, target: Target | undefined, text: string | undefined): void {
    const { action, reason } = decision;
    if (action === 'NONE') return;
    if (action === 'ADD' || !target) {
      if (action === 'ADD') this.changes.push({ action, text, reason });
      return;
    }
    if ('added' in target) {
      if (action === 'DELETE') this.dropped.add(target.added);
      else Object.assign(target.added, { text, reason });
      return;
    }
    const planned = this.byMemory.get(target.memoryId);
    if (planned) {
      Object.assign(planned, { action, text, reason });
      return;
    }
    const change: PlannedChange = { action, memoryId: target.memoryId, text, reason };
    this.changes.push(change);
    this.byMemory.set(target.memoryId, change);
  }

  result(): PlannedChange[] {
    return this.changes.filter((change) => !this.dropped.has(change));
  }
}
