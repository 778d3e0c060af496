/**
 * Every error Memgate throws on purpose, and every code a failure carries, in one place.
 *
 * - `MemgateError`s are the expected failures of a request or a call: each carries one code of
 *   ERROR_CODES, the same in every transport — GraphQL (typed results, or `extensions.code`), MCP
 *   tool errors, WebSocket close reasons and the command line.
 * - The others stop a process or a command with one clear line for the operator.
 */

/** Every code a client or operator may see, with what it means. */
export const ERROR_CODES = {
  // Typed results of a field (the schema's ErrorCode enum, RESULT_CODES below).
  VALIDATION_FAILED: 'The input was refused; `field` names it. Nothing was written.',
  NOT_FOUND: "No such object for this end user (or it is someone else's).",
  CONFLICT: 'The request conflicts with stored data. Nothing was written.',
  EMBEDDING_UNAVAILABLE: 'The embedding model could not be reached or refused the text; retrying later is safe.',
  LLM_NOT_CONFIGURED: 'This gateway has no ANTHROPIC_API_KEY.',
  LLM_FAILED: 'Claude could not be reached, refused, or its answer was unusable; retrying later is safe.',
  // Refusals of a call or a request.
  UNAUTHENTICATED: 'No valid credential: missing, mistyped, revoked or expired.',
  FORBIDDEN: 'The credential may not do this: a scope it lacks, or an end user it is not bound to.',
  RATE_LIMITED: 'Too many calls for this credential, end user or address; retry after `retryAfter` seconds.',
  COST_LIMIT_EXCEEDED: 'One request asked for more searches, writes and model calls than it may.',
  SUBSCRIPTION_LIMIT_REACHED: 'Too many subscriptions open at once for this credential or end user: close one first.',
  SERVICE_UNAVAILABLE: 'The gateway could not check the credential right now; retry shortly.',
  BAD_USER_INPUT: 'An argument or variable is malformed (before any field ran).',
  BAD_REQUEST: 'The HTTP request is not a GraphQL request this endpoint can read (method, body, parameters).',
  UNSUPPORTED_MEDIA_TYPE: 'The body has a Content-Type the endpoint does not read; `accepted` lists those it does.',
  OPERATION_RESOLUTION_FAILURE: 'The document holds several operations and no (or an unknown) operationName.',
  LENGTH_REQUIRED: 'The request body came without a Content-Length.',
  PAYLOAD_TOO_LARGE: 'The request body is larger than the gateway accepts.',
  GRAPHQL_PARSE_FAILED: 'The document is not valid GraphQL.',
  GRAPHQL_VALIDATION_FAILED: 'The document does not fit the schema or its limits.',
  PERSISTED_QUERY_INVALID: 'The persisted query extension is malformed.',
  PERSISTED_QUERY_NOT_FOUND: 'The gateway does not know this hash: send the document with it once.',
  PERSISTED_QUERY_HASH_MISMATCH: 'The hash does not match the document sent with it.',
  TRUSTED_DOCUMENT_REQUIRED: 'This gateway runs only trusted documents: send a documentId.',
  TRUSTED_DOCUMENT_UNKNOWN: 'The documentId is not among the trusted documents.',
  INTERNAL_SERVER_ERROR: 'An unexpected failure; it was logged, without its details reaching the client.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes a field answers as a typed result (GraphQL's ErrorCode enum); the others are refusals. */
export const RESULT_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'CONFLICT',
  'EMBEDDING_UNAVAILABLE',
  'LLM_NOT_CONFIGURED',
  'LLM_FAILED',
] as const satisfies readonly ErrorCode[];

export abstract class MemgateError extends Error {
  abstract readonly code: ErrorCode;
}

export class ValidationError extends MemgateError {
  readonly code = 'VALIDATION_FAILED' as const;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends MemgateError {
  readonly code = 'NOT_FOUND' as const;
}

export class ConflictError extends MemgateError {
  readonly code = 'CONFLICT' as const;
}

export class UnsafeRedactionRuleError extends ConflictError {
  constructor(name: string) {
    super(
      `The redaction rule "${name}" cannot run in linear time; replace it with setRedactionRules. Nothing was stored.`,
    );
  }
}

/** The embedding model could not be reached or refused the text; nothing was written. */
export class EmbeddingUnavailableError extends MemgateError {
  readonly code = 'EMBEDDING_UNAVAILABLE' as const;
  constructor(
    message: string,
    /** The model refused this input (a 4xx); retrying the same text will not help. */
    readonly rejectedInput = false,
  ) {
    super(message);
  }
}

/** No ANTHROPIC_API_KEY: the LLM fields answer LLM_NOT_CONFIGURED, everything else works. */
export class LlmNotConfiguredError extends MemgateError {
  readonly code = 'LLM_NOT_CONFIGURED' as const;
  constructor() {
    super('Claude is not configured on this gateway: set ANTHROPIC_API_KEY.');
  }
}

/** The model could not be reached, refused, or answered outside the tool's schema. */
export class LlmFailedError extends MemgateError {
  readonly code = 'LLM_FAILED' as const;
}

/**
 * The answer reached max_tokens and was cut off: never used, however much of it parses. Work that
 * can be split is split and asked again; otherwise the attempt fails and may be retried.
 */
export class LlmAnswerTooLongError extends LlmFailedError {
  constructor(tool: string, maxTokens: number) {
    super(
      `Claude's ${tool} answer did not fit in max_tokens (${maxTokens}) and was cut off; nothing of it was used (raise ANTHROPIC_MAX_TOKENS).`,
    );
  }
}

/** The credential may not do this: a scope it lacks, or an end user it is not bound to. */
export class ForbiddenError extends MemgateError {
  readonly code = 'FORBIDDEN' as const;
}

/** Past a per-minute limit (a credential's calls, an end user's, an address's failed logins). */
export class RateLimitedError extends MemgateError {
  readonly code = 'RATE_LIMITED' as const;
  /** Whole seconds until the window resets (at least 1). */
  readonly retryAfter: number;
  constructor(what: string, retryAfterMs: number) {
    const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super(`Too many requests for ${what}; retry after ${retryAfter} s.`);
    this.retryAfter = retryAfter;
  }
}

/** A credential or an end user already holds as many open subscriptions as this instance allows. */
export class SubscriptionLimitError extends MemgateError {
  readonly code = 'SUBSCRIPTION_LIMIT_REACHED' as const;
  constructor(
    what: string,
    readonly limit: number,
  ) {
    super(`Too many open subscriptions for ${what} (at most ${limit} at once): close one before opening another.`);
  }
}

/** One request asked for more expensive calls (embeddings, model calls) than it may. */
export class CostLimitError extends MemgateError {
  readonly code = 'COST_LIMIT_EXCEEDED' as const;
  constructor(readonly limit: number) {
    super(
      `One request may ask for at most ${limit} searches, writes and model calls (batched operations and aliases included).`,
    );
  }
}

/** The credential is missing, unknown, revoked or expired — or stopped working during a subscription. */
export class UnauthenticatedError extends MemgateError {
  readonly code = 'UNAUTHENTICATED' as const;
  constructor(
    message: string,
    /** What to fix: MISSING, MALFORMED, KEY_NOT_VALID, TOKEN_EXPIRED, TOKEN_NOT_VALID, ENDED (a subscription's credential stopped working). */
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** The credential could not be checked (the database failed): retry, it was not refused. */
export class ServiceUnavailableError extends MemgateError {
  readonly code = 'SERVICE_UNAVAILABLE' as const;
}

/**
 * Why a webhook attempt failed, as a tenant may read it in `lastError`: the class of failure, never
 * an address or a resolver's message (those map the gateway's network).
 */
export class WebhookDeliveryFailure extends Error {}

/** A conversation job was taken over by another instance: this one must not commit. */
export class LeaseLostError extends Error {
  constructor() {
    super('The job was taken over by another instance after its lease expired.');
  }
}

/** An environment variable is missing or malformed; the message names it. */
export class ConfigError extends Error {}

/** DATABASE_URL is wrong in one of the usual ways; the message says how to fix it. */
export class DatabaseStartupError extends Error {}

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The data directory ${dataDir} is in use by process ${pid} (a running gateway or command). ` +
        'PGlite allows one process at a time: stop that process first, or use DATABASE_URL for a shared PostgreSQL.',
    );
    this.name = 'DataDirInUseError';
  }
}

export class TenantNameError extends Error {}

/** A command line was malformed: exits 64 (EX_USAGE) with `help`, the usage to show. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly help?: string,
  ) {
    super(message);
  }
}

/** A command could not do what was asked (exit 1). */
export class CommandError extends Error {}

/** An import stopped part-way (a signal): what was acknowledged stays written. */
export class ImportInterruptedError extends Error {}
