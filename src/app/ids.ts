import { decodeGlobalID } from '@pothos/plugin-relay';
import { isUuid } from '../memory/validate.js';
import { ValidationError } from '../errors.js';
import { globalId, type IdType } from '../model.js';

export { globalId };

/**
 * The ids clients see: one style for every object, a global id (base64 of `Type:uuid`) that names
 * its type, so that `node(id)` can find it and a cache can key on it. The plain UUIDs of exports,
 * the command line and earlier versions are still accepted wherever an id is passed back.
 */
const ARTICLE: Record<Exclude<IdType, 'WebhookDelivery'>, string> = {
  Memory: 'a memory',
  MemoryEvent: 'a history event',
  Entity: 'an entity',
  Relation: 'a relation',
  ConversationJob: 'a conversation job',
  ApiKey: 'an API key',
  WebhookEndpoint: 'a webhook endpoint',
  Tenant: 'a tenant',
};

/** The database id behind a global id of `type` or a plain UUID; anything else is a ValidationError on `field`. */
export function idOf(type: keyof typeof ARTICLE, value: string, field = 'id'): string {
  if (isUuid(value)) return value.toLowerCase();
  try {
    const decoded = decodeGlobalID(value);
    if (decoded.typename === type && isUuid(decoded.id)) return decoded.id.toLowerCase();
  } catch {
    // reported below
  }
  throw new ValidationError(field, `${field} is not the id of ${ARTICLE[type]} issued by this API.`);
}

export function memoryGlobalId(id: string): string {
  return globalId('Memory', id);
}

/**
 * A webhook delivery is one event sent to one endpoint: its id names both. (The event's own id is
 * the Standard Webhooks `webhook-id`, the same for every endpoint, and stays a plain UUID.)
 */
export function deliveryGlobalId(endpointId: string, eventId: string): string {
  return globalId('WebhookDelivery', `${endpointId}/${eventId}`);
}

export function deliveryOf(value: string, field = 'id'): { endpointId: string; eventId: string } {
  try {
    const { typename, id } = decodeGlobalID(value);
    const [endpointId, eventId] = id.split('/');
    if (typename === 'WebhookDelivery' && isUuid(endpointId) && isUuid(eventId ?? '')) return { endpointId, eventId };
  } catch {
    // reported below
  }
  throw new ValidationError(field, `${field} is not the id of a webhook delivery issued by this API.`);
}
