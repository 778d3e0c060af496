import type { Claude, Usage } from '../llm/claude.js';
import {
  DECISION_SYSTEM,
  EXTRACTION_SYSTEM,
  dataBlock,
  decisionTool,
  extractFactsTool,
  type Extraction,
} from '../llm/prompts.js';
import type { MemoryRecord } from '../model.js';
import { ChangePlan, type Target } from './changePlan.js';
import { batchesWithin, runHalving } from './modelWork.js';
import type { Redactor } from './redaction.js';
import type { PlannedChange } from './planApplication.js';

/** What a conversation asks of Claude: facts from its messages, then a decision for each fact. */

/** A conversation message as stored (redacted). */
export interface StoredMessage {
  role: string;
  content: string;
  at?: string | null;
}

/** The model, where its usage is counted, and the signal that abandons the calls (a lost lease). */
export interface ModelWork {
  claude: Claude;
  spent: Usage[];
  signal: AbortSignal;
}

/** At most this many facts in one decision call (fewer when their answers would not fit). */
const DECISIONS_PER_CALL = 20;
/**
 * Conversation characters per answer token in one extraction call: facts restate at most about
 * half of what was said, at ~4 characters a token, so a chunk of 6 × max_tokens characters leaves
 * room for the JSON around them.
 */
const EXTRACTION_CHARS_PER_TOKEN = 6;

/** The estimated answer tokens of deciding one fact: its text again, a reason and the JSON around them. */
function decisionCost(fact: string): number {
  return Math.ceil((fact.length * 1.5 + 150) / 4);
}

/**
 * The facts in a conversation, asked for in chunks of messages whose facts fit in one answer
 * (a chunk whose answer is cut off anyway is halved); the same fact from two chunks counts once.
 */
export async function extractFacts(
  { claude, spent, signal }: ModelWork,
  messages: StoredMessage[],
): Promise<Extraction> {
  const chunks = batchesWithin(
    messages,
    (message) => message.content.length + 40,
    claude.maxTokens * EXTRACTION_CHARS_PER_TOKEN,
    messages.length,
  );
  const extractions = await Promise.all(
    chunks.map((chunk) =>
      runHalving(chunk, (part) =>
        claude.callTool(
          {
            system: EXTRACTION_SYSTEM,
            prompt: `Extract facts about the end user.\n${dataBlock('conversation', part)}`,
            signal,
          },
          extractFactsTool,
          spent,
        ),
      ),
    ),
  );
  const seen = new Set<string>();
  const found = extractions.flat(2);
  const facts = found
    .flatMap((extraction) => extraction.facts)
    .filter((fact) => {
      const key = fact.toLowerCase();
      return !seen.has(key) && (seen.add(key), true);
    });
  return { facts, relations: found.flatMap((extraction) => extraction.relations) };
}

/**
 * Decides what each fact changes, in batches whose answers fit in max_tokens. Each batch sees
 * the stored memories closest to its facts as the plan so far has them, and the memories
 * earlier batches planned to add, so a fact is never decided against a stale view.
 */
export async function decideChanges(
  { claude, spent, signal }: ModelWork,
  facts: string[],
  neighboursOf: (fact: string) => Promise<MemoryRecord[]>,
  redactor: Redactor,
): Promise<PlannedChange[]> {
  const plan = new ChangePlan();
  if (facts.length === 0) return plan.result();
  const neighbours = new Map<string, MemoryRecord[]>();
  await Promise.all(facts.map(async (fact) => neighbours.set(fact, await neighboursOf(fact))));
  const storedAlias = new Map<string, string>();
  const addedAlias = new Map<PlannedChange, string>();
  const aliasOfStored = (id: string) =>
    storedAlias.get(id) ?? (storedAlias.set(id, `m${storedAlias.size + 1}`), storedAlias.get(id)!);
  const aliasOfAdded = (change: PlannedChange) =>
    addedAlias.get(change) ?? (addedAlias.set(change, `n${addedAlias.size + 1}`), addedAlias.get(change)!);

  for (const batch of batchesWithin(facts, decisionCost, claude.maxTokens / 2, DECISIONS_PER_CALL)) {
    await runHalving(batch, async (part) => {
      const targets = new Map<string, Target>();
      const shown: { alias: string; content: string }[] = [];
      const newFacts = part.map((fact, index) => {
        const similar: string[] = [];
        for (const memory of neighbours.get(fact)!) {
          const content = plan.shownContent(memory.id, memory.content);
          if (content === null) continue; // retired by an earlier decision
          const alias = aliasOfStored(memory.id);
          similar.push(alias);
          if (targets.has(alias)) continue;
          targets.set(alias, { memoryId: memory.id });
          shown.push({ alias, content });
        }
        return { index, fact, similar };
      });
      for (const added of plan.added()) {
        const alias = aliasOfAdded(added);
        targets.set(alias, { added });
        shown.push({ alias, content: added.text! });
      }
      const decisions = await claude.callTool(
        {
          system: DECISION_SYSTEM,
          prompt: `Decide for each new fact.\n${dataBlock('facts', newFacts)}\n${dataBlock('memories', shown)}`,
          signal,
        },
        decisionTool(part.length, new Set(targets.keys())),
        spent,
      );
      for (const decision of decisions) {
        const text = decision.text === undefined ? undefined : redactor.redact(decision.text);
        plan.apply(decision, decision.memory ? targets.get(decision.memory) : undefined, text);
      }
    });
  }
  return plan.result();
}
