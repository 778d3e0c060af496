/**
 * Every error Memgate throws on purpose, in one place.
 *
 * - `MemgateError`s are the expected failures of a request: the GraphQL layer answers each with a
 *   typed error carrying its stable `code` (schema/errors.ts), never as an internal error.
 * - The others stop a process or a command with one clear line for the operator.
 */

export abstract class MemgateError extends Error {
  abstract readonly code: string;
}

export class ValidationError extends MemgateError {
  readonly code = 'VALIDATION_FAILED';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends MemgateError {
  readonly code = 'NOT_FOUND';
}

export class ConflictError extends MemgateError {
  readonly code = 'CONFLICT';
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
  readonly code = 'EMBEDDING_UNAVAILABLE';
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
  readonly code = 'LLM_NOT_CONFIGURED';
  constructor() {
    super('Claude is not configured on this gateway: set ANTHROPIC_API_KEY.');
  }
}

/** The model could not be reached, refused, or answered outside the tool's schema. */
export class LlmFailedError extends MemgateError {
  readonly code = 'LLM_FAILED';
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
