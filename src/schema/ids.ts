import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { ValidationError } from '../memory/errors.js';

/** The database id inside a Memory's global id; anything else is a ValidationError on `field`. */
export function memoryIdFromGlobalId(globalId: string, field = 'id'): string {
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
