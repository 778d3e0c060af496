/** Expected failures. The GraphQL layer exposes each as a typed error with a stable code. */
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
