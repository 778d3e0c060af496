import { randomUUID } from 'node:crypto';
import { Prisma } from '../generated/prisma/client.js';
import type { ScopedDatabase } from '../db/scope.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { isUuid } from '../memory/validate.js';
import { newWebhookSecret } from './signature.js';
import { checkWebhookUrl } from './urls.js';

export const WEBHOOK_EVENT_TYPES = [
  'memory.created',
  'memory.updated',
  'memory.deleted',
  'memory.restored',
  'end_user.erased',
  'conversation.finished',
  'conversation.failed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

const MAX_ENDPOINTS = 20;
const NO_SUCH_ENDPOINT = 'No webhook endpoint with this id for this tenant.';

export interface WebhookEndpointRecord {
  id: string;
  url: string;
  eventTypes: string[];
  /** Payloads carry the memory's content, tags, metadata and reasons; false: ids, kinds and statuses only. */
  includeMemoryData: boolean;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  createdAt: Date;
}

export interface WebhookDeliveryRecord {
  endpointId: string;
  eventId: string;
  eventType: string;
  payload: Record<string, unknown>;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface WebhookEndpointPatch {
  url?: string | null;
  events?: readonly string[] | null;
  enabled?: boolean | null;
  includeMemoryData?: boolean | null;
}

const endpointColumns = Prisma.sql`id, url, event_types AS "eventTypes", include_memory_data AS "includeMemoryData", enabled, disabled_reason AS "disabledReason",
  disabled_at AS "disabledAt", created_at AS "createdAt"`;
const deliveryColumns = Prisma.sql`endpoint_id AS "endpointId", event_id AS "eventId", event_type AS "eventType", payload, status, attempts,
  CASE WHEN status = 'PENDING' THEN next_attempt_at END AS "nextAttemptAt", last_status_code AS "lastStatusCode",
  last_error AS "lastError", created_at AS "createdAt", delivered_at AS "deliveredAt"`;

function checkEvents(events: readonly string[]): string[] {
  const unique = [...new Set(events)];
  if (unique.length === 0) throw new ValidationError('events', 'Name at least one event type.');
  return unique;
}

/** A tenant's webhook endpoints and their deliveries (ADMIN, tenant-wide scope). */
export class TenantWebhooks {
  constructor(
    private readonly db: ScopedDatabase,
    /** MEMGATE_WEBHOOKS_ALLOW_PRIVATE: endpoints may be loopback or private addresses. */
    private readonly allowInternal: boolean,
  ) {}

  private get tenantId(): string {
    return this.db.scope.tenantId;
  }

  /** Registers an endpoint; its signing secret is returned here only. */
  async create(
    url: string,
    events: readonly string[],
    includeMemoryData = true,
  ): Promise<{ endpoint: WebhookEndpointRecord; secret: string }> {
    const checked = checkWebhookUrl(url, this.allowInternal);
    const eventTypes = checkEvents(events);
    const secret = newWebhookSecret();
    const endpoint = await this.db.transaction(async (tx) => {
      const [{ count }] = await tx.$queryRaw<
        { count: number }[]
      >`SELECT count(*)::int AS count FROM webhook_endpoints WHERE tenant_id = ${this.tenantId}::uuid`;
      if (count >= MAX_ENDPOINTS)
        throw new ValidationError('url', `A tenant has at most ${MAX_ENDPOINTS} webhook endpoints.`);
      const [row] = await tx.$queryRaw<WebhookEndpointRecord[]>`
        INSERT INTO webhook_endpoints (tenant_id, id, url, secret, event_types, include_memory_data)
        VALUES (${this.tenantId}::uuid, ${randomUUID()}::uuid, ${checked}, ${secret}, ${eventTypes}::text[], ${includeMemoryData})
        RETURNING ${endpointColumns}`;
      return row;
    });
    return { endpoint, secret };
  }

  async list(): Promise<WebhookEndpointRecord[]> {
    const [rows] = await this.db.read<[WebhookEndpointRecord[]]>([
      Prisma.sql`SELECT ${endpointColumns} FROM webhook_endpoints WHERE tenant_id = ${this.tenantId}::uuid ORDER BY created_at, id`,
    ]);
    return rows;
  }

  /** Changes an endpoint; enabling a disabled one clears why it was disabled (its failed deliveries stay failed: replay them). */
  async update(id: string, patch: WebhookEndpointPatch): Promise<WebhookEndpointRecord> {
    const url = patch.url == null ? null : checkWebhookUrl(patch.url, this.allowInternal);
    const events = patch.events == null ? null : checkEvents(patch.events);
    const enabled = patch.enabled ?? null;
    const includeMemoryData = patch.includeMemoryData ?? null;
    // The time is a parameter, not now(): Citus refuses non-immutable functions inside CASE in an UPDATE of a reference table.
    const [row] = !isUuid(id)
      ? []
      : await this.db.transaction(
          (tx) => tx.$queryRaw<WebhookEndpointRecord[]>`
          UPDATE webhook_endpoints SET url = coalesce(${url}, url), event_types = coalesce(${events}::text[], event_types),
            enabled = coalesce(${enabled}::boolean, enabled),
            include_memory_data = coalesce(${includeMemoryData}::boolean, include_memory_data),
            disabled_reason = CASE WHEN coalesce(${enabled}::boolean, enabled) THEN NULL ELSE coalesce(disabled_reason, 'Disabled by the tenant.') END,
            disabled_at = CASE WHEN coalesce(${enabled}::boolean, enabled) THEN NULL ELSE coalesce(disabled_at, ${new Date()}::timestamptz) END
          WHERE tenant_id = ${this.tenantId}::uuid AND id = ${id}::uuid
          RETURNING ${endpointColumns}`,
        );
    if (!row) throw new NotFoundError(NO_SUCH_ENDPOINT);
    return row;
  }

  /** Removes an endpoint and its deliveries; false when there was none. */
  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const count = await this.db.transaction(
      (tx) =>
        tx.$executeRaw`DELETE FROM webhook_endpoints WHERE tenant_id = ${this.tenantId}::uuid AND id = ${id}::uuid`,
    );
    return count === 1;
  }

  /** The endpoint's most recent deliveries, newest first. */
  async deliveries(endpointId: string, first: number): Promise<WebhookDeliveryRecord[]> {
    const [rows] = await this.db.read<[WebhookDeliveryRecord[]]>([
      Prisma.sql`SELECT ${deliveryColumns} FROM webhook_deliveries
        WHERE tenant_id = ${this.tenantId}::uuid AND endpoint_id = ${endpointId}::uuid ORDER BY created_at DESC, event_id LIMIT ${first}`,
    ]);
    return rows;
  }

  /** Sends a delivery again (same webhook-id), whatever became of it: it is due now. */
  async replay(endpointId: string, eventId: string): Promise<WebhookDeliveryRecord> {
    const [row] =
      !isUuid(endpointId) || !isUuid(eventId)
        ? []
        : await this.db.transaction(
            (tx) => tx.$queryRaw<WebhookDeliveryRecord[]>`
            UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = now(), locked_until = NULL
            WHERE tenant_id = ${this.tenantId}::uuid AND endpoint_id = ${endpointId}::uuid AND event_id = ${eventId}::uuid
            RETURNING ${deliveryColumns}`,
          );
    if (!row) throw new NotFoundError('No delivery of this event to this endpoint.');
    return row;
  }
}
