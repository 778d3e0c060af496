import type { CORSOptions } from 'graphql-yoga';

/**
 * Request headers browsers may send: credentials and content negotiation, Yoga's and Apollo's
 * CSRF headers, Apollo's client awareness headers, request ids and W3C trace context.
 */
export const DEFAULT_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'accept',
  'x-graphql-yoga-csrf',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  'x-request-id',
  'traceparent',
  'tracestate',
];

/** Response headers browser code may read: the request id to quote in a report, and when to retry. */
export const DEFAULT_EXPOSED_HEADERS = ['x-request-id', 'retry-after'];

export interface CorsSettings {
  /** Browser origins allowed to call; any when absent. */
  origins?: string[];
  /** Request headers allowed besides the defaults. */
  extraAllowedHeaders?: string[];
  /** Response headers exposed besides the defaults. */
  extraExposedHeaders?: string[];
}

/** Credentials travel in the Authorization header, never in cookies: CORS never allows credentials. */
export function corsOptions(settings: CorsSettings = {}): CORSOptions {
  const union = (defaults: string[], extra: string[] = []) => [
    ...new Set([...defaults, ...extra.map((name) => name.toLowerCase())]),
  ];
  return {
    origin: settings.origins ?? '*',
    credentials: false,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: union(DEFAULT_ALLOWED_HEADERS, settings.extraAllowedHeaders),
    exposedHeaders: union(DEFAULT_EXPOSED_HEADERS, settings.extraExposedHeaders),
    maxAge: 600,
  };
}
