/**
 * The short-fact set, written for Memgate: end users whose memories are what an assistant stores
 * about a person — short third-person facts ("Is allergic to penicillin"), each with the date it
 * became true — and questions of eight kinds:
 * - direct: shares the fact's key words;
 * - paraphrase: shares no content word with it (checked: see paraphraseProblem);
 * - distractor: shares an ordinary word with a wrong memory and none with the right one (checked);
 * - multi: needs two or more facts;
 * - changed: an old and a newer fact disagree; only the newer answers;
 * - when: asks when something happened;
 * - relative: names a time relative to the user's `now` ("last month"), or only a date;
 * - unanswerable: nothing stored answers it (a good threshold keeps every hit out).
 */
import { contentStems, paraphraseProblem } from './paraphrase.js';
import type { EvalQuestion, EvalSet } from './sets.js';
import { SHORT_FACT_USERS_A } from './shortFacts/usersA.js';
import { SHORT_FACT_USERS_B } from './shortFacts/usersB.js';
import type { ShortFactUser } from './shortFacts/types.js';

export const SHORT_FACT_USERS: ShortFactUser[] = [...SHORT_FACT_USERS_A, ...SHORT_FACT_USERS_B];

/** Why the set breaks its own rules: unknown keys, paraphrases or distractors that share the wrong words. */
export function shortFactProblems(users: ShortFactUser[] = SHORT_FACT_USERS): string[] {
  const problems: string[] = [];
  for (const user of users) {
    const text = (key: string) => user.facts[key]?.[0];
    for (const question of user.questions) {
      const where = `${user.externalUserId}: "${question.question}"`;
      for (const key of [...question.evidence, ...(question.other ? [question.other] : [])]) {
        if (!text(key)) problems.push(`${where} names no fact "${key}"`);
      }
      if ((question.kind === 'unanswerable') !== (question.evidence.length === 0)) {
        problems.push(`${where}: only unanswerable questions have no evidence`);
      }
      if (question.kind === 'paraphrase') {
        for (const key of question.evidence) {
          const problem = paraphraseProblem({ text: text(key) ?? '', question: question.question, exact: [] });
          if (problem) problems.push(`${where} — ${problem}`);
        }
      }
      if (question.kind === 'distractor' && question.other) {
        const asked = contentStems(question.question);
        const wrong = [...contentStems(text(question.other) ?? '')].filter((stem) => asked.has(stem));
        const right = question.evidence.flatMap((key) =>
          [...contentStems(text(key) ?? '')].filter((stem) => asked.has(stem)),
        );
        if (wrong.length === 0) problems.push(`${where} shares no word with its distractor`);
        if (right.length > 0) problems.push(`${where} shares ${right.join(', ')} with its answer`);
      }
      if (question.kind === 'changed' && question.other) {
        const [older, newer] = [user.facts[question.other]?.[1], user.facts[question.evidence[0]]?.[1]];
        if (!(older < newer)) problems.push(`${where}: the changed fact must be newer than ${question.other}`);
      }
    }
  }
  return problems;
}

/** The set as the benchmark runs it: each fact a memory with its date, each question with its `now`. */
export function shortFactSet(): EvalSet {
  const questions: EvalQuestion[] = SHORT_FACT_USERS.flatMap((user) =>
    user.questions.map((question) => ({
      tenant: user.tenant,
      externalUserId: user.externalUserId,
      kind: question.kind,
      question: question.question,
      evidence: question.evidence.map((key) => user.facts[key][0]),
      now: new Date(`${user.now}T12:00:00Z`),
    })),
  );
  return {
    name: 'short facts',
    users: SHORT_FACT_USERS.map((user) => ({
      tenant: user.tenant,
      externalUserId: user.externalUserId,
      memories: Object.values(user.facts).map(([content, date]) => ({
        content,
        occurredAt: new Date(`${date}T12:00:00Z`),
      })),
    })),
    questions,
  };
}
