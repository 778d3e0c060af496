import type { DestinationStream } from 'pino';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const OMITTED = new Set(['level', 'time', 'service', 'msg', 'err', 'pid', 'hostname']);

/** A field's value as a person reads it: text as it is, anything else as JSON. */
const shown = (value: unknown) => (typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value));

/**
 * One pino JSON line as a person reads it in a terminal: the time, the level, the message, then
 * the fields as key=value, and an error's stack below. A line that is not JSON passes unchanged.
 */
export function readableLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = new Date(Number(entry.time)).toTimeString().slice(0, 8);
  const level = (LEVELS[Number(entry.level)] ?? String(entry.level)).padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key]) => !OMITTED.has(key))
    .map(([key, value]) => `${key}=${shown(value)}`)
    .join(' ');
  const error = entry.err as { stack?: string; message?: string } | undefined;
  const below = error ? `\n  ${(error.stack ?? error.message ?? '').split('\n').join('\n  ')}` : '';
  return `${time} ${level} ${typeof entry.msg === 'string' ? entry.msg : ''}${fields ? `  ${fields}` : ''}${below}\n`;
}

/** The log for a development terminal: readable lines through `destination` (JSON everywhere else). */
export function readableLines(destination: DestinationStream): DestinationStream {
  return { write: (line: string) => destination.write(readableLine(line.trimEnd())) };
}
