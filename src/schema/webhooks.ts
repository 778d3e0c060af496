import { NotFoundError, ValidationError } from '../errors.js';
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryRecord,
  type WebhookEndpointRecord,
} from '../webhooks/tenantWebhooks.js';
import { deliveryGlobalId, globalId } from '../app/ids.js';
import { builder } from './builder.js';
import { PLAIN_UUIDS } from './ids.js';
import { operation } from './operations.js';

/** GraphQL enum values for the event types (memory.created → MEMORY_CREATED). */
const enumValue = (type: string) => type.replace('.', '_').toUpperCase();
const eventTypeOf = new Map(WEBHOOK_EVENT_TYPES.map((type) => [enumValue(type), type]));

const WebhookEventType = builder.enumType('WebhookEventType', {
  description:
    'What a webhook endpoint is told about; the payload `type` is the lower-case dotted form (MEMORY_CREATED: memory.created).',
  values: Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [enumValue(type), { value: enumValue(type), description: type }]),
  ),
});

const MEMORY_DATA =
  "Payloads carry the memory's content, tags and metadata and the change's reason (as the memory is after the change). False sends thin events — ids, kinds and statuses only — for a backend that fetches what it needs through the API.";

const DeliveryStatus = builder.enumType('WebhookDeliveryStatus', {
  values: ['PENDING', 'DELIVERED', 'FAILED'] as const,
});

const WebhookDelivery = builder.objectRef<WebhookDeliveryRecord>('WebhookDelivery').implement({
  authScopes: { public: true },
  description: 'One event sent to one endpoint: retried with backoff for a day, then FAILED.',
  fields: (t) => ({
    id: t.id({
      description: 'This event to this endpoint (replayWebhookDelivery takes it).',
      resolve: (delivery) => deliveryGlobalId(delivery.endpointId, delivery.eventId),
    }),
    eventId: t.exposeID('eventId', {
      description:
        "The event's id, sent as the `webhook-id` header and as the payload's `data.eventId`: the same on every attempt and replay, and for every endpoint told of the event (a plain UUID, as Standard Webhooks receivers expect).",
    }),
    eventType: t.field({ type: WebhookEventType, resolve: (delivery) => enumValue(delivery.eventType) }),
    payload: t.expose('payload', {
      type: 'JSONObject',
      description:
        'What was sent. Without the READ scope, its `data` holds ids and statuses only: no content, tags, metadata or reasons.',
    }),
    status: t.field({ type: DeliveryStatus, resolve: (delivery) => delivery.status }),
    attempts: t.exposeInt('attempts'),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true }),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
  }),
});

const WebhookEndpoint = builder.node(builder.objectRef<WebhookEndpointRecord>('WebhookEndpoint'), {
  authScopes: { public: true },
  description: "An endpoint of the tenant's backend that is sent signed events (Standard Webhooks).",
  id: { resolve: (endpoint) => endpoint.id },
  loadMany: (ids, ctx) => ctx.tenant.webhookEndpointNodes(ids),
  fields: (t) => ({
    url: t.exposeString('url'),
    events: t.field({ type: [WebhookEventType], resolve: (endpoint) => endpoint.eventTypes.map(enumValue) }),
    includeMemoryData: t.exposeBoolean('includeMemoryData', { description: MEMORY_DATA }),
    enabled: t.exposeBoolean('enabled'),
    disabledReason: t.exposeString('disabledReason', {
      nullable: true,
      description: 'Why it stopped receiving events (after a day of failures, or by the tenant).',
    }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveries: t.field({
      type: [WebhookDelivery],
      description: 'The most recent deliveries, newest first.',
      args: { first: t.arg.int({ defaultValue: 20, description: '1 to 100.' }) },
      resolve: (endpoint, args, ctx) =>
        ctx.tenant.deliveries(endpoint.id, Math.min(Math.max(args.first ?? 20, 1), 100)),
    }),
  }),
});

const NewWebhookEndpoint = builder
  .objectRef<{ endpoint: WebhookEndpointRecord; secret: string }>('NewWebhookEndpoint')
  .implement({
    authScopes: { public: true },
    fields: (t) => ({
      endpoint: t.field({ type: WebhookEndpoint, resolve: (created) => created.endpoint }),
      secret: t.exposeString('secret', {
        description: 'The signing secret (whsec_…), shown this once: verify every delivery with it.',
      }),
    }),
  });

const DeletedWebhookEndpoint = builder.objectRef<{ id: string }>('DeletedWebhookEndpoint').implement({
  authScopes: { public: true },
  fields: (t) => ({ id: t.id({ resolve: (deleted) => globalId('WebhookEndpoint', deleted.id) }) }),
});

const toEventTypes = (values: readonly string[]) => values.map((value) => eventTypeOf.get(value)!);

builder.queryFields((t) => ({
  webhookEndpoints: t.field({
    ...operation('webhookEndpoints'),
    type: [WebhookEndpoint],
    description: "The tenant's webhook endpoints, oldest first (ADMIN).",
    resolve: (_root, _args, ctx) => ctx.tenant.webhookEndpoints(),
  }),
}));

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.field({
    ...operation('createWebhookEndpoint'),
    type: NewWebhookEndpoint,
    errors: { types: [ValidationError] },
    description: 'Registers an http(s) endpoint for these events (ADMIN). Its signing secret is returned this once.',
    args: {
      url: t.arg.string({ required: true }),
      events: t.arg({ type: [WebhookEventType], required: true }),
      includeMemoryData: t.arg.boolean({ defaultValue: true, description: MEMORY_DATA }),
    },
    resolve: (_root, args, ctx) =>
      ctx.tenant.createWebhookEndpoint(args.url, toEventTypes(args.events), args.includeMemoryData ?? true),
  }),
  updateWebhookEndpoint: t.field({
    ...operation('updateWebhookEndpoint'),
    type: WebhookEndpoint,
    errors: { types: [ValidationError, NotFoundError] },
    description: 'Changes an endpoint; `enabled: true` brings back one that was disabled (ADMIN).',
    args: {
      id: t.arg.id({ required: true, description: PLAIN_UUIDS }),
      url: t.arg.string(),
      events: t.arg({ type: [WebhookEventType] }),
      enabled: t.arg.boolean(),
      includeMemoryData: t.arg.boolean({ description: MEMORY_DATA }),
    },
    resolve: (_root, args, ctx) =>
      ctx.tenant.updateWebhookEndpoint(args.id, {
        url: args.url,
        events: args.events ? toEventTypes(args.events) : null,
        enabled: args.enabled,
        includeMemoryData: args.includeMemoryData,
      }),
  }),
  deleteWebhookEndpoint: t.field({
    ...operation('deleteWebhookEndpoint'),
    type: DeletedWebhookEndpoint,
    errors: { types: [ValidationError, NotFoundError] },
    description: 'Removes an endpoint and its deliveries (ADMIN).',
    args: { id: t.arg.id({ required: true, description: PLAIN_UUIDS }) },
    resolve: (_root, args, ctx) => ctx.tenant.deleteWebhookEndpoint(args.id),
  }),
  replayWebhookDelivery: t.field({
    ...operation('replayWebhookDelivery'),
    type: WebhookDelivery,
    errors: { types: [ValidationError, NotFoundError] },
    description: 'Sends a delivery again now, delivered or failed, with the same webhook-id (ADMIN).',
    args: {
      id: t.arg.id({ description: 'WebhookDelivery.id.' }),
      endpointId: t.arg.id({ deprecationReason: 'Pass the delivery’s id.' }),
      eventId: t.arg.id({ deprecationReason: 'Pass the delivery’s id.' }),
    },
    resolve: (_root, { id, endpointId, eventId }, ctx) => {
      if (id != null) return ctx.tenant.replayWebhookDelivery(id);
      if (endpointId == null || eventId == null)
        throw new ValidationError('id', 'Pass the delivery’s id (WebhookDelivery.id).');
      return ctx.tenant.replayWebhookDelivery({ endpointId, eventId });
    },
  }),
}));
