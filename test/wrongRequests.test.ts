import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ERROR_CODES } from '../src/errors.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { serve } from './support/served.js';

/**
 * Wrong requests as a developer sends them while learning the API: each answer carries a code of
 * the one list (ERROR_CODES) and a message a person can act on. (Credentials: credentialErrors.test.ts.)
 */
const q = (query: string, variables?: unknown, operationName?: string) =>
  JSON.stringify({ query, variables, operationName });
const ADD = 'mutation($i: AddMemoryInput!) { addMemory(input: $i) { __typename } }';

const HTTP_CASES: {
  name: string;
  status: number;
  body?: string;
  method?: string;
  path?: string;
  contentType?: string;
  code: keyof typeof ERROR_CODES;
  says: RegExp;
}[] = [
  {
    name: 'a string for an Int variable',
    status: 400,
    body: q('query($n: Int) { memories(externalUserId: "a", first: $n) { __typename } }', { n: 'x' }),
    code: 'BAD_USER_INPUT',
    says: /\$n.*Int/,
  },
  {
    name: 'a list for JSON metadata',
    status: 400,
    body: q(ADD, { i: { externalUserId: 'a', content: 'x', metadata: [1, 2] } }),
    code: 'BAD_USER_INPUT',
    says: /metadata/,
  },
  {
    name: 'a missing required variable',
    status: 400,
    body: q('query($u: String!) { endUser(externalUserId: $u) { __typename } }'),
    code: 'BAD_USER_INPUT',
    says: /\$u.*not provided/,
  },
  {
    name: 'a variable of an unknown input field',
    status: 400,
    body: q(ADD, { i: { externalUserId: 'a', content: 'x', colour: 'red' } }),
    code: 'BAD_USER_INPUT',
    says: /colour/,
  },
  {
    name: 'too many aliases',
    status: 200,
    body: q(`{ ${Array.from({ length: 30 }, (_, i) => `a${i}: viewer { scopes }`).join(' ')} }`),
    code: 'GRAPHQL_VALIDATION_FAILED',
    says: /Aliases limit of 20/,
  },
  {
    name: 'too deep a document',
    status: 200,
    body: q(`{ viewer { ${'tenant { '.repeat(12)} name ${'} '.repeat(12)} } }`),
    code: 'GRAPHQL_VALIDATION_FAILED',
    says: /./,
  },
  {
    name: 'an unknown field',
    status: 200,
    body: q('{ nope }'),
    code: 'GRAPHQL_VALIDATION_FAILED',
    says: /Cannot query field "nope"/,
  },
  {
    name: 'a document cut short',
    status: 200,
    body: q('{ viewer { '),
    code: 'GRAPHQL_PARSE_FAILED',
    says: /Syntax Error/,
  },
  {
    name: 'a text/plain body',
    status: 415,
    body: q('{ __typename }'),
    contentType: 'text/plain',
    code: 'UNSUPPORTED_MEDIA_TYPE',
    says: /send application\/json/,
  },
  { name: 'a body that is not JSON', status: 400, body: '{"query": ', code: 'BAD_REQUEST', says: /invalid JSON/ },
  { name: 'no query', status: 200, body: '{}', code: 'BAD_REQUEST', says: /Must provide query string/ },
  {
    name: 'a mutation by GET',
    status: 405,
    method: 'GET',
    path: `/graphql?query=${encodeURIComponent('mutation { deleteEndUser(externalUserId: "a") { __typename } }')}`,
    code: 'BAD_REQUEST',
    says: /POST/,
  },
  { name: 'PUT', status: 405, method: 'PUT', body: q('{ __typename }'), code: 'BAD_REQUEST', says: /GET and POST/ },
  {
    name: 'variables as a list',
    status: 400,
    body: JSON.stringify({ query: '{ __typename }', variables: [1] }),
    code: 'BAD_REQUEST',
    says: /variables/,
  },
  {
    name: 'two operations and no operationName',
    status: 400,
    body: q('query A { __typename } query B { __typename }'),
    code: 'OPERATION_RESOLUTION_FAILURE',
    says: /operation/,
  },
  {
    name: 'a batch of twelve',
    status: 413,
    body: JSON.stringify(Array.from({ length: 12 }, () => ({ query: '{ __typename }' }))),
    code: 'BAD_REQUEST',
    says: /limited to 10/,
  },
  {
    name: 'a hash-only persisted query never sent',
    status: 200,
    body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
    code: 'PERSISTED_QUERY_NOT_FOUND',
    says: /PersistedQueryNotFound/,
  },
  {
    name: 'a malformed persisted-query extension',
    status: 400,
    body: JSON.stringify({ extensions: { persistedQuery: { version: 2 } } }),
    code: 'PERSISTED_QUERY_INVALID',
    says: /version 1/,
  },
  {
    name: 'a NUL in a string argument',
    status: 400,
    body: q('{ searchMemories(externalUserId: "a", query: "x\\u0000y") { __typename } }'),
    code: 'BAD_USER_INPUT',
    says: /NUL/,
  },
];

/** The cases about the document or its variables, which a WebSocket operation carries too. */
const OVER_WEBSOCKET = [
  'a string for an Int variable',
  'a list for JSON metadata',
  'a missing required variable',
  'a variable of an unknown input field',
  'too many aliases',
  'too deep a document',
  'an unknown field',
  'a document cut short',
  'two operations and no operationName',
  'a NUL in a string argument',
];

describe('wrong requests get a code from the list and a message to act on', () => {
  let t: TestGateway;
  let base: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    t = await startTestGateway('pglite');
    const served = await serve(t);
    base = new URL(served.graphqlUrl).host;
    close = () => served.close();
  });
  afterAll(async () => {
    await close();
    await t.close();
  });

  test.each(HTTP_CASES)('over HTTP: $name → $code', async ({ body, method, path, contentType, code, says, status }) => {
    const response = await fetch(`http://${base}${path ?? '/graphql'}`, {
      method: method ?? 'POST',
      headers: { 'content-type': contentType ?? 'application/json', authorization: `Bearer ${t.tenants.acme.apiKey}` },
      body: method === 'GET' ? undefined : body,
    });
    const answer = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(answer.errors[0].extensions.code).toBe(code);
    expect(Object.keys(ERROR_CODES)).toContain(answer.errors[0].extensions.code);
    expect(answer.errors[0].message).toMatch(says);
    // Statuses as the GraphQL-over-HTTP spec has them for application/json answers: 200 for a document
    // that does not validate, 4xx for a request that is not a GraphQL request or has bad variables.
    expect(response.status).toBe(status);
  });

  test.each(HTTP_CASES.filter(({ name }) => OVER_WEBSOCKET.includes(name)))(
    'over WebSocket: $name → $code',
    async ({ body, code }) => {
      const { query, variables, operationName } = JSON.parse(body!);
      const client = createClient({
        url: `ws://${base}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${t.tenants.acme.apiKey}` },
      });
      try {
        const outcome = await new Promise<any>((resolve) =>
          client.subscribe(
            { query, variables, operationName },
            { next: resolve, error: resolve, complete: () => resolve(null) },
          ),
        );
        const errors = Array.isArray(outcome) ? outcome : outcome?.errors;
        expect(errors?.[0]?.extensions?.code).toBe(code);
      } finally {
        await client.dispose();
      }
    },
  );
});
