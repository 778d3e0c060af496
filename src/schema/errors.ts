import { builder } from './builder.js';
import {
  ConflictError,
  EmbeddingUnavailableError,
  ERROR_CODES,
  NotFoundError,
  RESULT_CODES,
  ValidationError,
} from '../errors.js';

/** The codes of the typed errors fields answer with (GraphQL-level errors carry theirs in `extensions.code`). */
export type ErrorCodeValue = (typeof RESULT_CODES)[number];

const ErrorCode = builder.enumType('ErrorCode', {
  description: 'Stable codes of the typed errors. New ones may be added: treat an unknown code as a generic failure.',
  values: Object.fromEntries(RESULT_CODES.map((code) => [code, { description: ERROR_CODES[code] }])) as Record<
    ErrorCodeValue,
    { description: string }
  >,
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
