import type { ScoredMemory } from '../model.js';
import type { ThreadContext } from './threadContext.js';

const HEADER = '<user_memories>\nWhat is known about the user (most relevant first):';
const FOOTER = '</user_memories>';

/** Estimated at 4 characters a token. */
const estimateTokens = (text: string) => Math.ceil(text.length / 4);

export interface PromptOptions {
  /** When the question is asked (what "last month" is read against). */
  now?: Date | null;
  /** How many memories on each side of a hit in its thread to show with it. */
  around?: number;
}

export interface PromptContext {
  text: string;
  hits: ScoredMemory[];
  tokenEstimate: number;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ');

/** A hit as lines: the memory with its date, then the neighbours of its thread when given. */
function hitLines(hit: ScoredMemory, context: ThreadContext | undefined): string[] {
  const lines = [`- ${oneLine(hit.memory.content)} (${hit.memory.occurredAt.toISOString().slice(0, 10)})`];
  for (const memory of context?.before ?? [])
    lines.push(`  just before in its conversation: ${oneLine(memory.content)}`);
  for (const memory of context?.after ?? []) lines.push(`  just after in its conversation: ${oneLine(memory.content)}`);
  return lines;
}

/**
 * The hits, best first, as a block for the caller's own system prompt, within `tokenBudget`; each
 * with the memories around it in its thread when `contexts` holds them.
 */
export function promptContext(
  hits: ScoredMemory[],
  tokenBudget: number,
  contexts: ReadonlyMap<string, ThreadContext> = new Map(),
): PromptContext {
  const lines: string[] = [];
  const kept: ScoredMemory[] = [];
  for (const hit of hits) {
    const more = hitLines(hit, contexts.get(hit.memory.id));
    if (estimateTokens([HEADER, ...lines, ...more, FOOTER].join('\n')) > tokenBudget) break;
    lines.push(...more);
    kept.push(hit);
  }
  const text = lines.length ? [HEADER, ...lines, FOOTER].join('\n') : '';
  return { text, hits: kept, tokenEstimate: estimateTokens(text) };
}
