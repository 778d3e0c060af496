import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLEnumType } from 'graphql';
import { memgateClient, mintEndUserToken, myMemories } from '../examples/typed-client/client.js';
import generated from '../examples/typed-client/gql/possible-types.js';
import { schema } from '../src/schema/index.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import {
  ConflictError,
  EmbeddingUnavailableError,
  LlmFailedError,
  LlmNotConfiguredError,
  NotFoundError,
  ValidationError,
} from '../src/errors.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Apollo Client 4 as a frontend sets it up, talking to the gateway through `fetch`. */
describe.each(databaseKinds)('Apollo Client against the gateway on %s', (kind) => {
  let t: TestGateway;
  /** Every request body Apollo sent, parsed. */
  const sent: any[] = [];
  const fetchThroughGateway: typeof fetch = async (url, init) => {
    if (init?.body) sent.push(JSON.parse(String(init.body)));
    else sent.push(Object.fromEntries(new URL(String(url)).searchParams));
    return t.gateway.fetch(String(url), init as RequestInit);
  };
  const client = (options: { possibleTypes?: boolean; link?: ApolloLink; credential?: string } = {}) => {
    const http = new HttpLink({
      uri: 'http://memgate.test/graphql',
      fetch: fetchThroughGateway,
      headers: { authorization: `Bearer ${options.credential ?? t.tenants.acme.apiKey}` },
    });
    return new ApolloClient({
      link: options.link ? options.link.concat(http) : http,
      cache: new InMemoryCache(options.possibleTypes === false ? {} : { possibleTypes: generated.possibleTypes }),
    });
  };

  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());
  beforeEach(() => {
    sent.length = 0;
  });

  const REFUSED_ADD = gql`
    mutation RefusedAdd {
      addMemory(input: { externalUserId: "apollo@example.com", content: "   " }) {
        __typename
        ... on ValidationError {
          field
        }
        ... on Error {
          code
          message
        }
      }
    }
  `;

  test("with the generated possibleTypes, Apollo's cache keeps the fields of `... on Error`; without them it drops them", async () => {
    const { data } = await client().mutate<any>({ mutation: REFUSED_ADD });
    expect(data.addMemory).toEqual({
      __typename: 'ValidationError',
      field: 'content',
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/content/),
    });
    // What the issue saw: the interface fragment cannot be matched, code and message vanish.
    const { data: bare } = await client({ possibleTypes: false }).mutate<any>({ mutation: REFUSED_ADD });
    expect(bare.addMemory).toEqual({ __typename: 'ValidationError', field: 'content' });
  });

  test("subscriptions over Apollo's multipart HTTP protocol: HttpLink alone receives each change with its memory, and nothing of another end user", async () => {
    const received: any[] = [];
    const failures: unknown[] = [];
    const subscription = client()
      .subscribe<any>({
        query: gql`
          subscription {
            memoryEvents(externalUserId: "multi@example.com") {
              kind
              newContent
              memory {
                content
              }
            }
          }
        `,
      })
      .subscribe({ next: (result) => void received.push(result.data), error: (error) => void failures.push(error) });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await t.request(
        `mutation { addMemory(input: { externalUserId: "someone@example.com", content: "Not for this subscriber" }) { __typename } }`,
      );
      await t.request(
        `mutation { addMemory(input: { externalUserId: "multi@example.com", content: "Multipart reaches Apollo" }) { __typename } }`,
      );
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(failures).toEqual([]);
      expect(received).toEqual([
        {
          memoryEvents: {
            __typename: 'MemoryEvent',
            kind: 'CREATED',
            newContent: 'Multipart reaches Apollo',
            memory: { __typename: 'Memory', content: 'Multipart reaches Apollo' },
          },
        },
      ]);
    } finally {
      subscription.unsubscribe();
    }
  });

  test('every typed error code is a value of the ErrorCode enum', () => {
    const values = (schema.getType('ErrorCode') as GraphQLEnumType).getValues().map((value) => value.name);
    const codes = [
      new ValidationError('x', 'x'),
      new NotFoundError('x'),
      new ConflictError('x'),
      new EmbeddingUnavailableError('x'),
      new LlmNotConfiguredError(),
      new LlmFailedError('x'),
    ].map((error) => error.code);
    expect(values.sort()).toEqual([...new Set(codes)].sort());
  });

  test("automatic persisted queries: Apollo's link sends the hash alone, falls back to the document on a miss, then needs only the hash", async () => {
    const apollo = client({ link: new PersistedQueryLink({ sha256 }) });
    await apollo.mutate({
      mutation: gql`
        mutation {
          addMemory(input: { externalUserId: "apq@example.com", content: "Persisted queries save bytes" }) {
            __typename
          }
        }
      `,
    });
    const LIST = gql`
      query ApqList {
        memories(externalUserId: "apq@example.com") {
          ... on MemoryConnection {
            totalCount
          }
        }
      }
    `;
    sent.length = 0;
    const first = await apollo.query<any>({ query: LIST, fetchPolicy: 'network-only' });
    expect(first.data.memories.totalCount).toBe(1);
    // A miss (hash alone), then the document with its hash.
    expect(sent.map((body) => [typeof body.query, body.extensions?.persistedQuery?.version])).toEqual([
      ['undefined', 1],
      ['string', 1],
    ]);
    sent.length = 0;
    // A second client (another browser tab): the hash alone is enough now.
    const again = await client({ link: new PersistedQueryLink({ sha256 }) }).query<any>({
      query: LIST,
      fetchPolicy: 'network-only',
    });
    expect(again.data.memories.totalCount).toBe(1);
    expect(sent).toHaveLength(1);
    expect(sent[0].query).toBeUndefined();
  });

  test('persisted query protocol errors: a hash that does not match its document, and a malformed extension, run nothing', async () => {
    const post = (body: unknown) =>
      t.gateway.fetch('http://memgate.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tenants.acme.apiKey}` },
        body: JSON.stringify(body),
      });
    const add =
      'mutation { addMemory(input: { externalUserId: "apq-bad@example.com", content: "should not be stored" }) { __typename } }';
    const mismatch = await post({
      query: add,
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ __typename }') } },
    });
    expect(mismatch.status).toBe(400);
    expect((await mismatch.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
    const malformed = await post({ extensions: { persistedQuery: { version: 2, sha256Hash: 'abc' } } });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_INVALID');
    const unknown = await post({
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256('query { never sent }') } },
    });
    expect(await unknown.json()).toMatchObject({
      errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
    });
    expect(await t.db.prisma.memory.count({ where: { externalUserId: 'apq-bad@example.com' } })).toBe(0);
  });

  test('the typed urql client with persisted queries works against a default gateway (it falls back to the document once)', async () => {
    const url = 'http://memgate.test/graphql';
    const viaGateway = { fetch: fetchThroughGateway };
    const token = await mintEndUserToken(memgateClient(url, t.tenants.acme.apiKey, viaGateway), 'hashes@example.com');
    const me = myMemories(memgateClient(url, token, { persistedQueries: true, ...viaGateway }));
    const added = await me.remember('Hashes and a plain gateway get along');
    expect((await me.recent(5)).edges.map((edge) => edge.node.id)).toEqual([added.id]);
    sent.length = 0;
    expect((await me.recent(5)).edges.map((edge) => edge.node.id)).toEqual([added.id]);
    expect(sent.map((body) => [body.query, body.extensions.persistedQuery.version])).toEqual([[undefined, 1]]);
  });

  test('memory(id:) takes the plain UUIDs an export prints as well as global ids', async () => {
    const { data } = await client().mutate<any>({
      mutation: gql`
        mutation {
          addMemory(input: { externalUserId: "ids@example.com", content: "One id form everywhere" }) {
            ... on AddedMemory {
              memory {
                id
              }
            }
          }
        }
      `,
    });
    const exported = (
      await t.request(`{ exportEndUser(externalUserId: "ids@example.com") { ... on EndUserExport { document } } }`)
    ).data.exportEndUser.document;
    const plainId = exported.memories[0].id;
    expect(plainId).toMatch(/^[0-9a-f-]{36}$/);
    const MEMORY = `query($id: ID!) { memory(externalUserId: "ids@example.com", id: $id) { __typename ... on Memory { id content } } }`;
    const byPlain = (await t.request(MEMORY, { id: plainId })).data.memory;
    expect(byPlain).toEqual({ __typename: 'Memory', id: data.addMemory.memory.id, content: 'One id form everywhere' });
    expect((await t.request(MEMORY, { id: plainId.toUpperCase() })).data.memory.id).toBe(data.addMemory.memory.id);
    // Another end user's memory stays out of reach by either form.
    const OTHER = `query($id: ID!) { memory(externalUserId: "someone-else@example.com", id: $id) { __typename } }`;
    expect((await t.request(OTHER, { id: plainId })).data.memory.__typename).toBe('NotFoundError');
    expect((await t.request(OTHER, { id: data.addMemory.memory.id })).data.memory.__typename).toBe('NotFoundError');
  });
});
