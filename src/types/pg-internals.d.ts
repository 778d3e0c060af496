/** The part of pg's internal helpers the pipelined read uses (pg ships no types for it). */
declare module 'pg/lib/utils.js' {
  const utils: { prepareValue(value: unknown): unknown };
  export default utils;
}
