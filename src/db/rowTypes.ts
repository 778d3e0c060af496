import pg from 'pg';

/**
 * How scoped reads turn column text into values: pg's own parsers, but timestamptz in
 * PostgreSQL's ISO output by one regular expression (pg's general date parser was the largest
 * single cost of reading search hits). Anything else (another DateStyle, BC, infinity, a year
 * before 100, an offset with seconds) goes to pg's parser, which this one matches exactly.
 */
const TIMESTAMPTZ = 1184;
const ISO_TIMESTAMPTZ = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d{1,6})?([+-])(\d\d)(?::(\d\d))?$/;
const pgTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ, 'text') as (text: string) => Date;

export function parseTimestamptz(text: string): Date {
  const match = ISO_TIMESTAMPTZ.exec(text);
  if (!match || Number(match[1]) < 100) return pgTimestamptz(text);
  const [, year, month, day, hour, minute, second, fraction, sign, offsetHours, offsetMinutes] = match;
  const ms = fraction ? 1000 * Number(fraction) : 0;
  const offsetMs = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 3_600_000 + Number(offsetMinutes ?? 0) * 60_000);
  return new Date(
    Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), ms) - offsetMs,
  );
}

/** pg's `types` option: where a result looks up each column's parser. */
export const rowTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ && format !== 'binary' ? parseTimestamptz : pg.types.getTypeParser(oid, format),
};
