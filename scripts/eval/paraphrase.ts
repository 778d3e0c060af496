import type { EvalFact, EvalUser } from './dataset.js';

/** Words that carry no topic: shared freely between a fact and its question. */
const FUNCTION_WORDS = new Set(
  `a an the and or but nor so of to in on at by for with from into onto over under about after before
  since until than then as is are was were be been being am do does did done has have had having can
  could will would shall should may might must not no yes any some all each every both either neither
  he she it they them his her hers its their theirs him himself herself who whom whose which what when
  where why how that this these those there here very also only just even still yet ever never too
  one two own same other such much many more most few less least out up down off again`.split(/\s+/),
);

/** A crude stem: lower-case, no accents, no possessive, common suffixes dropped. */
export function stem(word: string): string {
  const plain = word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s$/, '');
  return plain.replace(/(ing|ed|es|s|ly)$/, '').slice(0, 6);
}

export function contentStems(text: string, except: Set<string> = new Set()): Set<string> {
  const words = text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
  return new Set(
    words
      .filter((word) => word.length >= 3 && !FUNCTION_WORDS.has(word.toLowerCase()) && !except.has(word.toLowerCase()))
      .flatMap((word) => word.split(/['’-]/))
      .filter((part) => part.length >= 3 && !FUNCTION_WORDS.has(part.toLowerCase()))
      .map(stem),
  );
}

/** Why a fact's question breaks the dataset's rules, or null. */
export function paraphraseProblem(fact: EvalFact): string | null {
  for (const term of fact.exact) {
    if (!fact.text.includes(term) || !fact.question.includes(term)) return `exact term "${term}" must appear in both`;
  }
  const allowed = new Set(fact.exact.flatMap((term) => [term.toLowerCase(), ...term.toLowerCase().split(/['’-]/)]));
  const factStems = contentStems(fact.text, allowed);
  const shared = [...contentStems(fact.question, allowed)].filter((word) => factStems.has(word));
  return shared.length ? `the question reuses ${shared.map((word) => `"${word}…"`).join(', ')}` : null;
}

export interface DatasetReport {
  users: number;
  facts: number;
  questions: number;
  exactQuestions: number;
  problems: string[];
}

export function checkDataset(dataset: EvalUser[]): DatasetReport {
  const problems: string[] = [];
  for (const user of dataset) {
    const texts = new Set<string>();
    for (const fact of user.facts) {
      if (texts.has(fact.text)) problems.push(`${user.externalUserId}: duplicate fact "${fact.text}"`);
      texts.add(fact.text);
      const problem = paraphraseProblem(fact);
      if (problem) problems.push(`${user.externalUserId}: "${fact.question}" — ${problem}`);
    }
  }
  const facts = dataset.flatMap((user) => user.facts);
  return {
    users: dataset.length,
    facts: facts.length,
    questions: facts.length,
    exactQuestions: facts.filter((fact) => fact.exact.length > 0).length,
    problems,
  };
}
