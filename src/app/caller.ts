import type { Principal } from '../auth/principal.js';
import type { Services } from '../context.js';
import { CostLimitError, ForbiddenError, MemgateError, RateLimitedError, ValidationError } from '../errors.js';
import { normalizeExternalUserId } from '../memory/validate.js';
import type { ChangeActor } from '../model.js';
import type { Metrics } from '../observability/metrics.js';
import { RATE_WINDOW_MS } from './rateLimit.js';
import { MAX_EXPENSIVE_CALLS_PER_REQUEST, ruleOf, type OperationName } from './operations.js';

/** The way a call came in: a label of its metrics and log lines. */
export type Transport = 'http' | 'sse' | 'multipart' | 'websocket' | 'mcp' | 'cli' | 'job';

/**
 * What one request may spend, shared by every call it carries: an HTTP request's batched operations
 * and aliases, an MCP message batch, a WebSocket operation.
 */
export class RequestBudget {
  private expensive = 0;

  /** Counts expensive calls; throws COST_LIMIT_EXCEEDED past the cap (nothing more of the request runs). */
  spend(expensiveCalls: number): void {
    if (this.expensive + expensiveCalls > MAX_EXPENSIVE_CALLS_PER_REQUEST) {
      throw new CostLimitError(MAX_EXPENSIVE_CALLS_PER_REQUEST);
    }
    this.expensive += expensiveCalls;
  }
}

/** The rate-limit bucket of a credential: one API key, or one end-user token's tenant and user. */
export function credentialBucket(principal: Principal): string {
  if (principal.kind === 'API_KEY') return `key:${principal.keyId}`;
  if (principal.kind === 'END_USER_TOKEN') return `token:${principal.tenantId}:${principal.boundUser}`;
  return `operator:${principal.tenantId}`;
}

/** Counts `cost` against a limit per minute (0: no limit); throws RATE_LIMITED past it. */
export async function enforceRateLimit(
  services: Pick<Services, 'rateLimiter'>,
  bucket: string,
  limit: number,
  what: string,
  cost = 1,
): Promise<void> {
  if (limit === 0 || cost === 0) return;
  const decision = await services.rateLimiter.hit(bucket, limit, RATE_WINDOW_MS, cost);
  if (!decision.allowed) throw new RateLimitedError(what, decision.retryAfterMs);
}

/**
 * The end user an operator names. An identifier stored under an older rule that the current rule
 * refuses (see `memgate doctor`) is taken exactly as given, so that its end user can still be
 * exported or erased.
 */
function asStored(raw: string): string {
  try {
    return normalizeExternalUserId(raw);
  } catch (error) {
    if (error instanceof ValidationError && raw.length > 0) return raw;
    throw error;
  }
}

/** The credential behind a call, as its changes' history names it. */
export function actorOf(principal: Principal): ChangeActor {
  if (principal.kind === 'API_KEY') {
    return { kind: 'API_KEY', apiKeyId: principal.keyId, keyPrefix: principal.keyPrefix, keyName: principal.keyName };
  }
  return { kind: principal.kind };
}

/**
 * The policy of every call, written once: whatever the transport, a call of an operation is
 * authorized against its rule (operations.ts), counted (the request's cost cap, the credential's and
 * the end user's rate limits), and observed (metrics by transport, operation and outcome). The
 * credential's first call was paid for when it was authenticated; each further one costs 1.
 */
export class Caller {
  private calls = 0;
  private admittedCalls = 0;

  constructor(
    private readonly services: Pick<Services, 'rateLimiter' | 'rateLimits'> & { metrics?: Metrics },
    readonly principal: Principal,
    readonly transport: Transport,
    private readonly budget = new RequestBudget(),
  ) {}

  get canRead(): boolean {
    return this.principal.scopes.includes('READ');
  }

  /**
   * Admits calls that arrive together (a GraphQL operation's root fields, an MCP batch) before any
   * of them runs: past the request's cost cap or the credential's rate limit, all are refused and
   * nothing is done.
   */
  async admit(operations: readonly OperationName[]): Promise<void> {
    const expensive = operations.filter((operation) => ruleOf(operation).expensive).length;
    this.budget.spend(expensive);
    const cost = Math.max(0, operations.length - (this.calls + this.admittedCalls === 0 ? 1 : 0));
    await enforceRateLimit(
      this.services,
      credentialBucket(this.principal),
      this.services.rateLimits.perCredential,
      'this credential',
      cost,
    );
    this.admittedCalls += operations.length;
  }

  /** Why this credential may not call `operation`; null when it may. */
  private refusal(operation: OperationName): string | null {
    const rule = ruleOf(operation);
    if (rule.tenantWide && this.principal.kind === 'END_USER_TOKEN') {
      return 'This needs an API key; an end-user token may not do it.';
    }
    if (rule.scope && !this.principal.scopes.includes(rule.scope))
      return `This credential lacks the ${rule.scope} scope.`;
    return null;
  }

  /** Whether this credential may call `operation` (what a transport offers, what a result shows). */
  may(operation: OperationName): boolean {
    return this.refusal(operation) === null;
  }

  /** Throws FORBIDDEN unless this credential may call `operation` at all. */
  authorize(operation: OperationName): void {
    const refusal = this.refusal(operation);
    if (refusal) throw new ForbiddenError(refusal);
  }

  /** Throws FORBIDDEN unless the credential holds READ: what reads memory data inside another call's result. */
  requireRead(): void {
    if (!this.canRead) throw new ForbiddenError('This credential lacks the READ scope.');
  }

  /**
   * The end user a call acts for: the argument with an API key (required), the token's user with an
   * end-user token (an argument naming anyone else is FORBIDDEN).
   */
  resolveUser(rawExternalUserId?: string | null): string {
    const bound = this.principal.kind === 'END_USER_TOKEN' ? this.principal.boundUser : undefined;
    if (rawExternalUserId == null) {
      if (!bound) throw new ValidationError('externalUserId', 'externalUserId is required with an API key.');
      return bound;
    }
    const externalUserId =
      this.principal.kind === 'OPERATOR' ? asStored(rawExternalUserId) : normalizeExternalUserId(rawExternalUserId);
    if (bound && externalUserId !== bound)
      throw new ForbiddenError('This end-user token is bound to another end user.');
    return externalUserId;
  }

  /** Runs one tenant-wide call of `operation`: authorized, counted, observed. */
  run<T>(operation: OperationName, work: () => Promise<T>): Promise<T> {
    return this.observed(operation, async () => {
      this.authorize(operation);
      await this.count(operation);
      return work();
    });
  }

  /** Runs one call of `operation` about one end user (see resolveUser), counted against their limit too. */
  runForUser<T>(
    operation: OperationName,
    rawExternalUserId: string | null | undefined,
    work: (externalUserId: string) => Promise<T>,
  ): Promise<T> {
    return this.observed(operation, async () => {
      this.authorize(operation);
      const externalUserId = this.resolveUser(rawExternalUserId);
      await this.count(operation, externalUserId);
      return work(externalUserId);
    });
  }

  private async observed<T>(operation: OperationName, call: () => Promise<T>): Promise<T> {
    const startedAt = performance.now();
    let outcome = 'ok';
    try {
      return await call();
    } catch (error) {
      outcome = error instanceof MemgateError ? error.code : 'INTERNAL_SERVER_ERROR';
      throw error;
    } finally {
      const labels = { transport: this.transport, operation };
      this.services.metrics?.calls.inc({ ...labels, outcome });
      this.services.metrics?.callDuration.observe(labels, (performance.now() - startedAt) / 1000);
    }
  }

  private async count(operation: OperationName, externalUserId?: string): Promise<void> {
    this.calls++;
    if (ruleOf(operation).expensive && this.calls > this.admittedCalls) this.budget.spend(1);
    if (this.calls > Math.max(1, this.admittedCalls)) {
      const { perCredential } = this.services.rateLimits;
      await enforceRateLimit(this.services, credentialBucket(this.principal), perCredential, 'this credential');
    }
    if (externalUserId !== undefined) {
      const bucket = `user:${this.principal.tenantId}:${externalUserId}`;
      await enforceRateLimit(this.services, bucket, this.services.rateLimits.perEndUser, 'this end user');
    }
  }
}
