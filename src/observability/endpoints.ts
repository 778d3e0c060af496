import { timingSafeEqual } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from './metrics.js';
import type { Readiness } from './readiness.js';

export interface EndpointOptions {
  readiness?: Readiness;
  metrics?: Metrics;
  /** When set, /metrics requires "Authorization: Bearer <token>". */
  metricsToken?: string;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** /ready (readiness, with the state of each dependency) and /metrics (Prometheus). /health is Yoga's. */
export function operationalEndpoints({ readiness, metrics, metricsToken }: EndpointOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET') return;
      if (url.pathname === '/ready' && readiness) {
        const report = await readiness.report();
        endResponse(
          new fetchAPI.Response(JSON.stringify(report), {
            status: report.ready ? 200 : 503,
            headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
          }),
        );
      } else if (url.pathname === '/metrics' && metrics) {
        if (metricsToken && !sameSecret(request.headers.get('authorization') ?? '', `Bearer ${metricsToken}`)) {
          endResponse(
            new fetchAPI.Response('Unauthorized\n', { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } }),
          );
          return;
        }
        endResponse(
          new fetchAPI.Response(await metrics.registry.metrics(), {
            headers: { 'content-type': metrics.registry.contentType },
          }),
        );
      }
    },
  };
}
