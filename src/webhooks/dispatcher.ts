import type { PrismaClient } from '../generated/prisma/client.js';
import { claimDueDeliveries, recordAttempt, type DeliveryOutcome, type DueDelivery } from '../db/webhookSql.js';
import { webhookHeaders } from './signature.js';
import { WebhookDeliveryFailure } from '../errors.js';
import { postWebhook, type Resolve } from './post.js';

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

/** Attempts in flight at once on one instance, in all, per tenant and per endpoint. */
const SLOTS = 64;
const PER_TENANT = 8;
const PER_ENDPOINT = 2;

export function defaultBackoffMs(attempts: number): number {
  const base = Math.min(5_000 * 2 ** (attempts - 1), 3_600_000);
  return base * (0.8 + Math.random() * 0.4);
}

/**
 * Sends the outbox: claims due deliveries (across tenants, privileged), POSTs each, signed, to its
 * endpoint, and records the outcome. A 2xx delivers; anything else is retried with backoff until
 * `giveUpAfterMs` after the event, then the delivery fails and the endpoint is disabled with its
 * reason. Deliveries are at least once: a receiver dedupes by `webhook-id`, the event's id.
 *
 * Attempts run side by side, each on its own: a slot freed by one is filled at once, and a tenant
 * (or an endpoint) may hold only a few slots, so slow or dead endpoints never make another
 * tenant's deliveries wait for their timeouts.
 */
export class WebhookDispatcher {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly busyTenants = new Map<string, number>();
  private readonly busyEndpoints = new Map<string, number>();
  private filling?: Promise<Promise<void>[]>;
  private refill = false;
  private round = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: DispatcherOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops claiming and waits for the attempts in flight (their outcome is recorded). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all([...((await this.filling) ?? []), ...this.inFlight]);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.fill().finally(() => this.schedule(this.options.pollMs ?? 1_000));
    }, delayMs);
    this.timer.unref();
  }

  /** One round: claims what is due into the free slots and waits for those attempts; answers how many. */
  async poll(): Promise<number> {
    const started = await this.fill();
    await Promise.all(started);
    return started.length;
  }

  /** Claims due deliveries into the free slots and starts them (one claim at a time; a request meanwhile runs after it). */
  private fill(): Promise<Promise<void>[]> {
    if (this.filling) {
      this.refill = true;
      return this.filling;
    }
    this.filling = this.claimAndStart().finally(() => {
      this.filling = undefined;
      if (this.refill && !this.stopped) {
        this.refill = false;
        void this.fill();
      }
    });
    return this.filling;
  }

  private async claimAndStart(): Promise<Promise<void>[]> {
    const slots = SLOTS - this.inFlight.size;
    if (slots <= 0) return [];
    try {
      const timeoutMs = this.options.timeoutMs ?? 10_000;
      const due = await claimDueDeliveries(
        this.prisma,
        {
          slots,
          perTenant: PER_TENANT,
          perEndpoint: PER_ENDPOINT,
          busyTenants: this.busyTenants,
          busyEndpoints: this.busyEndpoints,
          startAt: this.round++,
        },
        timeoutMs * 3,
      );
      return due.map((delivery) => this.track(delivery, this.attempt(delivery, timeoutMs)));
    } catch (error) {
      this.options.onError?.(error);
      return [];
    }
  }

  /** Holds the delivery's slots while its attempt runs; a freed slot is filled at once. */
  private track(delivery: DueDelivery, attempt: Promise<void>): Promise<void> {
    const count = (map: Map<string, number>, key: string, by: number) => {
      const next = (map.get(key) ?? 0) + by;
      if (next > 0) map.set(key, next);
      else map.delete(key);
    };
    count(this.busyTenants, delivery.tenantId, 1);
    count(this.busyEndpoints, delivery.endpointId, 1);
    const running: Promise<void> = attempt
      .catch((error) => this.options.onError?.(error))
      .finally(() => {
        this.inFlight.delete(running);
        count(this.busyTenants, delivery.tenantId, -1);
        count(this.busyEndpoints, delivery.endpointId, -1);
        if (this.timer && !this.stopped) void this.fill();
      });
    this.inFlight.add(running);
    return running;
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
      return failed(null, error instanceof WebhookDeliveryFailure ? error.message : 'the request failed');
    }
  }
}
