import { Agent, request } from 'node:http';

/** Latency percentiles (ms) and throughput of one measured run. */
export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

export function summarize(latenciesMs: number[], errors: number, seconds: number): LoadResult {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return { requests: sorted.length, errors, rps: sorted.length / seconds, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/**
 * Runs `task` from `concurrency` loops for `seconds` (after `warmupSeconds` unmeasured), each
 * loop starting its next call when the previous one ends (closed loop).
 */
export async function measure(
  task: (i: number) => Promise<boolean>,
  options: { concurrency: number; seconds: number; warmupSeconds?: number },
): Promise<LoadResult> {
  let i = 0;
  const loop = async (until: number, latencies: number[] | null, failures: { count: number }) => {
    while (performance.now() < until) {
      const started = performance.now();
      const ok = await task(i++).catch(() => false);
      if (latencies) latencies.push(performance.now() - started);
      if (!ok) failures.count++;
    }
  };
  const run = async (seconds: number, latencies: number[] | null) => {
    const failures = { count: 0 };
    const until = performance.now() + seconds * 1000;
    await Promise.all(Array.from({ length: options.concurrency }, () => loop(until, latencies, failures)));
    return failures.count;
  };
  await run(options.warmupSeconds ?? 1, null);
  const latencies: number[] = [];
  const started = performance.now();
  const errors = await run(options.seconds, latencies);
  return summarize(latencies, errors, (performance.now() - started) / 1000);
}

/** A keep-alive GraphQL client: resolves true when the answer is 200 without `errors`. */
export function graphqlClient(url: string, apiKey: string, maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const target = new URL(url);
  return (body: string): Promise<boolean> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${apiKey}`,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () =>
            resolve(res.statusCode === 200 && !text.includes('"errors"') && !text.includes('Error"')),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}
