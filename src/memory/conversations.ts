import { randomUUID } from 'node:crypto';
import { renewLease } from '../db/jobs.js';
import { touchEndUserSql } from '../db/memoryStore.js';
import { recordRelationsSql } from '../db/relationSql.js';
import { enqueueUserEvent } from '../db/webhookSql.js';
import type { ScopedDatabase, ScopedTransaction } from '../db/scope.js';
import { Claude, type Usage } from '../llm/claude.js';
import { globalId, type ConversationSource } from '../model.js';
import { decideChanges, extractFacts, type StoredMessage } from './factDecisions.js';
import { askMemories, type MemoryAnswer } from './questions.js';
import type { Redactor } from './redaction.js';
import { newRelations, relationJson } from './relations.js';
import type { UserMemories } from './userMemories.js';
import { jobSelect, toJob, type JobRecord } from './jobRecord.js';
import { checkMetadata, checkThreadId, isUuid } from './validate.js';
import {
  EmbeddingUnavailableError,
  LeaseLostError,
  LlmFailedError,
  LlmNotConfiguredError,
  ValidationError,
} from '../errors.js';

export interface ConversationMessage {
  role: 'USER' | 'ASSISTANT';
  content: string;
  at?: Date | null;
}

export const CONVERSATION_LIMITS = { messages: 200, messageLength: 32_768, totalLength: 200_000, attempts: 3 } as const;
const NEIGHBOURS = 5;
const PROCESSING_FAILED = 'Processing failed.';

export interface ConversationOptions {
  /** How long a claim lasts without a heartbeat (renewed every quarter of it). */
  leaseMs: number;
  /** Told the tokens and model time of every model call made for this caller (response extensions). */
  onUsage?: (spent: Usage[]) => void;
}

/** When a conversation happened: its last message's `at`, or when it was submitted. */
function conversationTime(conversation: { messages: unknown; createdAt: Date }): Date {
  const times = (conversation.messages as StoredMessage[]).filter((m) => m.at).map((m) => new Date(m.at!).getTime());
  return times.length ? new Date(Math.max(...times)) : conversation.createdAt;
}

/** A job's claim, renewed every quarter of its length; `signal` aborts once another instance holds the job. */
interface HeldLease {
  signal: AbortSignal;
  release(): void;
}

/** Turning one end user's conversations into memory changes with Claude. */
export class UserConversations {
  constructor(
    private readonly db: ScopedDatabase,
    private readonly memories: UserMemories,
    private readonly claude: Claude,
    private readonly options: ConversationOptions,
  ) {}

  /** Stores the (redacted) conversation; SYNC processes it now, ASYNC leaves it to the job runner. */
  async submit(
    messages: ConversationMessage[],
    { metadata, threadId }: ConversationSource,
    mode: 'SYNC' | 'ASYNC',
  ): Promise<JobRecord> {
    if (messages.length === 0 || messages.length > CONVERSATION_LIMITS.messages) {
      throw new ValidationError('messages', `A conversation has 1-${CONVERSATION_LIMITS.messages} messages.`);
    }
    let total = 0;
    for (const [i, message] of messages.entries()) {
      if (message.content.trim() === '' || message.content.length > CONVERSATION_LIMITS.messageLength) {
        throw new ValidationError(
          `messages.${i}.content`,
          `Each message is 1-${CONVERSATION_LIMITS.messageLength} characters.`,
        );
      }
      total += message.content.length;
    }
    if (total > CONVERSATION_LIMITS.totalLength)
      throw new ValidationError('messages', `At most ${CONVERSATION_LIMITS.totalLength} characters in all.`);
    const meta = checkMetadata(metadata ?? {});
    const thread = threadId == null ? null : checkThreadId(threadId);
    if (mode === 'SYNC' && !this.claude.configured) throw new LlmNotConfiguredError();

    const redactor = await this.redactor();
    const stored = messages.map((message) => ({
      role: message.role,
      content: redactor.redact(message.content),
      at: message.at?.toISOString() ?? null,
    }));
    const now = new Date();
    const leaseId = randomUUID();
    const row = await this.db.transaction(async (tx) => {
      await tx.$executeRaw(
        touchEndUserSql({ tenantId: this.db.scope.tenantId, externalUserId: this.memories.externalUserId }, now),
      );
      return tx.conversation.create({
        data: {
          messages: stored,
          metadata: meta as never,
          threadId: thread,
          status: mode === 'SYNC' ? 'RUNNING' : 'PENDING',
          attempts: mode === 'SYNC' ? 1 : 0,
          // A SYNC call whose instance dies mid-way is picked up by the job runner once its lease expires.
          leaseId: mode === 'SYNC' ? leaseId : null,
          lockedUntil: mode === 'SYNC' ? new Date(now.getTime() + this.options.leaseMs) : null,
        } as never,
        select: jobSelect,
      });
    });
    if (mode === 'ASYNC') return toJob(row);
    try {
      return await this.process(row.id, leaseId);
    } catch (error) {
      if (error instanceof LeaseLostError) return (await this.job(row.id))!; // another instance finishes it
      await this.fail(row.id, leaseId, error, { final: true });
      throw error;
    }
  }

  async job(id: string): Promise<JobRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.db.transaction((tx) => tx.conversation.findFirst({ where: { id }, select: jobSelect }));
    return row && toJob(row);
  }

  /**
   * Extracts facts, compares them with the user's closest memories, decides, and applies every
   * change in one transaction with the DONE mark — only while `leaseId` is still this job's claim.
   */
  async process(conversationId: string, leaseId: string): Promise<JobRecord> {
    const conversation = await this.db.transaction((tx) =>
      tx.conversation.findFirst({ where: { id: conversationId } }),
    );
    if (!conversation) throw new Error('conversation vanished');
    const spent: Usage[] = [];
    const lease = this.hold(conversationId, leaseId);
    try {
      const redactor = await this.redactor();
      const work = { claude: this.claude, spent, signal: lease.signal };
      const extraction = await extractFacts(work, conversation.messages as unknown as StoredMessage[]);
      const facts = extraction.facts.map((fact) => redactor.redact(fact));
      const neighbours = async (fact: string) =>
        (await this.memories.search(fact, { limit: NEIGHBOURS })).hits.map((hit) => hit.memory);
      const plan = await decideChanges(work, facts, neighbours, redactor);
      lease.signal.throwIfAborted();
      const occurredAt = conversationTime(conversation);
      const relations = newRelations(extraction.relations, redactor, occurredAt);
      const source = {
        conversationId,
        metadata: conversation.metadata as Record<string, unknown>,
        occurredAt,
        threadId: conversation.threadId ?? globalId('ConversationJob', conversationId),
      };
      await this.memories.applyPlan(plan, source, async (tx, changes) => {
        const { count } = await tx.conversation.updateMany({
          where: { id: conversationId, leaseId, status: 'RUNNING' },
          data: { status: 'DONE', result: changes as never, error: null, finishedAt: new Date(), lockedUntil: null },
        });
        if (count === 0) throw new LeaseLostError(); // rolls the changes back: the new holder applies them
        const key = { tenantId: this.db.scope.tenantId, externalUserId: this.memories.externalUserId };
        for (const sql of recordRelationsSql(key, relations, conversationId)) await tx.$executeRaw(sql);
        const shown = changes.map((change) => ({ ...change, memoryId: globalId('Memory', change.memoryId) }));
        await this.enqueueJobEvent(
          tx,
          conversationId,
          'conversation.finished',
          { status: 'DONE', changes: shown.map(({ action, memoryId }) => ({ action, memoryId })) },
          { changes: shown, relations: relations.map(relationJson) },
        );
      });
    } catch (error) {
      throw lease.signal.aborted ? new LeaseLostError() : error;
    } finally {
      lease.release();
      await this.memories.recordUsage('rememberConversation', spent);
      this.options.onUsage?.(spent);
    }
    return (await this.job(conversationId))!;
  }

  /**
   * Records a failed attempt among the job's failures: back to PENDING (with backoff) for the
   * runner when the model or the embedding provider failed and attempts remain; FAILED otherwise, or when `final` (a SYNC
   * caller was already told). Nothing happens when another instance holds the job now. Returns
   * the job's status after it.
   */
  async fail(
    conversationId: string,
    leaseId: string,
    error: unknown,
    { final = false } = {},
  ): Promise<'PENDING' | 'FAILED' | 'NOT_HELD'> {
    const transient = error instanceof LlmFailedError || error instanceof EmbeddingUnavailableError;
    const reason = transient || error instanceof LlmNotConfiguredError ? (error as Error).message : PROCESSING_FAILED;
    return this.db.transaction(async (tx) => {
      const held = { id: conversationId, leaseId, status: 'RUNNING' };
      const row = await tx.conversation.findFirst({ where: held, select: { attempts: true, failures: true } });
      if (!row) return 'NOT_HELD' as const;
      const giveUp = final || !transient || row.attempts >= CONVERSATION_LIMITS.attempts;
      const failures = [...(row.failures as object[]), { attempt: row.attempts, at: new Date().toISOString(), reason }];
      await tx.conversation.updateMany({
        where: held,
        data: giveUp
          ? { status: 'FAILED', error: reason, failures, finishedAt: new Date(), lockedUntil: null }
          : {
              status: 'PENDING',
              error: reason,
              failures,
              lockedUntil: new Date(Date.now() + 2_000 * 2 ** row.attempts),
            },
      });
      if (giveUp)
        await this.enqueueJobEvent(tx, conversationId, 'conversation.failed', { status: 'FAILED', error: reason });
      return giveUp ? ('FAILED' as const) : ('PENDING' as const);
    });
  }

  /** The webhook deliveries of a job's end (conversation.finished or .failed), in its transaction. */
  private enqueueJobEvent(
    tx: ScopedTransaction,
    conversationId: string,
    type: string,
    data: Record<string, unknown>,
    memoryData?: Record<string, unknown>,
  ): Promise<void> {
    const key = { tenantId: this.db.scope.tenantId, externalUserId: this.db.scope.externalUserId! };
    const job = { conversationId: globalId('ConversationJob', conversationId) };
    return enqueueUserEvent(tx, key, type, { ...job, ...data }, memoryData);
  }

  /** Renews the job's lease every quarter of its length; aborts `signal` once another instance holds it. */
  private hold(conversationId: string, leaseId: string): HeldLease {
    const controller = new AbortController();
    const beat = async () => {
      // A renewal that errors is tried again at the next beat: the lease outlasts three missed ones.
      const held = await this.db
        .transaction((tx) =>
          renewLease(
            tx,
            { tenantId: this.db.scope.tenantId, externalUserId: this.memories.externalUserId },
            conversationId,
            leaseId,
            this.options.leaseMs,
          ),
        )
        .catch(() => true);
      if (!held) controller.abort(new LeaseLostError());
    };
    const timer = setInterval(() => void beat(), this.options.leaseMs / 4);
    timer.unref();
    return { signal: controller.signal, release: () => clearInterval(timer) };
  }

  /** Answers from this user's memories only, citing them (see questions.ts). */
  ask(question: string, now?: Date | null): Promise<MemoryAnswer> {
    return askMemories(this.memories, this.claude, question, { now, onUsage: this.options.onUsage });
  }

  private redactor(): Promise<Redactor> {
    return this.memories.redactor();
  }
}
