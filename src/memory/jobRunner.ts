import { claimConversationJob } from '../db/jobs.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { UserConversations } from './conversations.js';

export interface JobRunnerOptions {
  pollMs?: number;
  lockMs?: number;
}

/**
 * Processes ASYNC conversations (and SYNC ones whose process died) from the database queue.
 * A job's memory changes and its DONE mark commit together, so a crash repeats work but never
 * applies it twice. Without a configured model it is not started: jobs wait, none is lost.
 */
export class JobRunner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly conversationsFor: (tenantId: string, externalUserId: string) => UserConversations,
    private readonly options: JobRunnerOptions = {},
  ) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      this.running = this.drain().then(
        () => undefined,
        () => undefined,
      ).finally(() => {
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

  /** Runs jobs until none is ready; returns how many were attempted. */
  async drain(): Promise<number> {
    let count = 0;
    for (;;) {
      if (this.stopped) return count;
      const job = await claimConversationJob(this.prisma, this.options.lockMs ?? 5 * 60_000).catch(() => null);
      if (!job) return count;
      count++;
      const conversations = this.conversationsFor(job.tenantId, job.externalUserId);
      try {
        await conversations.process(job.id);
      } catch (error) {
        await conversations.fail(job.id, error).catch(() => undefined);
      }
    }
  }
}
