import { GraphQLError, type ExecutionResult } from 'graphql';
import { withErrorCode } from './requestErrors.js';
import { isAsyncIterable, maskError, type Plugin, type YogaServerOptions } from 'graphql-yoga';
import {
  CostLimitError,
  MemgateError,
  RateLimitedError,
  SubscriptionLimitError,
  UnauthenticatedError,
  ValidationError,
  type ErrorCode,
} from '../errors.js';

/** The HTTP status (and headers) a refusal is answered with when it fails the whole request. */
const HTTP: Partial<Record<ErrorCode, { status: number; headers?: (error: MemgateError) => Record<string, string> }>> =
  {
    UNAUTHENTICATED: { status: 401, headers: () => ({ 'WWW-Authenticate': 'Bearer' }) },
    RATE_LIMITED: {
      status: 429,
      headers: (error) => ({ 'Retry-After': String((error as RateLimitedError).retryAfter) }),
    },
    COST_LIMIT_EXCEEDED: { status: 400 },
    SUBSCRIPTION_LIMIT_REACHED: { status: 429 },
    SERVICE_UNAVAILABLE: { status: 503, headers: () => ({ 'Retry-After': '1' }) },
  };

/** A GraphQL error with a code of ERROR_CODES (errors.ts), for what the HTTP layer itself refuses. */
export function graphQLError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** An expected failure of a call (a MemgateError) as GraphQL answers it: its code, and what a client needs to act. */
export function toGraphQLError(error: MemgateError, located?: GraphQLError): GraphQLError {
  const http = HTTP[error.code];
  const extensions: Record<string, unknown> = { code: error.code };
  if (error instanceof RateLimitedError) extensions.retryAfter = error.retryAfter;
  if (error instanceof CostLimitError || error instanceof SubscriptionLimitError) extensions.limit = error.limit;
  if (error instanceof ValidationError) extensions.field = error.field;
  if (error instanceof UnauthenticatedError && error.reason) extensions.reason = error.reason;
  if (http) extensions.http = { status: http.status, headers: http.headers?.(error) };
  return new GraphQLError(error.message, {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
    originalError: error,
    extensions,
  });
}

function memgateErrorOf(error: unknown): MemgateError | undefined {
  if (error instanceof MemgateError) return error;
  const original = (error as GraphQLError | null)?.originalError;
  return original instanceof MemgateError ? original : undefined;
}

function withCodes(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((error) => memgateErrorOf(error) || !error.extensions?.code)) return result;
  const errors = result.errors.map((error) => {
    const expected = memgateErrorOf(error);
    return expected ? toGraphQLError(expected, error) : withErrorCode(error);
  });
  return { ...result, errors };
}

/**
 * Expected failures thrown by a call (FORBIDDEN, RATE_LIMITED, COST_LIMIT_EXCEEDED…) reach the
 * client with their code, in every GraphQL transport; anything else is masked (see maskErrors).
 */
export function expectedErrors(): Plugin {
  const done = ({
    result,
    setResult,
  }: {
    result: ExecutionResult | AsyncIterable<ExecutionResult>;
    setResult: (result: ExecutionResult) => void;
  }) => {
    if (!isAsyncIterable(result)) {
      setResult(withCodes(result));
      return;
    }
    return {
      onNext: ({
        result: next,
        setResult: setNext,
      }: {
        result: ExecutionResult;
        setResult: (result: ExecutionResult) => void;
      }) => setNext(withCodes(next)),
    };
  };
  return {
    onExecute: () => ({ onExecuteDone: done }),
    onSubscribe: () => ({
      onSubscribeResult: done,
      onSubscribeError: ({ error, setError }) => {
        const expected = memgateErrorOf(error);
        if (expected) setError(toGraphQLError(expected, error instanceof GraphQLError ? error : undefined));
      },
    }),
  };
}

/** Yoga's masking, but an expected failure that got past expectedErrors (a stream ending with one) keeps its code. */
export const maskErrors: NonNullable<
  Exclude<YogaServerOptions<object, object>['maskedErrors'], boolean>
>['maskError'] = (error, message, isDev) => {
  const expected = memgateErrorOf(error);
  if (!expected) return maskError(error, message, isDev);
  // Already answered with its code (expectedErrors): returned as it is, so that Yoga does not log it.
  if (error instanceof GraphQLError && error.extensions?.code === expected.code) return error;
  return toGraphQLError(expected, error instanceof GraphQLError ? error : undefined);
};
