import type { ScopedDatabase } from '../db/scope.js';
import { Claude, LlmFailedError, LlmNotConfiguredError, type Usage } from '../llm/claude.js';
import { ANSWER_SYSTEM, DECISION_SYSTEM, EXTRACTION_SYSTEM, answerTool, dataBlock, decisionTool, extractFactsTool } from '../llm/prompts.js';
import { ValidationError } from './errors.js';
import type { MemoryChange, MemoryRecord } from './model.js';
import type { Redactor } from './redaction.js';
import type { PlannedChange, UserMemories } from './userMemories.js';
import { isUuid } from './userMemories.js';
import { checkMetadata } from './validate.js';

export interface ConversationMessage {
  role: 'USER' | 'ASSISTANT';
  content: string;
  at?: Date | null;
}

export type JobStatus = 'PENDING' | 'RUNNING' | 'DONE' | 'FAILED';

export interface JobRecord {
  id: string;
  externalUserId: string;
  status: JobStatus;
  changes: MemoryChange[] | null;
  error: string | null;
  attempts: number;
  createdAt: Date;
  finishedAt: Date | null;
}

export const CONVERSATION_LIMITS = { messages: 200, messageLength: 32_768, totalLength: 200_000, attempts: 3 } as const;
const NEIGHBOURS = 5;

const jobSelect = {
  id: true,
  externalUserId: true,
  status: true,
  result: true,
  error: true,
  attempts: true,
  createdAt: true,
  finishedAt: true,
} as const;

function toJob(row: { status: string; result: unknown } & Omit<JobRecord, 'status' | 'changes'>): JobRecord {
  const { result, ...rest } = row;
  return { ...rest, status: row.status as JobStatus, changes: (result as MemoryChange[] | null) ?? null };
}

/** When a conversation happened: its last message's `at`, or when it was submitted. */
function conversationTime(conversation: { messages: unknown; createdAt: Date }): Date {
  const times = (conversation.messages as { at?: string | null }[]).filter((m) => m.at).map((m) => new Date(m.at!).getTime());
  return times.length ? new Date(Math.max(...times)) : conversation.createdAt;
}

/** Turning one end user's conversations into memory changes with Claude. */
export class UserConversations {
  constructor(
    private readonly db: ScopedDatabase,
    private readonly memories: UserMemories,
    private readonly claude: Claude,
  ) {}

  /** Stores the (redacted) conversation; SYNC processes it now, ASYNC leaves it to the job runner. */
  async submit(messages: ConversationMessage[], metadata: Record<string, unknown> | null | undefined, mode: 'SYNC' | 'ASYNC'): Promise<JobRecord> {
    if (messages.length === 0 || messages.length > CONVERSATION_LIMITS.messages) {
      throw new ValidationError('messages', `A conversation has 1-${CONVERSATION_LIMITS.messages} messages.`);
    }
    let total = 0;
    for (const [i, message] of messages.entries()) {
      if (message.content.trim() === '' || message.content.length > CONVERSATION_LIMITS.messageLength) {
        throw new ValidationError(`messages.${i}.content`, `Each message is 1-${CONVERSATION_LIMITS.messageLength} characters.`);
      }
      total += message.content.length;
    }
    if (total > CONVERSATION_LIMITS.totalLength) throw new ValidationError('messages', `At most ${CONVERSATION_LIMITS.totalLength} characters in all.`);
    const meta = checkMetadata(metadata ?? {});
    if (mode === 'SYNC' && !this.claude.configured) throw new LlmNotConfiguredError();

    const redactor = await this.redactor();
    const stored = messages.map((message) => ({ role: message.role, content: redactor.redact(message.content), at: message.at?.toISOString() ?? null }));
    const now = new Date();
    const row = await this.db.transaction(async (tx) => {
      await tx.endUser.upsert({ where: {} as never, create: { createdAt: now, lastActivityAt: now } as never, update: { lastActivityAt: now } });
      return tx.conversation.create({
        data: {
          messages: stored,
          metadata: meta as never,
          status: mode === 'SYNC' ? 'RUNNING' : 'PENDING',
          attempts: mode === 'SYNC' ? 1 : 0,
          // A SYNC call that dies mid-way is picked up by the job runner once this lock expires.
          lockedUntil: mode === 'SYNC' ? new Date(now.getTime() + 5 * 60_000) : null,
        } as never,
        select: jobSelect,
      });
    });
    if (mode === 'ASYNC') return toJob(row);
    try {
      return await this.process(row.id);
    } catch (error) {
      await this.fail(row.id, error, { final: true });
      throw error;
    }
  }

  async job(id: string): Promise<JobRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.db.transaction((tx) => tx.conversation.findFirst({ where: { id }, select: jobSelect }));
    return row && toJob(row);
  }

  /** Extract facts, compare each with the user's closest memories, decide, apply in one transaction. */
  async process(conversationId: string): Promise<JobRecord> {
    const conversation = await this.db.transaction((tx) => tx.conversation.findFirst({ where: { id: conversationId } }));
    if (!conversation) throw new Error('conversation vanished');
    const spent: Usage[] = [];
    try {
      const redactor = await this.redactor();
      const facts = (
        await this.claude.callTool(
          { system: EXTRACTION_SYSTEM, prompt: `Extract facts about the end user.\n${dataBlock('conversation', conversation.messages)}` },
          extractFactsTool,
          spent,
        )
      ).map((fact) => redactor.redact(fact));
      const plan = facts.length === 0 ? [] : await this.decide(facts, spent, redactor);
      const source = { conversationId, metadata: conversation.metadata as Record<string, unknown>, occurredAt: conversationTime(conversation) };
      await this.memories.applyPlan(plan, source, async (tx, changes) => {
        await tx.conversation.updateMany({
          where: { id: conversationId },
          data: { status: 'DONE', result: changes as never, error: null, finishedAt: new Date(), lockedUntil: null },
        });
      });
    } finally {
      await this.memories.recordUsage('rememberConversation', spent);
    }
    return (await this.job(conversationId))!;
  }

  /**
   * Records a failed attempt: back to PENDING (with backoff) for the runner when the model failed
   * and attempts remain; FAILED otherwise, or when `final` (a SYNC caller was already told).
   */
  async fail(conversationId: string, error: unknown, { final = false } = {}): Promise<void> {
    const message = error instanceof LlmFailedError || error instanceof LlmNotConfiguredError ? error.message : 'Processing failed.';
    await this.db.transaction(async (tx) => {
      const row = await tx.conversation.findFirst({ where: { id: conversationId }, select: { attempts: true } });
      if (!row) return;
      const giveUp = final || !(error instanceof LlmFailedError) || row.attempts >= CONVERSATION_LIMITS.attempts;
      await tx.conversation.updateMany({
        where: { id: conversationId },
        data: giveUp
          ? { status: 'FAILED', error: message, finishedAt: new Date(), lockedUntil: null }
          : { status: 'PENDING', error: message, lockedUntil: new Date(Date.now() + 2_000 * 2 ** row.attempts) },
      });
    });
  }

  private async decide(facts: string[], spent: Usage[], redactor: Redactor): Promise<PlannedChange[]> {
    const neighbours = await Promise.all(facts.map((fact) => this.memories.search(fact, { limit: NEIGHBOURS })));
    const aliasOf = new Map<string, string>();
    const idOf = new Map<string, string>();
    const shown: { alias: string; content: string }[] = [];
    for (const hit of neighbours.flat()) {
      if (aliasOf.has(hit.memory.id)) continue;
      const alias = `m${aliasOf.size + 1}`;
      aliasOf.set(hit.memory.id, alias);
      idOf.set(alias, hit.memory.id);
      shown.push({ alias, content: hit.memory.content });
    }
    const newFacts = facts.map((fact, index) => ({ index, fact, similar: neighbours[index].map((hit) => aliasOf.get(hit.memory.id)) }));
    const decisions = await this.claude.callTool(
      { system: DECISION_SYSTEM, prompt: `Decide for each new fact.\n${dataBlock('facts', newFacts)}\n${dataBlock('memories', shown)}` },
      decisionTool(facts.length, new Set(idOf.keys())),
      spent,
    );
    const touched = new Set<string>();
    const plan: PlannedChange[] = [];
    for (const decision of decisions) {
      if (decision.action === 'NONE') continue;
      const memoryId = decision.memory ? idOf.get(decision.memory) : undefined;
      if (memoryId) {
        if (touched.has(memoryId)) continue; // one change per memory per conversation
        touched.add(memoryId);
      }
      const text = decision.text === undefined ? undefined : redactor.redact(decision.text);
      plan.push({ action: decision.action, memoryId, text, reason: decision.reason });
    }
    return plan;
  }

  /** Answers from this user's memories only, citing them; "known: false" when they do not hold the answer. */
  async ask(question: string): Promise<{ answer: string; known: boolean; citations: MemoryRecord[] }> {
    if (question.trim() === '' || question.length > 4000) throw new ValidationError('question', 'question must be 1-4,000 characters.');
    if (!this.claude.configured) throw new LlmNotConfiguredError();
    const trimmed = (await this.redactor()).redact(question.trim());
    const hits = await this.memories.search(trimmed, { limit: 20 });
    const byAlias = new Map(hits.map((hit, i) => [`m${i + 1}`, hit.memory]));
    const spent: Usage[] = [];
    try {
      const shown = [...byAlias].map(([alias, memory]) => ({ alias, content: memory.content, occurredAt: memory.occurredAt.toISOString() }));
      const answer = await this.claude.callTool(
        { system: ANSWER_SYSTEM, prompt: `${dataBlock('question', trimmed)}\n${dataBlock('memories', shown)}` },
        answerTool(new Set(byAlias.keys())),
        spent,
      );
      return { answer: answer.answer, known: answer.known, citations: [...new Set(answer.citations)].map((alias) => byAlias.get(alias)!) };
    } finally {
      await this.memories.recordUsage('askMemory', spent);
    }
  }

  private redactor(): Promise<Redactor> {
    return this.memories.redactor();
  }
}
