import { claimConversationJob } from '../db/jobs.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { CONVERSATION_LIMITS, type UserConversations } from './conversations.js';
import { LeaseLostError } from '../errors.js';

/** What became of one claim: DONE, retried later, FAILED for good, taken over, or given up after crashes. */
export type JobOutcome = 'done' | 'retry' | 'failed' | 'lease_lost' | 'given_up' | 'claim_failed';

export interface JobEvent {
  outcome: JobOutcome;
  tenantId?: string;
  jobId?: string;
  error?: unknown;
}

export interface JobRunnerOptions {
  pollMs?: number;
  /** How long a claim lasts without a heartbeat: a stopped instance's job is re-claimed after it. */
  leaseMs: number;
  /** Told every outcome (logs and metrics): no failure passes unnoticed. */
  onEvent?: (event: JobEvent) => void;
}

/**
 * Processes ASYNC conversations (and SYNC ones whose process died) from the database queue.
 * A job's memory changes and its DONE mark commit together, and only while its lease is held, so
 * a crash repeats work but never applies it twice, and two instances never both finish a job.
 * Without a configured model it is not started: jobs wait, none is lost.
 */
export class JobRunner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly conversationsFor: (tenantId: string, externalUserId: string) => UserConversations,
    private readonly options: JobRunnerOptions,
  ) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      this.running = this.drain()
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs ?? 1000);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private report(event: JobEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A broken observer must not stop the queue.
    }
  }

  /** Runs jobs until none is ready; returns how many were attempted. */
  async drain(): Promise<number> {
    let count = 0;
    for (;;) {
      if (this.stopped) return count;
      const job = await claimConversationJob(this.prisma, this.options.leaseMs, CONVERSATION_LIMITS.attempts).catch(
        (error: unknown) => {
          this.report({ outcome: 'claim_failed', error });
          return null;
        },
      );
      if (!job) return count;
      count++;
      const about = { tenantId: job.tenantId, jobId: job.id };
      if (job.status === 'FAILED') {
        this.report({ outcome: 'given_up', ...about }); // its instances kept stopping; the reason is recorded
        continue;
      }
      const conversations = this.conversationsFor(job.tenantId, job.externalUserId);
      try {
        await conversations.process(job.id, job.leaseId);
        this.report({ outcome: 'done', ...about });
      } catch (error) {
        if (error instanceof LeaseLostError) {
          this.report({ outcome: 'lease_lost', ...about, error });
          continue;
        }
        const status = await conversations.fail(job.id, job.leaseId, error).catch(() => null);
        this.report({ outcome: status === 'PENDING' ? 'retry' : 'failed', ...about, error });
      }
    }
  }
}
