import { once } from 'node:events';
import WebSocket from 'ws';
import { generateApiKey } from '../src/auth/apiKey.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { serve } from './support/served.js';

/** Every state a credential can be in, what the client is told, over HTTP, WebSocket and MCP. */
describe.each(databaseKinds)('credential refusals on %s', (kind) => {
  let t: TestGateway;
  let base: string;
  let close: () => Promise<void>;
  const credentials: Record<string, { authorization: string | null; reason: string; says: RegExp }> = {};

  beforeAll(async () => {
    t = await startTestGateway(kind);
    const served = await serve(t);
    base = new URL(served.graphqlUrl).host;
    close = () => served.close();
    const admin = t.tenants.acme.apiKey;
    const mint = async (ttlSeconds: number, key = admin) =>
      (
        await t.request(
          `mutation($ttl: Int) { createEndUserToken(externalUserId: "rita", ttlSeconds: $ttl) { ... on EndUserToken { token } } }`,
          { ttl: ttlSeconds },
          key,
        )
      ).data.createEndUserToken.token as string;
    const revoked = (
      await t.request(
        `mutation { createApiKey(name: "doomed", scopes: [READ]) { ... on NewApiKey { apiKey key { id } } } }`,
      )
    ).data.createApiKey;
    await t.request(`mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }`, { id: revoked.key.id });
    const expiring = await mint(1);
    const valid = await mint(600);
    const rotatedAway = await mint(600);
    await t.request(`mutation { rotateEndUserTokenSecret { __typename } }`);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    Object.assign(credentials, {
      'no header': { authorization: null, reason: 'MISSING', says: /No credential: send "Authorization: Bearer/ },
      'a Basic header': { authorization: 'Basic YWxpY2U6c2VjcmV0', reason: 'MALFORMED', says: /must be "Bearer/ },
      'a mistyped key': { authorization: `Bearer ${admin.slice(0, -3)}`, reason: 'MALFORMED', says: /not an API key/ },
      'an unknown key': {
        authorization: `Bearer ${generateApiKey()}`,
        reason: 'KEY_NOT_VALID',
        says: /API key is not valid/,
      },
      'a revoked key': {
        authorization: `Bearer ${revoked.apiKey}`,
        reason: 'KEY_NOT_VALID',
        says: /API key is not valid/,
      },
      'an expired token': {
        authorization: `Bearer ${expiring}`,
        reason: 'TOKEN_EXPIRED',
        says: /token expired at .*mint a new one/,
      },
      'a tampered token': {
        authorization: `Bearer ${valid.slice(0, -2)}${valid.endsWith('AA') ? 'BB' : 'AA'}`,
        reason: 'TOKEN_NOT_VALID',
        says: /not signed by this gateway/,
      },
      'a token of a rotated secret': {
        authorization: `Bearer ${rotatedAway}`,
        reason: 'TOKEN_NOT_VALID',
        says: /token was revoked/,
      },
      'a cut-short token': {
        authorization: `Bearer ${valid.slice(0, 30)}`,
        reason: 'MALFORMED',
        says: /token is malformed/,
      },
    });
  });
  afterAll(async () => {
    await close();
    await t.close();
  });

  const states = [
    'no header',
    'a Basic header',
    'a mistyped key',
    'an unknown key',
    'a revoked key',
    'an expired token',
    'a tampered token',
    'a token of a rotated secret',
    'a cut-short token',
  ];

  test.each(states)('%s: HTTP answers 401 UNAUTHENTICATED with the reason and what to do', async (state) => {
    const { authorization, reason, says } = credentials[state];
    const response = await fetch(`http://${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query: '{ viewer { scopes } }' }),
    });
    expect(response.status).toBe(401);
    const [error] = ((await response.json()) as { errors: { message: string; extensions: any }[] }).errors;
    expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
    expect(error.message).toMatch(says);
  });

  test.each(states)('%s: MCP answers 401 with the code, the reason and the same message', async (state) => {
    const { authorization, reason, says } = credentials[state];
    const response = await fetch(`http://${base}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(authorization ? { authorization } : {}),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(401);
    const { error } = (await response.json()) as { error: { message: string; data: any } };
    expect(error.message).toMatch(/^UNAUTHENTICATED: /);
    expect(error.message).toMatch(says);
    expect(error.data).toEqual({ code: 'UNAUTHENTICATED', reason });
  });

  test.each(states)('%s: WebSocket closes 4403 naming the code and the reason', async (state) => {
    const { authorization, reason } = credentials[state];
    const socket = new WebSocket(`ws://${base}/graphql`, 'graphql-transport-ws');
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: authorization ? { authorization } : {} }));
    const [code, why] = (await once(socket, 'close')) as [number, Buffer];
    expect(code).toBe(4403);
    expect(why.toString()).toMatch(new RegExp(`^UNAUTHENTICATED \\(${reason}\\): `));
  });

  test('an unknown key and a revoked one get the same answer: nobody learns whether a key exists', async () => {
    const answer = async (state: string) => {
      const response = await fetch(`http://${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: credentials[state].authorization! },
        body: JSON.stringify({ query: '{ viewer { scopes } }' }),
      });
      return { status: response.status, body: await response.json() };
    };
    expect(await answer('an unknown key')).toEqual(await answer('a revoked key'));
  });
});
