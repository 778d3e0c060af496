import { pino, type DestinationStream, type Logger } from 'pino';
import type { YogaLogger } from 'graphql-yoga';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * JSON lines on stdout. Request lines carry ids, operation names and timings — never keys,
 * tokens or memory content (those could only appear in error details, logged at error level).
 */
export function createLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'memgate' },
      redact: { paths: ['authorization', '*.authorization', 'apiKey', '*.apiKey', 'token', '*.token'], censor: '[redacted]' },
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
