import type { PrismaClient } from '../generated/prisma/client.js';
import { claimDueDeliveries, recordAttempt, type DeliveryOutcome, type DueDelivery } from '../db/webhookSql.js';
import { webhookHeaders } from './signature.js';
import { DeliveryFailure, postWebhook, type Resolve } from './post.js';

export interface DispatcherOptions {
  /** Deliveries to internal addresses are allowed (MEMGATE_WEBHOOKS_ALLOW_PRIVATE; tests, private networks). */
  allowInternal: boolean;
  /** How often to look for due deliveries (default 1 s). */
  pollMs?: number;
  /** A delivery that has failed for this long is given up, and its endpoint disabled (default a day). */
  giveUpAfterMs?: number;
  /** The wait before attempt n+1 (default: 5 s doubling, at most an hour, with jitter). */
  backoffMs?: (attempts: number) => number;
  /** How long one attempt may take (default 10 s). */
  timeoutMs?: number;
  /** How host names are resolved (default: the system's resolver). */
  resolve?: Resolve;
  onAttempt?: (delivery: DueDelivery, outcome: DeliveryOutcome) => void;
  onError?: (error: unknown) => void;
}

const BATCH = 16;

export function defaultBackoffMs(attempts: number): number {
  const base = Math.min(5_000 * 2 ** (attempts - 1), 3_600_000);
  return base * (0.8 + Math.random() * 0.4);
}

/**
 * Sends the outbox: claims due deliveries (across tenants, privileged), POSTs each, signed, to its
 * endpoint, and records the outcome. A 2xx delivers; anything else is retried with backoff until
 * `giveUpAfterMs` after the event, then the delivery fails and the endpoint is disabled with its
 * reason. Deliveries are at least once: a receiver dedupes by `webhook-id`, the event's id.
 */
export class WebhookDispatcher {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: DispatcherOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for the attempts in flight (their outcome is recorded). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.poll().then(() => this.schedule(this.options.pollMs ?? 1_000));
    }, delayMs);
    this.timer.unref();
  }

  /** One round: every due delivery claimed now is attempted, side by side. */
  async poll(): Promise<number> {
    try {
      const timeoutMs = this.options.timeoutMs ?? 10_000;
      const due = await claimDueDeliveries(this.prisma, BATCH, timeoutMs * 3);
      await Promise.all(due.map((delivery) => this.attempt(delivery, timeoutMs)));
      return due.length;
    } catch (error) {
      this.options.onError?.(error);
      return 0;
    }
  }

  private async attempt(delivery: DueDelivery, timeoutMs: number): Promise<void> {
    const outcome = await this.send(delivery, timeoutMs);
    await recordAttempt(this.prisma, delivery, outcome);
    this.options.onAttempt?.(delivery, outcome);
  }

  private async send(delivery: DueDelivery, timeoutMs: number): Promise<DeliveryOutcome> {
    const failed = (statusCode: number | null, error: string): DeliveryOutcome => {
      const retryAt = new Date(Date.now() + (this.options.backoffMs ?? defaultBackoffMs)(delivery.attempts));
      const expired = retryAt.getTime() - delivery.createdAt.getTime() > (this.options.giveUpAfterMs ?? 86_400_000);
      return { delivered: false, statusCode, error, retryAt: expired ? null : retryAt };
    };
    try {
      const body = JSON.stringify(delivery.payload);
      const status = await postWebhook(delivery.url, webhookHeaders(delivery.secret, delivery.eventId, body), body, {
        timeoutMs,
        allowInternal: this.options.allowInternal,
        resolve: this.options.resolve,
      });
      return status >= 200 && status < 300 ? { delivered: true, statusCode: status } : failed(status, `HTTP ${status}`);
    } catch (error) {
      return failed(null, error instanceof DeliveryFailure ? error.message : 'the request failed');
    }
  }
}
