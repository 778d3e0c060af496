import type { IncomingMessage } from 'node:http';
import { RateLimitedError } from '../errors.js';
import { RATE_WINDOW_MS, type RateLimiter } from '../app/rateLimit.js';

/**
 * Guessing credentials costs a database lookup each: failed authentications are counted per client
 * address, and an address past the limit is refused (429) without any lookup until its window ends.
 */
export class AuthFailureGuard {
  /** Addresses refused without a lookup, until when (this instance; the count itself may be shared). */
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly limiter: RateLimiter,
    private readonly perMinute: number,
  ) {}

  /** Throws RATE_LIMITED for an address that is past the limit. */
  check(address: string): void {
    const until = this.blockedUntil.get(address);
    if (until === undefined) return;
    if (until > Date.now()) throw new RateLimitedError('failed authentications from this address', until - Date.now());
    this.blockedUntil.delete(address);
  }

  /** Counts a failure; throws RATE_LIMITED (and blocks the address) past the limit. */
  async failed(address: string): Promise<void> {
    if (this.perMinute === 0) return;
    const decision = await this.limiter.hit(`authfail:${address}`, this.perMinute, RATE_WINDOW_MS);
    if (decision.allowed) return;
    if (this.blockedUntil.size > 100_000) this.blockedUntil.clear();
    this.blockedUntil.set(address, Date.now() + decision.retryAfterMs);
    throw new RateLimitedError('failed authentications from this address', decision.retryAfterMs);
  }
}

const guards = new WeakMap<RateLimiter, AuthFailureGuard>();

/**
 * The guard of one gateway, shared by every way in (HTTP, WebSocket, MCP): an address blocked by
 * failures on one is refused on all, before any key is looked up.
 */
export function authFailureGuard(limiter: RateLimiter, perMinute: number): AuthFailureGuard {
  let guard = guards.get(limiter);
  if (!guard) guards.set(limiter, (guard = new AuthFailureGuard(limiter, perMinute)));
  return guard;
}

/** The client's address: the socket's, or the first X-Forwarded-For entry behind a trusted proxy. */
export function clientAddress(
  forwardedFor: string | null,
  node: IncomingMessage | undefined,
  trustProxy: boolean,
): string {
  const forwarded = trustProxy ? forwardedFor?.split(',')[0]?.trim() : undefined;
  return forwarded || node?.socket?.remoteAddress || 'unknown';
}
