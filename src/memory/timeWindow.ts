import * as chrono from 'chrono-node';

/** A span of time a question names ("last month", "on 8 May", "in 2024"), as a window on occurredAt. */
export interface TimeWindow {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** The words of the question that named it. */
  text: string;
}

const DAY_MS = 86_400_000;
/** A day named in a question is the end user's day: wide enough for any time zone. */
const DAY_PAD_MS = 12 * 3_600_000;

type Unit = 'day' | 'week' | 'month' | 'year';

interface Named {
  text: string;
  unit: Unit;
  /** The start of the unit, in UTC. */
  start: Date;
  yearImplied: boolean;
}

const utc = (year: number, month = 1, day = 1) => new Date(Date.UTC(year, month - 1, day));

function startOf(unit: Unit, date: Date): Date {
  const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  if (unit === 'year') return utc(year);
  if (unit === 'month') return utc(year, month);
  const start = utc(year, month, day);
  // A week is the calendar week (Monday to Sunday) that holds the date.
  return unit === 'week' ? new Date(start.getTime() - ((start.getUTCDay() + 6) % 7) * DAY_MS) : start;
}

function endOf(unit: Unit, start: Date): Date {
  const next = new Date(start);
  if (unit === 'year') next.setUTCFullYear(next.getUTCFullYear() + 1);
  else if (unit === 'month') next.setUTCMonth(next.getUTCMonth() + 1);
  else next.setUTCDate(next.getUTCDate() + (unit === 'week' ? 7 : 1));
  return next;
}

/** What one of chrono's readings names, or null when it names no span of dates (a time of day, "now", a weekday). */
function named(result: chrono.ParsedResult): Named | null {
  const known = (component: chrono.Component) => result.start.isCertain(component);
  if (/^\s*(right\s+)?now\s*$/i.test(result.text)) return null;
  if (!known('year') && !known('month') && !known('day')) return null;
  const unit: Unit = /\bweeks?\b/i.test(result.text)
    ? 'week'
    : known('day')
      ? 'day'
      : known('month')
        ? 'month'
        : 'year';
  return { text: result.text.trim(), unit, start: startOf(unit, result.start.date()), yearImplied: !known('year') };
}

/** "in 2024", "during 2019": a bare year, which chrono does not read. */
function bareYear(question: string): Named | null {
  const match = /\b(?:in|during|of)\s+((?:19|20)\d{2})\b/i.exec(question);
  return match ? { text: match[0], unit: 'year', start: utc(Number(match[1])), yearImplied: false } : null;
}

/**
 * The span of time a question names, read against `now`: a day (padded by 12 hours each side), a
 * calendar week, a month or a year. Questions are about what happened, so a date without its year
 * is the latest one not after `now` ("March" asked in September is this March); "November last
 * year" is read as one month. Times of day, "now" and weekdays alone ("on Sundays") name no span.
 * Null when the question names none, or several that disagree on nothing smaller.
 */
export function timeWindowOf(question: string, now: Date): TimeWindow | null {
  return mayNameTime(question) ? readTimeWindow(question, now) : null;
}

/**
 * Whether a question holds a word that could name a span of dates: a digit, a month or weekday, a
 * unit of time, or one of chrono's casual words. Most questions hold none, and chrono costs about
 * 0.15 ms a question (test/timeWindow.test.ts checks that it finds nothing in those).
 */
export function mayNameTime(question: string): boolean {
  return /\d|today|tonight|tomorrow|tmrw?\b|yesterday|\bago\b|night|morning|afternoon|evening|noon|midnight|day|week|month|year|fortnight|decade|quarter|century|hour|minute|second|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)/i.test(
    question,
  );
}

/** timeWindowOf without the quick test: chrono reads every question. */
export function readTimeWindow(question: string, now: Date): TimeWindow | null {
  const readings = chrono
    .parse(question, { instant: now })
    .map(named)
    .filter((reading): reading is Named => reading !== null);
  const bare = bareYear(question);
  if (bare) readings.push(bare);
  if (readings.length === 0) return null;
  // A month and a year named apart ("November last year") are one month.
  const year = readings.find((reading) => reading.unit === 'year' && !reading.yearImplied);
  const merged = year ? readings.filter((reading) => reading.yearImplied) : [];
  for (const reading of merged) {
    reading.start.setUTCFullYear(year!.start.getUTCFullYear());
    reading.text = `${reading.text} ${year!.text}`;
    reading.yearImplied = false;
  }
  for (const reading of readings) {
    if (reading.yearImplied && reading.start > now) reading.start.setUTCFullYear(reading.start.getUTCFullYear() - 1);
  }
  const spans = readings
    .filter((reading) => !(reading === year && merged.length > 0))
    .map((reading) => {
      const pad = reading.unit === 'day' ? DAY_PAD_MS : 0;
      return {
        from: new Date(reading.start.getTime() - pad),
        to: new Date(endOf(reading.unit, reading.start).getTime() + pad),
        text: reading.text,
      };
    });
  // The most precise span wins (the last of equals: "two weeks before … 9 February" means 9 February).
  return spans.reduce((best, span) =>
    span.to.getTime() - span.from.getTime() <= best.to.getTime() - best.from.getTime() ? span : best,
  );
}

/** Whether the words that named a time hold a date as text would (a number or a month), not "last week". */
export function namesDate(text: string): boolean {
  return /\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b/i.test(text);
}

/** The question without the words that named its time (and the preposition before them), for its content. */
export function withoutTime(question: string, window: TimeWindow | null): string {
  if (!window) return question;
  const escaped = window.text
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('(?:\\s+\\S+)*?\\s+');
  const time = new RegExp(`(?:\\b(?:in|on|at|during|around|early|late|from|since)\\s+)*\\b${escaped}\\b`, 'i');
  return (
    question
      .replace(time, ' ')
      .replace(/\s+([?.!,])/g, '$1')
      .replace(/\s+/g, ' ')
      .trim() || question
  );
}
