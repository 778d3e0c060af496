import { NotFoundError, ValidationError } from '../errors.js';
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryRecord,
  type WebhookEndpointRecord,
} from '../webhooks/tenantWebhooks.js';
import { builder } from './builder.js';
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

const DeliveryStatus = builder.enumType('WebhookDeliveryStatus', {
  values: ['PENDING', 'DELIVERED', 'FAILED'] as const,
});

const WebhookDelivery = builder.objectRef<WebhookDeliveryRecord>('WebhookDelivery').implement({
  authScopes: { public: true },
  description: 'One event sent to one endpoint: retried with backoff for a day, then FAILED.',
  fields: (t) => ({
    eventId: t.exposeID('eventId', {
      description: 'Sent as the `webhook-id` header: the same on every attempt and replay.',
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

const WebhookEndpoint = builder.objectRef<WebhookEndpointRecord>('WebhookEndpoint').implement({
  authScopes: { public: true },
  description: "An endpoint of the tenant's backend that is sent signed events (Standard Webhooks).",
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url'),
    events: t.field({ type: [WebhookEventType], resolve: (endpoint) => endpoint.eventTypes.map(enumValue) }),
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
  fields: (t) => ({ id: t.exposeID('id') }),
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
    args: { url: t.arg.string({ required: true }), events: t.arg({ type: [WebhookEventType], required: true }) },
    resolve: (_root, args, ctx) => ctx.tenant.createWebhookEndpoint(args.url, toEventTypes(args.events)),
  }),
  updateWebhookEndpoint: t.field({
    ...operation('updateWebhookEndpoint'),
    type: WebhookEndpoint,
    errors: { types: [ValidationError, NotFoundError] },
    description: 'Changes an endpoint; `enabled: true` brings back one that was disabled (ADMIN).',
    args: {
      id: t.arg.id({ required: true }),
      url: t.arg.string(),
      events: t.arg({ type: [WebhookEventType] }),
      enabled: t.arg.boolean(),
    },
    resolve: (_root, args, ctx) =>
      ctx.tenant.updateWebhookEndpoint(args.id, {
        url: args.url,
        events: args.events ? toEventTypes(args.events) : null,
        enabled: args.enabled,
      }),
  }),
  deleteWebhookEndpoint: t.field({
    ...operation('deleteWebhookEndpoint'),
    type: DeletedWebhookEndpoint,
    errors: { types: [NotFoundError] },
    description: 'Removes an endpoint and its deliveries (ADMIN).',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.tenant.deleteWebhookEndpoint(args.id),
  }),
  replayWebhookDelivery: t.field({
    ...operation('replayWebhookDelivery'),
    type: WebhookDelivery,
    errors: { types: [NotFoundError] },
    description: 'Sends a delivery again now, delivered or failed, with the same webhook-id (ADMIN).',
    args: { endpointId: t.arg.id({ required: true }), eventId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.tenant.replayWebhookDelivery(args.endpointId, args.eventId),
  }),
}));
