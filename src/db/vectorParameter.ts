import { endianness } from 'node:os';

/**
 * pgvector's text form, written as integer mantissas (`123456789e-9`): printing integers is about
 * three times faster than printing fractions and half as long on the wire, and 1e-9 is finer than
 * float32's own resolution for any component above 0.01 (vectors are stored as float32).
 */
export function vectorLiteral(vector: readonly number[]): string {
  let text = '[';
  for (let i = 0; i < vector.length; i++) text += `${i ? ',' : ''}${Math.round(vector[i] * 1e9)}e-9`;
  return `${text}]`;
}

const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * A query vector bound as a parameter (`${new VectorParameter(v)}::vector`). node-postgres sends
 * what toPostgres returns, and a Buffer in binary format: pgvector's binary form is a third of the
 * text's size and nothing to print or parse on either side. Drivers that only send text (PGlite,
 * Prisma) get vectorLiteral through textParameters.
 */
export class VectorParameter {
  constructor(readonly vector: readonly number[]) {}

  /** pgvector's binary form: dimensions (int16), unused (int16), float4 big-endian values. */
  toPostgres(): Buffer {
    const values = Float32Array.from(this.vector);
    const buffer = Buffer.allocUnsafe(4 + values.byteLength);
    buffer.writeInt16BE(values.length, 0);
    buffer.writeInt16BE(0, 2);
    const bytes = Buffer.from(values.buffer);
    (LITTLE_ENDIAN ? bytes.swap32() : bytes).copy(buffer, 4);
    return buffer;
  }
}

/** The values with every VectorParameter in its text form. */
export function textParameters(values: readonly unknown[]): unknown[] {
  return values.map((value) => (value instanceof VectorParameter ? vectorLiteral(value.vector) : value));
}
