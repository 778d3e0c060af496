import type { ScoredMemory } from '../model.js';

const HEADER = '<user_memories>\nWhat is known about the user (most relevant first):';
const FOOTER = '</user_memories>';

/** Estimated at 4 characters a token. */
const estimateTokens = (text: string) => Math.ceil(text.length / 4);

export interface PromptContext {
  text: string;
  hits: ScoredMemory[];
  tokenEstimate: number;
}

/** The hits, best first, as a block for the caller's own system prompt, within `tokenBudget`. */
export function promptContext(hits: ScoredMemory[], tokenBudget: number): PromptContext {
  const lines: string[] = [];
  const kept: ScoredMemory[] = [];
  for (const hit of hits) {
    const line = `- ${hit.memory.content.replace(/\s+/g, ' ')} (${hit.memory.occurredAt.toISOString().slice(0, 10)})`;
    if (estimateTokens([HEADER, ...lines, line, FOOTER].join('\n')) > tokenBudget) break;
    lines.push(line);
    kept.push(hit);
  }
  const text = lines.length ? [HEADER, ...lines, FOOTER].join('\n') : '';
  return { text, hits: kept, tokenEstimate: estimateTokens(text) };
}
