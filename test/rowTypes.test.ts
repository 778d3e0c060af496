import pg from 'pg';
import { Prisma } from '../src/generated/prisma/client.js';
import { parseTimestamptz } from '../src/db/rowTypes.js';
import { openTestDatabase, type TestDatabase } from './support/databases.js';

const pgParser = pg.types.getTypeParser(1184, 'text') as (text: string) => Date | number;
const same = (text: string) => expect(parseTimestamptz(text)).toEqual(pgParser(text));

describe('timestamptz parsing of scoped reads', () => {
  test("matches pg's own parser on PostgreSQL's ISO output", () => {
    for (const text of [
      '2026-11-29 08:45:31.123456+00',
      '2026-11-29 08:45:31+00',
      '2026-11-29 08:45:31.5+00',
      '2026-11-29 08:45:31.57+00',
      '2026-11-29 08:45:31.000999+00',
      '2026-02-28 23:59:59.999999-03',
      '2024-02-29 00:00:00+05:30',
      '1999-12-31 23:30:00.1-09:30',
      '1970-01-01 00:00:00+00',
    ]) {
      same(text);
    }
  });

  test("hands anything else to pg's parser", () => {
    for (const text of [
      'infinity',
      '-infinity',
      '0050-01-01 00:00:00+00',
      '2000-01-01 00:00:00+00:53:28',
      '0044-03-15 12:00:00+00 BC',
    ]) {
      same(text);
    }
  });

  test('random instants survive the round trip through their ISO text', () => {
    for (let i = 0; i < 2_000; i++) {
      const ms = Math.floor(Math.random() * 4_102_444_800_000);
      const iso = new Date(ms).toISOString(); // 2026-11-29T08:45:31.123Z
      const text = `${iso.slice(0, 10)} ${iso.slice(11, 23)}+00`;
      expect(parseTimestamptz(text).getTime()).toBe(ms);
      same(text);
    }
  });
});

const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

onPostgres('timestamptz from PostgreSQL through a scoped read', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('postgres');
  });
  afterAll(() => db.destroy());

  test('every time zone the server may answer in gives the same instant', async () => {
    const scope = { tenantId: '00000000-0000-4000-8000-000000000001', externalUserId: 'alice' };
    const instant = '2026-11-29T08:45:31.123456Z';
    const offsets = { UTC: '+00', 'Asia/Kolkata': '+05:30', 'America/St_Johns': '-03:30', 'Australia/Eucla': '+08:45' };
    for (const [zone, offset] of Object.entries(offsets)) {
      const [[row]] = await db.readScoped(scope, [
        Prisma.sql`SELECT set_config('timezone', ${zone}, true) AS zone, ${instant}::timestamptz AS at, (${instant}::timestamptz)::text AS text`,
      ]);
      const { at, text } = row as { at: Date; text: string };
      expect(text.endsWith(offset)).toBe(true);
      expect(at).toEqual(new Date('2026-11-29T08:45:31.123Z'));
      expect(at).toEqual(pgParser(text));
    }
  });
});
