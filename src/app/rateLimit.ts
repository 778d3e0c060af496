import { Redis } from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  /** When the window resets, in milliseconds from now. */
  retryAfterMs: number;
}

/** Fixed-window counters: at most `limit` hits per `windowMs` per bucket; a hit may cost more than 1. */
export interface RateLimiter {
  hit(bucket: string, limit: number, windowMs: number, cost?: number): Promise<RateDecision>;
  close(): Promise<void>;
}

/** One process's counters (the default). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  async hit(bucket: string, limit: number, windowMs: number, cost = 1): Promise<RateDecision> {
    const now = Date.now();
    if (this.windows.size > 100_000) {
      for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    }
    let window = this.windows.get(bucket);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(bucket, window);
    }
    window.count += cost;
    return { allowed: window.count <= limit, retryAfterMs: window.resetAt - now };
  }

  async close(): Promise<void> {}
}

const HIT = `local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

/** Counters shared by every gateway instance through Redis (REDIS_URL). */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false });
  }

  async hit(bucket: string, limit: number, windowMs: number, cost = 1): Promise<RateDecision> {
    const [count, ttl] = (await this.redis.eval(HIT, 1, `memgate:rate:${bucket}`, windowMs, cost)) as [number, number];
    return { allowed: count <= limit, retryAfterMs: ttl > 0 ? ttl : windowMs };
  }

  /** Answers once Redis does (for /ready): rate limits and events across instances need it. */
  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}

export interface RateLimits {
  /** Root fields per minute per API key or end-user token (aliases and batched operations count each); 0 turns the limit off. */
  perCredential: number;
  /** Requests per minute touching one end user; 0 turns the limit off. */
  perEndUser: number;
  /** Failed authentications per minute per client address (default 60); 0 turns the limit off. */
  authFailuresPerAddress?: number;
}

export const RATE_WINDOW_MS = 60_000;
