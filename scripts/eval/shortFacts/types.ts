/** The short-fact set's shapes (see scripts/eval/shortFacts.ts). */
export type QuestionKind =
  'direct' | 'paraphrase' | 'distractor' | 'multi' | 'changed' | 'when' | 'relative' | 'unanswerable';

export interface ShortFactQuestion {
  kind: QuestionKind;
  question: string;
  /** Keys of the facts that answer it (none: unanswerable). */
  evidence: string[];
  /** distractor: the wrong fact it shares an ordinary word with; changed: the older fact. */
  other?: string;
}

export interface ShortFactUser {
  tenant: 'acme' | 'globex';
  externalUserId: string;
  /** When the user asks (relative questions are read against it): an ISO date. */
  now: string;
  /** key → [text, the ISO date it was said or became true]. */
  facts: Record<string, [string, string]>;
  questions: ShortFactQuestion[];
}

export const q = (kind: QuestionKind, question: string, evidence: string[], other?: string): ShortFactQuestion => ({
  kind,
  question,
  evidence,
  other,
});
