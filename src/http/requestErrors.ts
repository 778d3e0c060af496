import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { ErrorCode } from '../errors.js';

/** What the GraphQL endpoint accepts in a POST body. */
const ACCEPTED_CONTENT_TYPES = ['application/json', 'application/graphql-response+json', 'multipart/form-data'];

/**
 * The code of an error raised before any field ran without one of its own: graphql-js's variable
 * coercion ('Variable "$n" got invalid value…', '…was not provided') and the document limits of
 * graphql-armor ('Syntax Error: Aliases limit of 20 exceeded…').
 */
function codeOf(error: { message: string }): ErrorCode {
  if (/^Variable "\$/.test(error.message)) return 'BAD_USER_INPUT';
  if (/^Syntax Error: .*(limit|exceeded)/i.test(error.message)) return 'GRAPHQL_VALIDATION_FAILED';
  if (/^Syntax Error/.test(error.message)) return 'GRAPHQL_PARSE_FAILED';
  return 'BAD_REQUEST';
}

/**
 * The error with a code of ERROR_CODES when it was raised without one before any field ran (an
 * error with a path is a resolver's, left for masking).
 */
export function withErrorCode<
  E extends GraphQLError | { message: string; path?: unknown; extensions?: Record<string, unknown> },
>(error: E): E {
  if (error.extensions?.code || error.path) return error;
  const extensions = { ...error.extensions, code: codeOf(error) };
  return (
    error instanceof GraphQLError
      ? new GraphQLError(error.message, {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          originalError: error.originalError,
          extensions,
        })
      : { ...error, extensions }
  ) as E;
}

function coded(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((error) => !error.extensions?.code)) return result;
  return { ...result, errors: result.errors.map(withErrorCode) };
}

/**
 * Every error the GraphQL endpoint answers carries a code of ERROR_CODES, whoever raised it; a body
 * of a content type it does not read is answered 415 with the types it does.
 */
export function requestErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (isAsyncIterable(result)) return;
      setResult(Array.isArray(result) ? result.map(coded) : coded(result));
    },
    onResponse({ request, response, setResponse }) {
      if (response.status !== 415) return;
      const sent = request.headers.get('content-type') ?? 'none';
      const body = JSON.stringify({
        errors: [
          {
            message: `The request body's Content-Type (${sent}) is not one this endpoint reads: send ${ACCEPTED_CONTENT_TYPES.join(', ')}.`,
            extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' satisfies ErrorCode, accepted: ACCEPTED_CONTENT_TYPES },
          },
        ],
      });
      const headers = new Headers(response.headers);
      headers.set('content-type', 'application/json; charset=utf-8');
      headers.set('accept-post', ACCEPTED_CONTENT_TYPES.join(', '));
      setResponse(new Response(body, { status: 415, headers }));
    },
  };
}
