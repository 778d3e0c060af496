import { ConflictError, MemgateError, NotFoundError, ValidationError } from '../memory/errors.js';
import { builder } from './builder.js';

export const ErrorInterface = builder.interfaceRef<MemgateError>('Error').implement({
  description: 'An expected failure. `code` is stable; `message` is for people.',
  fields: (t) => ({
    code: t.exposeString('code'),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input was refused and nothing was written. `field` names the offending input.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({ field: t.exposeString('field') }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'Nothing with this id exists for this end user (or it belongs to someone else).',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The request conflicts with stored data, e.g. a reused idempotency key. Nothing was written.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ConflictError,
});

export { ConflictError, NotFoundError, ValidationError };
