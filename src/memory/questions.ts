import type { Claude, Usage } from '../llm/claude.js';
import { ANSWER_SYSTEM, answerTool, dataBlock } from '../llm/prompts.js';
import type { MemoryRecord } from '../model.js';
import { neighboursOf, type ThreadContext } from './threadContext.js';
import type { UserMemories } from './userMemories.js';
import { LlmNotConfiguredError, ValidationError } from '../errors.js';

const NOTHING_REMEMBERED = 'Nothing is remembered about this end user yet.';

export interface MemoryAnswer {
  answer: string;
  known: boolean;
  citations: MemoryRecord[];
}

/** A memory's neighbours in its conversation, shown with it so that "Yes, I went!" means something. */
function aroundIt(context: ThreadContext | undefined) {
  if (!context || context.before.length + context.after.length === 0) return {};
  return { before: context.before.map((m) => m.content), after: context.after.map((m) => m.content) };
}

/**
 * Answers from one end user's memories only, citing them; "known: false" when they do not hold the
 * answer — at once, with no model call, when nothing relevant is remembered at all. The model's
 * usage is metered for the end user and told to `onUsage`.
 */
export async function askMemories(
  memories: UserMemories,
  claude: Claude,
  question: string,
  { now, onUsage }: { now?: Date | null; onUsage?: (spent: Usage[]) => void } = {},
): Promise<MemoryAnswer> {
  if (question.trim() === '' || question.length > 4000)
    throw new ValidationError('question', 'question must be 1-4,000 characters.');
  if (!claude.configured) throw new LlmNotConfiguredError();
  const trimmed = (await memories.redactor()).redact(question.trim());
  const { hits } = await memories.search(trimmed, { limit: 20, now });
  if (hits.length === 0) return { answer: NOTHING_REMEMBERED, known: false, citations: [] };
  const byAlias = new Map(hits.map((hit, i) => [`m${i + 1}`, hit.memory]));
  const contexts = await neighboursOf(memories.threadContextOf, hits, { before: 1, after: 1 });
  const spent: Usage[] = [];
  try {
    const shown = [...byAlias].map(([alias, memory]) => ({
      alias,
      content: memory.content,
      occurredAt: memory.occurredAt.toISOString(),
      ...aroundIt(contexts.get(memory.id)),
    }));
    const answer = await claude.callTool(
      { system: ANSWER_SYSTEM, prompt: `${dataBlock('question', trimmed)}\n${dataBlock('memories', shown)}` },
      answerTool(new Set(byAlias.keys())),
      spent,
    );
    return {
      answer: answer.answer,
      known: answer.known,
      citations: [...new Set(answer.citations)].map((alias) => byAlias.get(alias)!),
    };
  } finally {
    await memories.recordUsage('askMemory', spent);
    onUsage?.(spent);
  }
}
