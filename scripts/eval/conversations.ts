/**
 * The conversational retrieval set: multi-session chats between two named people, written for
 * Memgate (scripts/eval/conversations/*.txt, not copied from any public set). Each chat is one end
 * user's memory, stored turn by turn as `Name: text` with the time of its session, and asked
 * questions of four kinds, each naming the turns that hold its answer.
 *
 * File format:
 *   # tenant: acme            # user: maya.leo@acme.test
 *   ## 2023-01-14 19:05       a session and when it happened (UTC)
 *   Maya: text {tag}          a turn; `{tag}` (several: `{a,b}`) marks it as evidence, and is not stored
 *   ? single | question | tag, tag
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const QUESTION_KINDS = ['single', 'multi', 'temporal', 'paraphrase'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export interface Turn {
  /** `Name: text`, as stored. */
  content: string;
  speaker: string;
  occurredAt: Date;
  /** Which session of the chat (1, 2, …): its thread. */
  session: number;
  tags: string[];
}

export interface ConversationQuestion {
  kind: QuestionKind;
  question: string;
  /** Indexes into the conversation's turns. */
  evidence: number[];
}

export interface Conversation {
  file: string;
  tenant: 'acme' | 'globex';
  externalUserId: string;
  speakers: string[];
  sessions: number;
  turns: Turn[];
  questions: ConversationQuestion[];
}

const HEADER = /^#\s*(tenant|user):\s*(\S+)\s*$/;
const SESSION = /^##\s*(\d{4}-\d{2}-\d{2} \d{2}:\d{2})\s*$/;
const TURN = /^([\p{Lu}][\p{L}'-]*):\s+(.+?)\s*(?:\{([\w,\s-]+)\})?\s*$/u;
const QUESTION = /^\?\s*(\w+)\s*\|\s*(.+?)\s*\|\s*(.+)$/;

/** Parses one file; throws with the file and line of the first problem. */
export function parseConversation(file: string, text: string): Conversation {
  const fail = (line: number, message: string): never => {
    throw new Error(`${file}:${line}: ${message}`);
  };
  let tenant: string | undefined;
  let externalUserId: string | undefined;
  let sessionStart: Date | undefined;
  let sessions = 0;
  let turnInSession = 0;
  const turns: Turn[] = [];
  const tagged = new Map<string, number>();
  const rawQuestions: { line: number; kind: string; question: string; tags: string[] }[] = [];

  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    const lineNo = index + 1;
    if (line === '') return;
    let match: RegExpMatchArray | null;
    if ((match = line.match(SESSION))) {
      sessionStart = new Date(`${match[1].replace(' ', 'T')}:00Z`);
      if (Number.isNaN(sessionStart.getTime())) fail(lineNo, `bad session date ${match[1]}`);
      sessions++;
      turnInSession = 0;
    } else if ((match = line.match(HEADER))) {
      if (match[1] === 'tenant') tenant = match[2];
      else externalUserId = match[2];
    } else if ((match = line.match(QUESTION))) {
      rawQuestions.push({
        line: lineNo,
        kind: match[1],
        question: match[2],
        tags: match[3].split(',').map((tag) => tag.trim()),
      });
    } else if ((match = line.match(TURN))) {
      if (!sessionStart) fail(lineNo, 'a turn before the first session');
      const tags = match[3] ? match[3].split(',').map((tag) => tag.trim()) : [];
      for (const tag of tags) {
        if (tagged.has(tag)) fail(lineNo, `tag {${tag}} is used twice`);
        tagged.set(tag, turns.length);
      }
      // Turns of a session are a minute apart, so that their order is their time's order.
      const occurredAt = new Date(sessionStart!.getTime() + turnInSession++ * 60_000);
      turns.push({ content: `${match[1]}: ${match[2]}`, speaker: match[1], occurredAt, session: sessions, tags });
    } else if (!line.startsWith('#')) {
      fail(lineNo, `not a session, turn or question: ${line.slice(0, 60)}`);
    }
  });

  if (tenant !== 'acme' && tenant !== 'globex') return fail(1, `tenant must be acme or globex, not ${tenant}`);
  if (!externalUserId) return fail(1, 'no "# user:" line');
  const questions = rawQuestions.map(({ line, kind, question, tags }) => {
    if (!(QUESTION_KINDS as readonly string[]).includes(kind)) fail(line, `unknown question kind ${kind}`);
    const evidence = tags.map((tag) => tagged.get(tag) ?? fail(line, `no turn is tagged {${tag}}`));
    if (kind === 'multi' && new Set(evidence).size < 2) fail(line, 'a multi-hop question needs two evidence turns');
    return { kind: kind as QuestionKind, question, evidence };
  });
  const referenced = new Set(rawQuestions.flatMap((q) => q.tags));
  const unused = [...tagged.keys()].filter((tag) => !referenced.has(tag));
  if (unused.length) fail(1, `tags no question uses: ${unused.join(', ')}`);
  const contents = new Set<string>();
  for (const turn of turns) {
    if (contents.has(turn.content)) fail(1, `the same turn twice: ${turn.content}`);
    contents.add(turn.content);
  }
  const speakers = [...new Set(turns.map((turn) => turn.speaker))];
  return { file, tenant, externalUserId, speakers, sessions, turns, questions };
}

export function loadConversations(
  dir: string = fileURLToPath(new URL('./conversations/', import.meta.url)),
): Conversation[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => parseConversation(name, readFileSync(join(dir, name), 'utf8')));
}
