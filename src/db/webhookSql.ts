import { randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import type { UserKey } from './memorySql.js';
import type { ScopedTransaction } from './scope.js';

/**
 * The webhook outbox. Deliveries are inserted by the transaction that makes the change they
 * announce, one per endpoint of the tenant that wants the event type, so a change that commits
 * always has its deliveries and a change that rolls back has none. The dispatcher (privileged,
 * across tenants) claims due deliveries, sends them, and records the outcome.
 */

/** What a delivery carries (Standard Webhooks: type, timestamp, data). */
export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * A client's id for a stored row (a Relay global id, as model.ts writes it and app/ids.ts reads it
 * back), written in SQL. PostgreSQL's base64 breaks lines every 76 characters: they are taken out.
 */
function globalIdSql(type: string, uuid: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`translate(encode(convert_to(${type + ':'} || (${uuid})::text, 'UTF8'), 'base64'), E'\n', '')`;
}

/** An endpoint that wants memory events, read before the statement that queues them (on Citus). */
export interface OutboxEndpoint {
  id: string;
  include_memory_data: boolean;
  event_types: string[];
}

/**
 * The tenant's enabled endpoints that want memory events. On Citus the outbox statement takes them
 * as a parameter: joined to the endpoints' reference table, an INSERT … SELECT is planned for
 * every shard (32 tasks, each taking its shard's lock, for one end user's rows) and concurrent
 * writes queue behind each other; with the endpoints as values it runs on the user's shard alone.
 */
export function memoryEventEndpointsSql(tenantId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT id, include_memory_data, event_types FROM webhook_endpoints
    WHERE tenant_id = ${tenantId}::uuid AND enabled AND event_types && ${MEMORY_EVENT_TYPES}::text[]`;
}

const MEMORY_EVENT_TYPES = ['memory.created', 'memory.updated', 'memory.deleted', 'memory.restored'];

/**
 * The entities each event's memory is linked to (as Memory.entities gives them), by name, as
 * `named (memory_id, entities)`: a join, not a subquery per row, which Citus cannot plan here.
 */
function entitiesOfEventsSql(key: UserKey, eventIds: readonly string[]): Prisma.Sql {
  return Prisma.sql`(
    SELECT l.memory_id, jsonb_agg(jsonb_build_object('id', ${globalIdSql('Entity', Prisma.sql`en.id`)}, 'name', en.name, 'type', en.type)
                                  ORDER BY en.key) AS entities
    FROM memory_entities l JOIN entities en
      ON en.tenant_id = l.tenant_id AND en.external_user_id = l.external_user_id AND en.id = l.entity_id
    WHERE l.tenant_id = ${key.tenantId}::uuid AND l.external_user_id = ${key.externalUserId}
      AND l.memory_id IN (SELECT memory_id FROM memory_events
                          WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId} AND id = ANY(${eventIds}::uuid[]))
    GROUP BY l.memory_id)`;
}

/**
 * The deliveries of these history events of the user (memory.created, .updated, .deleted,
 * .restored): ids, kinds and statuses, and for endpoints that take memory data the texts, the
 * reason, and the memory's tags, metadata and entities as they are after the change.
 */
export function memoryEventsOutboxSql(
  key: UserKey,
  eventIds: readonly string[],
  endpoints?: readonly OutboxEndpoint[],
): Prisma.Sql {
  const apiKeyId = Prisma.sql`e.actor->>'apiKeyId'`;
  const wanting = endpoints
    ? Prisma.sql`JOIN jsonb_to_recordset(${JSON.stringify(endpoints)}::jsonb) AS w(id uuid, include_memory_data boolean, event_types text[])
        ON 'memory.' || lower(e.kind) = ANY(w.event_types)`
    : Prisma.sql`JOIN webhook_endpoints w ON w.tenant_id = e.tenant_id AND w.enabled AND 'memory.' || lower(e.kind) = ANY(w.event_types)`;
  return Prisma.sql`
    INSERT INTO webhook_deliveries (tenant_id, external_user_id, endpoint_id, event_id, event_type, payload)
    SELECT e.tenant_id, e.external_user_id, w.id, e.id, 'memory.' || lower(e.kind),
           jsonb_build_object('type', 'memory.' || lower(e.kind), 'timestamp', e.created_at, 'data', jsonb_build_object(
             'eventId', e.id, 'externalUserId', e.external_user_id, 'memoryId', ${globalIdSql('Memory', Prisma.sql`e.memory_id`)},
             'changedFields', to_jsonb(e.changed_fields),
             'conversationId', CASE WHEN e.conversation_id IS NOT NULL THEN ${globalIdSql('ConversationJob', Prisma.sql`e.conversation_id`)} END,
             'actor', CASE WHEN ${apiKeyId} IS NOT NULL
                           THEN jsonb_set(e.actor, '{apiKeyId}', to_jsonb(${globalIdSql('ApiKey', apiKeyId)})) ELSE e.actor END)
             || CASE WHEN w.include_memory_data THEN jsonb_build_object(
                  'oldContent', e.old_content, 'newContent', e.new_content, 'reason', e.reason,
                  'tags', to_jsonb(m.tags), 'metadata', m.metadata, 'entities', coalesce(named.entities, '[]'::jsonb)) ELSE '{}'::jsonb END)
    FROM memory_events e
    ${wanting}
    LEFT JOIN memories m ON m.tenant_id = e.tenant_id AND m.external_user_id = e.external_user_id AND m.id = e.memory_id
    LEFT JOIN ${entitiesOfEventsSql(key, eventIds)} named ON named.memory_id = e.memory_id
    WHERE e.tenant_id = ${key.tenantId}::uuid AND e.external_user_id = ${key.externalUserId} AND e.id = ANY(${eventIds}::uuid[])`;
}

/**
 * Queues one event of an end user that is not a memory's (end_user.erased, conversation.finished,
 * conversation.failed) for every endpoint that wants it: `data` for all, `memoryData` on top of it
 * for endpoints that take memory data. The endpoints are read first and the rows inserted as
 * values: on Citus an INSERT … SELECT from the endpoints' reference table would go through COPY,
 * which row-level security refuses.
 */
export async function enqueueUserEvent(
  tx: ScopedTransaction,
  key: UserKey,
  type: string,
  data: Record<string, unknown>,
  memoryData: Record<string, unknown> = {},
): Promise<void> {
  const endpoints = await tx.$queryRaw<{ id: string; includeMemoryData: boolean }[]>`
    SELECT id, include_memory_data AS "includeMemoryData" FROM webhook_endpoints
    WHERE tenant_id = ${key.tenantId}::uuid AND enabled AND ${type} = ANY(event_types)`;
  if (endpoints.length === 0) return;
  const eventId = randomUUID();
  const timestamp = new Date().toISOString();
  const rows = endpoints.map(({ id, includeMemoryData }) => {
    const payload: WebhookPayload = {
      type,
      timestamp,
      data: { eventId, externalUserId: key.externalUserId, ...data, ...(includeMemoryData ? memoryData : {}) },
    };
    return Prisma.sql`(${key.tenantId}::uuid, ${key.externalUserId}, ${id}::uuid, ${eventId}::uuid, ${type}, ${JSON.stringify(payload)}::jsonb)`;
  });
  await tx.$executeRaw`
    INSERT INTO webhook_deliveries (tenant_id, external_user_id, endpoint_id, event_id, event_type, payload) VALUES ${Prisma.join(rows)}`;
}

/**
 * The transaction-local setting under which an end user's scope may read and delete its own
 * deliveries: only the export and the erasure turn it on (see the end_user_data migration).
 */
export const END_USER_DATA = { 'app.end_user_data': 'on' } as const;

/** Every delivery about this end user (erasure: their payloads hold the user's memories). Needs END_USER_DATA. */
export function eraseDeliveriesSql(key: UserKey): Prisma.Sql {
  return Prisma.sql`DELETE FROM webhook_deliveries WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId}`;
}

/** The same deliveries as the export shows them (never the endpoint's secret). Needs END_USER_DATA. */
export function userDeliveriesSql(key: UserKey): Prisma.Sql {
  return Prisma.sql`
    SELECT endpoint_id AS "endpointId", event_id AS "eventId", event_type AS "eventType", payload, status, attempts,
           last_status_code AS "lastStatusCode", last_error AS "lastError", created_at AS "createdAt",
           delivered_at AS "deliveredAt"
    FROM webhook_deliveries WHERE tenant_id = ${key.tenantId}::uuid AND external_user_id = ${key.externalUserId}
    ORDER BY created_at, event_id, endpoint_id`;
}

export interface DueDelivery {
  tenantId: string;
  externalUserId: string;
  endpointId: string;
  eventId: string;
  payload: WebhookPayload;
  attempts: number;
  createdAt: Date;
  url: string;
  secret: string;
  at: Date;
}

const CLAIMABLE = Prisma.sql`d.status = 'PENDING' AND d.next_attempt_at <= now() AND (d.locked_until IS NULL OR d.locked_until < now())`;

/** What one instance already has in flight, and how much more each tenant and endpoint may take. */
export interface ClaimLimits {
  /** Deliveries to claim at most (the dispatcher's free slots). */
  slots: number;
  /** Attempts one tenant may have in flight on this instance. */
  perTenant: number;
  /** Attempts one endpoint may have in flight on this instance. */
  perEndpoint: number;
  /** Attempts in flight now, by tenant and by endpoint id. */
  busyTenants: ReadonlyMap<string, number>;
  busyEndpoints: ReadonlyMap<string, number>;
  /** Where the round over tenants starts (rotated by the caller, so no tenant always comes last). */
  startAt: number;
}

const dueColumns = Prisma.sql`d.tenant_id AS "tenantId", d.external_user_id AS "externalUserId", d.endpoint_id AS "endpointId",
  d.event_id AS "eventId", d.payload, d.attempts, d.created_at AS "createdAt", w.url, w.secret, now() AS at`;

/**
 * Claims due deliveries fairly: tenant by tenant, each up to what it may still have in flight, and
 * at most `perEndpoint` per endpoint — so one tenant's slow or dead endpoints hold a bounded part of
 * the dispatcher and everyone else's deliveries go out beside them. A claim lasts `leaseMs` (an
 * instance that stops mid-delivery leaves them to be claimed again: at least once). Candidates
 * first, then a conditional update per row, as the job claim does (no row locks across Citus nodes).
 */
export async function claimDueDeliveries(
  prisma: PrismaClient,
  limits: ClaimLimits,
  leaseMs: number,
): Promise<DueDelivery[]> {
  const tenants = await prisma.$queryRaw<{ tenantId: string }[]>`
    SELECT DISTINCT d.tenant_id AS "tenantId" FROM webhook_deliveries d WHERE ${CLAIMABLE}`;
  const order = tenants.map((_, i) => tenants[(i + limits.startAt) % tenants.length].tenantId);
  const claimed: DueDelivery[] = [];
  const endpoints = new Map(limits.busyEndpoints);
  for (const tenantId of order) {
    const room = Math.min(limits.perTenant - (limits.busyTenants.get(tenantId) ?? 0), limits.slots - claimed.length);
    if (room <= 0) continue;
    const candidates = await prisma.$queryRaw<DueDelivery[]>`
      SELECT ${dueColumns}
      FROM webhook_deliveries d JOIN webhook_endpoints w ON w.tenant_id = d.tenant_id AND w.id = d.endpoint_id AND w.enabled
      WHERE d.tenant_id = ${tenantId}::uuid AND ${CLAIMABLE} ORDER BY d.next_attempt_at LIMIT ${room * limits.perEndpoint}`;
    let taken = 0;
    for (const delivery of candidates) {
      if (taken === room) break;
      if ((endpoints.get(delivery.endpointId) ?? 0) >= limits.perEndpoint) continue;
      if (await claim(prisma, delivery, leaseMs)) {
        claimed.push({ ...delivery, attempts: delivery.attempts + 1 });
        endpoints.set(delivery.endpointId, (endpoints.get(delivery.endpointId) ?? 0) + 1);
        taken++;
      }
    }
    if (claimed.length >= limits.slots) break;
  }
  return claimed;
}

async function claim(prisma: PrismaClient, delivery: DueDelivery, leaseMs: number): Promise<boolean> {
  const count = await prisma.$executeRaw`
    UPDATE webhook_deliveries d SET attempts = attempts + 1, locked_until = ${new Date(delivery.at.getTime() + leaseMs)}::timestamptz
    WHERE tenant_id = ${delivery.tenantId}::uuid AND external_user_id = ${delivery.externalUserId}
      AND endpoint_id = ${delivery.endpointId}::uuid AND event_id = ${delivery.eventId}::uuid
      AND attempts = ${delivery.attempts} AND ${CLAIMABLE}`;
  return count === 1;
}

export type DeliveryOutcome =
  | { delivered: true; statusCode: number }
  | { delivered: false; statusCode: number | null; error: string; retryAt: Date | null };

/** Records an attempt: delivered, retried at `retryAt`, or FAILED (retryAt null), which also disables the endpoint. */
export async function recordAttempt(
  prisma: PrismaClient,
  delivery: DueDelivery,
  outcome: DeliveryOutcome,
): Promise<void> {
  const where = Prisma.sql`tenant_id = ${delivery.tenantId}::uuid AND external_user_id = ${delivery.externalUserId}
    AND endpoint_id = ${delivery.endpointId}::uuid AND event_id = ${delivery.eventId}::uuid`;
  if (outcome.delivered) {
    await prisma.$executeRaw`
      UPDATE webhook_deliveries SET status = 'DELIVERED', delivered_at = now(), locked_until = NULL, last_status_code = ${outcome.statusCode},
        last_error = NULL
      WHERE ${where}`;
    return;
  }
  const failed = outcome.retryAt === null;
  await prisma.$executeRaw`
    UPDATE webhook_deliveries SET status = ${failed ? 'FAILED' : 'PENDING'}, locked_until = NULL,
      next_attempt_at = coalesce(${outcome.retryAt}::timestamptz, next_attempt_at), last_status_code = ${outcome.statusCode}::int,
      last_error = ${outcome.error}
    WHERE ${where}`;
  if (failed) {
    await prisma.$executeRaw`
      UPDATE webhook_endpoints SET enabled = false, disabled_at = now(),
        disabled_reason = ${`Disabled after a delivery failed for a day (${delivery.attempts} attempts; last: ${outcome.error}).`}
      WHERE tenant_id = ${delivery.tenantId}::uuid AND id = ${delivery.endpointId}::uuid AND enabled`;
  }
}
