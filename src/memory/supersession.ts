import type { ScoredMemory } from '../model.js';

/**
 * When a fact changed, assistants store the change next to the old fact: "Drives a grey Renault
 * Clio" (2019), then "Sold the Clio and bought a used Tesla" (2025). The old one usually matches the
 * question better ("What car does she drive?" shares "drive"), so it would come first. A newer hit
 * that says it changes something (a change verb: sold, switched, moved, quit…) and names what an
 * older hit is about (a shared word of at least four letters that is not an ordinary one) supersedes
 * it: when it scores at least NEAR of the older one's score, it takes the older one's place and
 * score, and the older one follows it. English only, like the keyword side.
 *
 * Only facts outside threads: in a conversation's turns "we sold 340 books" or "it moved to June"
 * tell what happened, not that an earlier turn stopped being true (on the chats of the eval this
 * rule cost 0.018 recall@1 before it skipped threads).
 */

/** How close the newer hit must score, as a share of the older one's score. */
export const NEAR = 0.25;

const CHANGE =
  /\b(?:switched|swapped|moved|relocated|sold|replaced|traded|upgraded|quit|stopped|gave up|cut (?:down|back)|no longer|anymore|instead|changed|became|ended|left|broke up|split up|divorced|retired)\b/i;

/** Words too ordinary to say two facts are about the same thing. */
const ORDINARY = new Set(
  'about after again also been before being does every from have into just like more most much only over really some than that their them then there these they this very what when where which while will with would year years month months week weeks today'.split(
    ' ',
  ),
);

/** The words of at least four letters that are not ordinary, roughly stemmed ("smokes", "smoking": "smok"). */
function wordsOf(text: string): Set<string> {
  const words = new Set<string>();
  for (const [word] of text.toLowerCase().matchAll(/\p{L}{4,}/gu)) {
    if (!ORDINARY.has(word)) words.add(word.replace(/(?<=\p{L}{3})(?:ing|ed|es|s)$/u, ''));
  }
  return words;
}

function supersedes(newer: ScoredMemory, older: ScoredMemory): boolean {
  if (newer.memory.threadId !== null || older.memory.threadId !== null) return false;
  if (newer.memory.occurredAt <= older.memory.occurredAt || !CHANGE.test(newer.memory.content)) return false;
  const olderWords = wordsOf(older.memory.content);
  for (const word of wordsOf(newer.memory.content)) if (olderWords.has(word)) return true;
  return false;
}

/** Hits best first, with every superseding hit moved just above the best hit it supersedes. */
export function preferNewerFacts(hits: ScoredMemory[]): ScoredMemory[] {
  const ranked = [...hits];
  for (let i = 0; i < ranked.length; i++) {
    const older = ranked[i];
    const j = ranked.findIndex((newer, k) => k > i && newer.score >= NEAR * older.score && supersedes(newer, older));
    if (j === -1) continue;
    const [newer] = ranked.splice(j, 1);
    ranked.splice(i, 0, { ...newer, score: Math.max(newer.score, older.score) });
  }
  return ranked;
}
