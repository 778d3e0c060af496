import { loadConversations } from './conversations.js';
import { DATASET } from './dataset.js';

/** A retrieval set as the benchmark uses it: end users' memories, and questions with their evidence. */
export interface EvalSet {
  name: string;
  users: EvalSetUser[];
  questions: EvalQuestion[];
}

export interface EvalSetUser {
  tenant: 'acme' | 'globex';
  externalUserId: string;
  memories: { content: string; occurredAt?: Date; threadId?: string }[];
}

export interface EvalQuestion {
  tenant: 'acme' | 'globex';
  externalUserId: string;
  kind: string;
  question: string;
  /** The contents of the memories that answer it (unique within the end user); none: unanswerable. */
  evidence: string[];
  /** When the question is asked (the reference of "last month"); the clock's time when absent. */
  now?: Date;
}

/** Whether chat turns are stored with their session as thread (EVAL_THREADS=0 measures without). */
const THREADS = process.env.EVAL_THREADS !== '0';

/** The multi-session chats (scripts/eval/conversations/*.txt): one end user per chat, one memory per turn. */
export function conversationSet(): EvalSet {
  const conversations = loadConversations();
  return {
    name: 'conversations',
    users: conversations.map((c) => ({
      tenant: c.tenant,
      externalUserId: c.externalUserId,
      memories: c.turns.map((turn) => ({
        content: turn.content,
        occurredAt: turn.occurredAt,
        ...(THREADS ? { threadId: `session-${turn.session}` } : {}),
      })),
    })),
    questions: conversations.flatMap((c) =>
      c.questions.map((q) => ({
        tenant: c.tenant,
        externalUserId: c.externalUserId,
        kind: q.kind,
        question: q.question,
        evidence: q.evidence.map((index) => c.turns[index].content),
      })),
    ),
  };
}

/** The paraphrase set (scripts/eval/dataset.ts): one question per fact, sharing no content word with it unless it names an exact term. */
export function paraphraseSet(): EvalSet {
  return {
    name: 'paraphrase',
    users: DATASET.map((user) => ({
      tenant: user.tenant,
      externalUserId: user.externalUserId,
      memories: user.facts.map((fact) => ({ content: fact.text })),
    })),
    questions: DATASET.flatMap((user) =>
      user.facts.map((fact) => ({
        tenant: user.tenant,
        externalUserId: user.externalUserId,
        kind: fact.exact.length > 0 ? 'exact term' : 'paraphrase',
        question: fact.question,
        evidence: [fact.text],
      })),
    ),
  };
}
