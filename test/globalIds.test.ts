import { readFileSync } from 'node:fs';
import { buildSchema, getNamedType, isObjectType, isInterfaceType } from 'graphql';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { uuidOf } from './support/ids.js';
import { serve, wsResult } from './support/served.js';

/**
 * One id style: every id a client is given names its type (a global id), every id it passes back
 * may be that global id or the plain UUID of earlier versions, and `node(id)` finds every object
 * that has one — for whoever may see it, and for nobody else.
 */

/** Every ID field of the schema and what its value names. A new ID field must be listed here. */
const ID_FIELDS: Record<string, string> = {
  'ApiKey.id': 'ApiKey',
  'ChangeActor.apiKeyId': 'ApiKey',
  'ConversationJob.id': 'ConversationJob',
  'DeletedMemory.deletedMemoryId': 'Memory',
  'DeletedWebhookEndpoint.id': 'WebhookEndpoint',
  'Entity.id': 'Entity',
  'Memory.id': 'Memory',
  'MemoryChange.memoryId': 'Memory',
  'MemoryEvent.conversationId': 'ConversationJob',
  'MemoryEvent.id': 'MemoryEvent',
  'MemoryEvent.memoryId': 'Memory',
  'Node.id': 'any',
  'Relation.id': 'Relation',
  'Tenant.id': 'Tenant',
  'WebhookDelivery.eventId': 'the webhook-id header (Standard Webhooks)',
  'WebhookDelivery.id': 'WebhookDelivery',
  'WebhookEndpoint.id': 'WebhookEndpoint',
};

test('every ID field of the schema is listed with what it names', () => {
  const schema = buildSchema(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
  const found = Object.values(schema.getTypeMap()).flatMap((type) =>
    (isObjectType(type) || isInterfaceType(type)) && !type.name.startsWith('__')
      ? Object.values(type.getFields())
          .filter((field) => getNamedType(field.type).name === 'ID')
          .map((field) => `${type.name}.${field.name}`)
      : [],
  );
  expect(found.sort()).toEqual(Object.keys(ID_FIELDS).sort());
});

const typeOf = (id: string) => Buffer.from(id, 'base64').toString('utf8').split(':')[0];

describe.each(databaseKinds)('global ids on %s', (kind) => {
  let t: TestGateway;
  const seen: Record<string, string> = {};
  let readOnlyKey = '';

  beforeAll(async () => {
    t = await startTestGateway(kind);
    const endpoint = await t.request(
      `mutation { createWebhookEndpoint(url: "https://hooks.example.com/memgate", events: [MEMORY_CREATED, MEMORY_UPDATED]) {
        ... on NewWebhookEndpoint { endpoint { id } } } }`,
    );
    seen['WebhookEndpoint.id'] = endpoint.data.createWebhookEndpoint.endpoint.id;
    const added = await t.request(
      `mutation { addMemory(input: { externalUserId: "ids-ann", content: "Ann likes tea" }) { ... on AddedMemory { memory { id entities { id } } } } }`,
    );
    seen['Memory.id'] = added.data.addMemory.memory.id;
    seen['Entity.id'] = added.data.addMemory.memory.entities[0].id;
    const updated = await t.request(
      `mutation($id: ID!) { updateMemory(input: { externalUserId: "ids-ann", id: $id, content: "Ann likes green tea" }) {
        ... on Memory { history { id memoryId actor { apiKeyId } } } } }`,
      { id: seen['Memory.id'] },
    );
    const [, update] = updated.data.updateMemory.history;
    Object.assign(seen, {
      'MemoryEvent.id': update.id,
      'MemoryEvent.memoryId': update.memoryId,
      'ChangeActor.apiKeyId': update.actor.apiKeyId,
    });
    // Without Claude an ASYNC conversation waits as a PENDING job: enough to have its id.
    const job = await t.request(
      `mutation { rememberConversation(input: { externalUserId: "ids-ann", mode: ASYNC, messages: [{ role: USER, content: "I moved" }] }) {
        ... on ConversationJob { id } } }`,
    );
    seen['ConversationJob.id'] = job.data.rememberConversation.id;
    const created = await t.request(
      `mutation { createApiKey(name: "reader", scopes: [READ]) { ... on NewApiKey { apiKey key { id } } } }`,
    );
    readOnlyKey = created.data.createApiKey.apiKey;
    seen['ApiKey.id'] = created.data.createApiKey.key.id;
    const listed = await t.request(`{ viewer { tenant { id } } webhookEndpoints { deliveries { id eventId } } }`);
    seen['Tenant.id'] = listed.data.viewer.tenant.id;
    seen['WebhookDelivery.id'] = listed.data.webhookEndpoints[0].deliveries[0].id;
    seen['WebhookDelivery.eventId'] = listed.data.webhookEndpoints[0].deliveries[0].eventId;
  });
  afterAll(() => t.close());

  test('each id a client is given names the type of what it identifies', () => {
    for (const [field, value] of Object.entries(seen)) {
      if (field === 'WebhookDelivery.eventId') expect(value).toMatch(/^[0-9a-f-]{36}$/);
      else expect([field, typeOf(value)]).toEqual([field, ID_FIELDS[field]]);
    }
  });

  const NODE = `query($id: ID!) { node(id: $id) { __typename id
    ... on Memory { content } ... on ConversationJob { status } ... on ApiKey { name } ... on WebhookEndpoint { url } } }`;

  test('node(id) finds a memory, a job, a key and an endpoint for the tenant, and nothing for another tenant', async () => {
    const expected = {
      'Memory.id': { __typename: 'Memory', content: 'Ann likes green tea' },
      'ConversationJob.id': { __typename: 'ConversationJob', status: 'PENDING' },
      'ApiKey.id': { __typename: 'ApiKey', name: 'reader' },
      'WebhookEndpoint.id': { __typename: 'WebhookEndpoint', url: 'https://hooks.example.com/memgate' },
    };
    for (const [field, shown] of Object.entries(expected)) {
      const id = seen[field];
      expect((await t.request(NODE, { id })).data.node).toEqual({ ...shown, id });
      const foreign = await t.request(NODE, { id }, t.tenants.globex.apiKey);
      expect([field, foreign.data.node]).toEqual([field, null]);
    }
  });

  test('over WebSocket too: the same objects for the tenant, nothing for another tenant or a READ-only key', async () => {
    const served = await serve(t);
    const over = async (credential: string, id: string) => {
      const client = served.ws(credential);
      const { results } = await wsResult(client, NODE, { id });
      await client.dispose();
      return results[0] as { data?: { node: unknown }; errors?: { extensions?: { code?: string } }[] };
    };
    try {
      for (const field of ['Memory.id', 'ConversationJob.id', 'ApiKey.id', 'WebhookEndpoint.id']) {
        const id = seen[field];
        expect([field, (await over(t.tenants.acme.apiKey, id)).data?.node]).toEqual([
          field,
          expect.objectContaining({ id }),
        ]);
        expect([field, (await over(t.tenants.globex.apiKey, id)).data?.node]).toEqual([field, null]);
      }
      for (const field of ['ApiKey.id', 'WebhookEndpoint.id']) {
        const refused = await over(readOnlyKey, seen[field]);
        expect([field, refused.errors?.[0]?.extensions?.code]).toEqual([field, 'FORBIDDEN']);
      }
    } finally {
      await served.close();
    }
  });

  test('a job is found by the end user’s token, not another’s; keys and endpoints need ADMIN', async () => {
    const token = async (user: string) =>
      (
        await t.request(
          `mutation($user: String!) { createEndUserToken(externalUserId: $user) { ... on EndUserToken { token } } }`,
          { user },
        )
      ).data.createEndUserToken.token;
    const job = seen['ConversationJob.id'];
    expect((await t.request(NODE, { id: job }, await token('ids-ann'))).data.node.status).toBe('PENDING');
    expect((await t.request(NODE, { id: job }, await token('ids-bob'))).data.node).toBeNull();
    for (const field of ['ApiKey.id', 'WebhookEndpoint.id']) {
      const refused = await t.request(NODE, { id: seen[field] }, readOnlyKey);
      expect([field, refused.data.node, refused.errors?.[0]?.extensions?.code]).toEqual([field, null, 'FORBIDDEN']);
    }
  });

  test('ids passed back may be global or the plain UUIDs of earlier versions; anything else is a ValidationError', async () => {
    const JOB = `query($id: ID!) { job(externalUserId: "ids-ann", id: $id) { __typename ... on ConversationJob { id } ... on ValidationError { field message } } }`;
    const job = seen['ConversationJob.id'];
    expect((await t.request(JOB, { id: job })).data.job).toEqual({ __typename: 'ConversationJob', id: job });
    expect((await t.request(JOB, { id: uuidOf(job) })).data.job).toEqual({ __typename: 'ConversationJob', id: job });
    for (const wrong of [seen['Memory.id'], 'not-an-id', Buffer.from('ConversationJob:42').toString('base64')]) {
      expect((await t.request(JOB, { id: wrong })).data.job).toEqual({
        __typename: 'ValidationError',
        field: 'id',
        message: 'id is not the id of a conversation job issued by this API.',
      });
    }
    const restore = await t.request(
      `mutation($id: ID!, $event: ID) { restoreMemory(input: { externalUserId: "ids-ann", id: $id, eventId: $event }) { __typename ... on Memory { content } } }`,
      { id: uuidOf(seen['Memory.id']), event: seen['MemoryEvent.id'] },
    );
    expect(restore.data.restoreMemory).toEqual({ __typename: 'Memory', content: 'Ann likes tea' });
    const replay = `mutation($id: ID, $endpoint: ID, $event: ID) { replayWebhookDelivery(id: $id, endpointId: $endpoint, eventId: $event) {
      __typename ... on WebhookDelivery { id } ... on ValidationError { field } } }`;
    const delivery = seen['WebhookDelivery.id'];
    expect((await t.request(replay, { id: delivery })).data.replayWebhookDelivery.id).toBe(delivery);
    const deprecated = { endpoint: uuidOf(seen['WebhookEndpoint.id']), event: seen['WebhookDelivery.eventId'] };
    expect((await t.request(replay, deprecated)).data.replayWebhookDelivery.id).toBe(delivery);
    expect((await t.request(replay, { id: seen['WebhookEndpoint.id'] })).data.replayWebhookDelivery).toEqual({
      __typename: 'ValidationError',
      field: 'id',
    });
    const revoke = `mutation($id: ID!) { revokeApiKey(id: $id) { __typename ... on ApiKey { id } } }`;
    expect((await t.request(revoke, { id: 'nope' })).data.revokeApiKey.__typename).toBe('ValidationError');
    const revoked = await t.request(revoke, { id: uuidOf(seen['ApiKey.id']) });
    expect(revoked.data.revokeApiKey).toEqual({ __typename: 'ApiKey', id: seen['ApiKey.id'] });
  });
});
