import { SubscriptionLimitError } from '../errors.js';

export interface SubscriptionLimits {
  /** Subscriptions one API key or end-user token may hold open at once on this instance; 0: no limit. */
  perCredential: number;
  /** Subscriptions open at once about one end user on this instance, whatever the credential; 0: no limit. */
  perEndUser: number;
}

export const DEFAULT_SUBSCRIPTION_LIMITS: SubscriptionLimits = { perCredential: 200, perEndUser: 20 };

/**
 * Counts the open subscriptions of this instance by credential and by end user: each holds a
 * stream and re-checks its credential against the database every few seconds, so one credential
 * may not hold an unbounded number of them.
 */
export class SubscriptionSlots {
  private readonly open = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: SubscriptionLimits = DEFAULT_SUBSCRIPTION_LIMITS) {}

  /** Takes a slot for the credential and the end user, or refuses; the stream gives it back when it ends. */
  hold<T>(credential: string, endUser: string, open: () => AsyncIterable<T>): AsyncIterable<T> {
    const keys = [
      { key: `credential:${credential}`, limit: this.limits.perCredential, what: 'this credential' },
      { key: `user:${endUser}`, limit: this.limits.perEndUser, what: 'this end user' },
    ];
    const full = keys.find(({ key, limit }) => limit > 0 && (this.open.get(key) ?? 0) >= limit);
    if (full) throw new SubscriptionLimitError(full.what, full.limit);
    for (const { key } of keys) this.open.set(key, (this.open.get(key) ?? 0) + 1);
    this.total++;
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      this.total--;
      for (const { key } of keys) {
        const left = (this.open.get(key) ?? 1) - 1;
        if (left > 0) this.open.set(key, left);
        else this.open.delete(key);
      }
    };
    try {
      return releasing(open(), release);
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Subscriptions open on this instance. */
  get size(): number {
    return this.total;
  }
}

/** The stream, calling `release` once when it completes, fails or is closed by its consumer. */
function releasing<T>(source: AsyncIterable<T>, release: () => void): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = source[Symbol.asyncIterator]();
      return {
        async next() {
          try {
            const result = await iterator.next();
            if (result.done) release();
            return result;
          } catch (error) {
            release();
            throw error;
          }
        },
        async return(value?: unknown) {
          release();
          return (await iterator.return?.(value)) ?? { done: true, value: undefined as T };
        },
        async throw(error?: unknown) {
          release();
          if (iterator.throw) return iterator.throw(error);
          throw error;
        },
      };
    },
  };
}
