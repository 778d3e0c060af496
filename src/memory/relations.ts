import type { NewRelation, RelationEnd } from '../db/relationSql.js';
import type { Claude, Usage } from '../llm/claude.js';
import type { RelationFact } from '../llm/prompts.js';
import { LlmNotConfiguredError } from '../errors.js';
import { entityKey } from './entities.js';
import { extractFacts } from './factDecisions.js';
import type { Redactor } from './redaction.js';

/** The end user in a relation: Claude names them "user". */
const USER: RelationEnd = { key: 'user', name: 'user', type: 'PERSON' };

/**
 * The relations Claude read in a conversation, as the store records them: names redacted like
 * every text that is stored, matched to entities by key, true from when the conversation says (or
 * from when it was held). A relation of something with itself, or with a name redaction emptied, is dropped.
 */
export function newRelations(found: readonly RelationFact[], redactor: Redactor, heldAt: Date): NewRelation[] {
  const end = (name: string): RelationEnd | null => {
    if (name.trim().toLowerCase() === 'user' || name.trim().toLowerCase() === 'the user') return USER;
    const written = redactor.redact(name);
    const key = entityKey(written);
    return key.length > 0 ? { key, name: written, type: 'OTHER' } : null;
  };
  return found.flatMap(({ subject, predicate, object, since, many }) => {
    const [from, to] = [end(subject), end(object)];
    if (!from || !to || from.key === to.key) return [];
    return [{ subject: from, predicate: redactor.redact(predicate), object: to, validFrom: since ?? heldAt, many }];
  });
}

/** A relation as a webhook's memory data names it (conversation.finished: what Claude read). */
export function relationJson({ subject, predicate, object, validFrom, many }: NewRelation) {
  return { subject: subject.name, predicate, object: object.name, validFrom: validFrom.toISOString(), many };
}

/** Reads the relations in memories an add stores (checked and redacted), true from when each occurred. */
export type RelationReader = (
  items: readonly { content: string; occurredAt: Date | null }[],
  redactor: Redactor,
) => Promise<NewRelation[]>;

export const NO_RELATION_READER: RelationReader = async () => {
  throw new LlmNotConfiguredError();
};

/**
 * The relations in added memories, as Claude reads them when the add asks for it: the
 * conversation's extraction call on each text alone; its usage goes to `meter` (addMemory).
 */
export function relationReader(claude: Claude, meter: (spent: Usage[]) => Promise<void>): RelationReader {
  return async (items, redactor) => {
    if (!claude.configured) throw new LlmNotConfiguredError();
    const spent: Usage[] = [];
    const work = { claude, spent, signal: new AbortController().signal };
    const read = async ({ content, occurredAt }: (typeof items)[number]) => {
      const at = occurredAt ?? new Date();
      const { relations } = await extractFacts(work, [{ role: 'USER', content, at: at.toISOString() }]);
      return newRelations(relations, redactor, at);
    };
    try {
      return (await Promise.all(items.map(read))).flat();
    } finally {
      await meter(spent);
    }
  };
}
