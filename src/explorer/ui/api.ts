import type { TypedDocumentString } from './gql/graphql.js';

/** Runs one typed operation against this gateway; the explorer's only way to its data. */
export type Call = <TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
) => Promise<TResult>;

/** The gateway's GraphQL endpoint, next to this page (/explorer → /graphql, also behind a path prefix). */
const ENDPOINT = new URL('graphql', location.href).toString();

export function callerWith(key: string): Call {
  const authorization = /^Bearer /i.test(key) ? key : `Bearer ${key}`;
  return async (document, variables) => {
    const response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
    const body = (await response.json().catch(() => ({}))) as { data?: unknown; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join(' '));
    if (!body.data) throw new Error(`The gateway answered ${response.status} ${response.statusText}.`);
    return body.data as never;
  };
}

type Result = { __typename: string; message?: string };

/** The member of a result union that was asked for; an Error member's message is thrown. */
export function expect<T extends Result, K extends T['__typename']>(
  result: T,
  typename: K,
): Extract<T, { __typename: K }> {
  if (result.__typename !== typename) throw new Error(result.message ?? `Unexpected ${result.__typename}.`);
  return result as Extract<T, { __typename: K }>;
}
