import { Repeater } from 'graphql-yoga';
import { UnauthenticatedError } from '../errors.js';

export interface CredentialCheck {
  /** Whether the credential still works, read from the database (not from a cache). */
  stillValid(): Promise<boolean>;
  /** When it stops working by itself (an end-user token's expiry). */
  expiresAt?: Date;
}

function credentialEnded(): UnauthenticatedError {
  return new UnauthenticatedError(
    'The credential of this subscription expired, was revoked or its secret rotated: subscribe again with a valid one.',
    'ENDED',
  );
}

/**
 * A subscription that ends with an UNAUTHENTICATED error when its credential stops working: at
 * a token's expiry, and within `recheckMs` of a revocation or a secret rotation — made on any
 * instance, since each instance checks against the database. A check that fails (the database
 * is down) does not end the stream; the next one decides.
 */
export function endsWithCredential<T>(
  source: AsyncIterable<T>,
  check: CredentialCheck,
  recheckMs: number,
): AsyncIterable<T> {
  return new Repeater<T>(async (push, stop) => {
    const iterator = source[Symbol.asyncIterator]();
    const end = () => stop(credentialEnded());
    const recheck = setInterval(() => {
      check.stillValid().then(
        (valid) => valid || end(),
        () => undefined,
      );
    }, recheckMs);
    const expiry = check.expiresAt ? setTimeout(end, Math.max(0, check.expiresAt.getTime() - Date.now())) : undefined;
    void stop.then(() => {
      clearInterval(recheck);
      clearTimeout(expiry);
      void iterator.return?.();
    });
    for (;;) {
      const next = await Promise.race([iterator.next(), stop.then(() => null)]);
      if (!next || next.done) break;
      await push(next.value);
    }
    stop();
  });
}
