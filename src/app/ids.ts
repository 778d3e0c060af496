import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { isUuid } from '../memory/validate.js';
import { ValidationError } from '../errors.js';

/**
 * The database id of a memory, from its global id or from the plain UUID exports and the CLI
 * print; anything else is a ValidationError on `field`.
 */
export function memoryIdFromGlobalId(globalId: string, field = 'id'): string {
  if (isUuid(globalId)) return globalId.toLowerCase();
  try {
    const { typename, id } = decodeGlobalID(globalId);
    if (typename === 'Memory') return id;
  } catch {
    // reported below
  }
  throw new ValidationError(field, `${field} is not a memory id issued by this API.`);
}

export function memoryGlobalId(id: string): string {
  return encodeGlobalID('Memory', id);
}
