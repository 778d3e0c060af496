import { builder } from './builder.js';
import { ConflictError, EmbeddingUnavailableError, NotFoundError, ValidationError } from '../errors.js';

/** The codes of the typed errors fields answer with (GraphQL-level errors carry theirs in `extensions.code`). */
const ERROR_CODES = {
  VALIDATION_FAILED: 'The input was refused; `field` names it. Nothing was written.',
  NOT_FOUND: "No such object for this end user (or it is someone else's).",
  CONFLICT: 'The request conflicts with stored data. Nothing was written.',
  EMBEDDING_UNAVAILABLE: 'The embedding model could not be reached or refused the text; retrying later is safe.',
  LLM_NOT_CONFIGURED: 'This gateway has no ANTHROPIC_API_KEY.',
  LLM_FAILED: 'Claude could not be reached, refused, or its answer was unusable; retrying later is safe.',
} as const;

export type ErrorCodeValue = keyof typeof ERROR_CODES;

const ErrorCode = builder.enumType('ErrorCode', {
  description: 'Stable codes of the typed errors. New ones may be added: treat an unknown code as a generic failure.',
  values: Object.fromEntries(
    Object.entries(ERROR_CODES).map(([code, description]) => [code, { description }]),
  ) as Record<ErrorCodeValue, { description: string }>,
});

export const ErrorInterface = builder.interfaceRef<{ code: string; message: string }>('Error').implement({
  description: 'An expected failure. `code` is stable; `message` is for people.',
  fields: (t) => ({
    code: t.field({ type: ErrorCode, resolve: (error) => error.code as ErrorCodeValue }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  authScopes: { public: true },
  name: 'ValidationError',
  description: 'The input was refused and nothing was written. `field` names the offending input.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({ field: t.exposeString('field') }),
});

/** Registers an error class with no fields beyond `code` and `message` as a schema type. */
export function plainErrorType(
  errorClass: new (...args: any[]) => Error & { code: string },
  name: string,
  description: string,
) {
  builder.objectType(errorClass, {
    authScopes: { public: true },
    name,
    description,
    interfaces: [ErrorInterface],
    isTypeOf: (value) => value instanceof errorClass,
  });
}

plainErrorType(
  NotFoundError,
  'NotFoundError',
  'Nothing with this id exists for this end user (or it belongs to someone else).',
);
plainErrorType(
  ConflictError,
  'ConflictError',
  'The request conflicts with stored data, e.g. a reused idempotency key. Nothing was written.',
);

plainErrorType(
  EmbeddingUnavailableError,
  'EmbeddingUnavailableError',
  'The embedding model could not be reached or refused the text. Nothing was written; retrying later is safe.',
);
