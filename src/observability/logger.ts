import { writeSync } from 'node:fs';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { YogaLogger } from 'graphql-yoga';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * JSON lines on stdout. Request lines carry ids, operation names and timings — never keys,
 * tokens or memory content (those could only appear in error details, logged at error level).
 */
export function createLogger(level: LogLevel = 'info', destination: DestinationStream = stdoutLines()): Logger {
  return pino(
    {
      level,
      base: { service: 'memgate' },
      redact: {
        paths: ['authorization', '*.authorization', 'apiKey', '*.apiKey', 'token', '*.token'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

function split(args: unknown[]): [Record<string, unknown>, string] {
  const error = args.find((arg): arg is Error => arg instanceof Error);
  const message = args.filter((arg) => typeof arg === 'string').join(' ') || error?.message || '';
  return [error ? { err: error } : {}, message];
}

/** Yoga's own messages (masked errors' originals, warnings) through the same logger. */
export function yogaLogger(logger: Logger): YogaLogger {
  return {
    debug: (...args) => logger.debug(...split(args)),
    info: (...args) => logger.info(...split(args)),
    warn: (...args) => logger.warn(...split(args)),
    error: (...args) => logger.error(...split(args)),
  };
}

const BUSY_RETRY_MS = 10;
const BUSY_GIVE_UP_MS = 1000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Standard output, written synchronously like pino's default destination, but a line that cannot
 * be written is dropped: with its reader gone (EPIPE), pino's own destination retries for ever on
 * exit, and the process never ends. A full pipe (EAGAIN) is retried for up to a second, then the
 * line is dropped too, so that a stalled log reader cannot hold the drain past its deadline.
 */
export function stdoutLines(fd = 1): DestinationStream {
  return {
    write(line: string) {
      const data = Buffer.from(line);
      let written = 0;
      const giveUpAt = Date.now() + BUSY_GIVE_UP_MS;
      while (written < data.length) {
        try {
          written += writeSync(fd, data, written);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > giveUpAt) return;
          Atomics.wait(pause, 0, 0, BUSY_RETRY_MS);
        }
      }
    },
  };
}
