import type { JobRecord } from '../memory/jobRecord.js';
import type { MemoryChange, MemoryRecord } from '../model.js';
import type { WebhookDeliveryRecord } from '../webhooks/tenantWebhooks.js';

/**
 * What a call's result shows. Memory content, tags, metadata and history need the READ scope on every path: a credential without it (WRITE-only, ADMIN-only) gets ids and
 * statuses back from its writes, its webhook deliveries and everything else — whatever the transport,
 * since the transports only ever receive these views.
 */

/** A memory as a caller without READ is shown it: which one, nothing of what it says. */
export interface WithheldMemory {
  id: string;
  withheld: true;
}

export type MemoryView = MemoryRecord | WithheldMemory;

/** One change a conversation made, without READ: what kind of change, to which memory. */
export type MemoryChangeView = MemoryChange | { action: MemoryChange['action']; memoryId: string; withheld: true };

export type JobView = Omit<JobRecord, 'changes'> & { changes: MemoryChangeView[] | null };

export function isWithheld<T extends object>(value: T | { withheld: true }): value is { withheld: true } {
  return 'withheld' in value;
}

export function memoryView(canRead: boolean, memory: MemoryRecord): MemoryView {
  return canRead ? memory : { id: memory.id, withheld: true };
}

export function jobView(canRead: boolean, job: JobRecord): JobView {
  if (canRead) return job;
  const changes = job.changes?.map(({ action, memoryId }) => ({ action, memoryId, withheld: true as const }));
  return { ...job, changes: changes ?? null };
}

/** What a webhook payload's `data` keeps without READ: ids, kinds and statuses (not texts, tags, metadata or reasons). */
const PAYLOAD_IDS_AND_STATUSES = new Set([
  'eventId',
  'externalUserId',
  'memoryId',
  'conversationId',
  'status',
  'changedFields',
  'erasedAt',
  'actor',
  'error',
]);

export function deliveryView(canRead: boolean, delivery: WebhookDeliveryRecord): WebhookDeliveryRecord {
  if (canRead) return delivery;
  const data = (delivery.payload.data ?? {}) as Record<string, unknown>;
  const kept = Object.fromEntries(Object.entries(data).filter(([key]) => PAYLOAD_IDS_AND_STATUSES.has(key)));
  if (Array.isArray(data.changes)) {
    kept.changes = (data.changes as MemoryChange[]).map(({ action, memoryId }) => ({ action, memoryId }));
  }
  return { ...delivery, payload: { type: delivery.payload.type, timestamp: delivery.payload.timestamp, data: kept } };
}
