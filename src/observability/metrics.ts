import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The gateway's Prometheus metrics, in a registry of its own (served at /metrics). */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'memgate_http_requests_total',
    help: 'HTTP requests answered, by status code.',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly operationDuration = new Histogram({
    name: 'memgate_graphql_operation_duration_seconds',
    help: 'GraphQL execution time, by operation type and root fields.',
    labelNames: ['type', 'operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly operationErrors = new Counter({
    name: 'memgate_graphql_errors_total',
    help: 'GraphQL errors (the errors array of a response), by code; typed error results are answers, not counted.',
    labelNames: ['type', 'operation', 'code'] as const,
    registers: [this.registry],
  });

  readonly calls = new Counter({
    name: 'memgate_calls_total',
    help: 'Calls of the application layer, by transport (http, websocket, mcp, cli, job), operation and outcome (ok or an error code).',
    labelNames: ['transport', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly callDuration = new Histogram({
    name: 'memgate_call_duration_seconds',
    help: 'Time of one call of the application layer, by transport and operation.',
    labelNames: ['transport', 'operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly embeddingDuration = new Histogram({
    name: 'memgate_embedding_duration_seconds',
    help: 'Time to embed one batch of texts, by model and outcome.',
    labelNames: ['model', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly embeddedTexts = new Counter({
    name: 'memgate_embedded_texts_total',
    help: 'Texts embedded, by model.',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });

  readonly llmDuration = new Histogram({
    name: 'memgate_llm_request_duration_seconds',
    help: 'Claude calls (retries included), by model and outcome.',
    labelNames: ['model', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly conversationJobs = new Counter({
    name: 'memgate_conversation_jobs_total',
    help: 'Conversation jobs the job runner claimed, by outcome (done, retry, failed, lease_lost, given_up, claim_failed).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly llmTokens = new Counter({
    name: 'memgate_llm_tokens_total',
    help: 'Tokens Claude read (input) and wrote (output).',
    labelNames: ['model', 'direction'] as const,
    registers: [this.registry],
  });

  constructor(poolStats?: () => PoolStats | undefined) {
    collectDefaultMetrics({ register: this.registry });
    if (!poolStats) return;
    new Gauge({
      name: 'memgate_db_pool_connections',
      help: 'Database pool connections: open (total), idle, and requests waiting for one.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const stats = poolStats();
        if (!stats) return;
        this.set({ state: 'total' }, stats.total);
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'waiting' }, stats.waiting);
      },
    });
  }
}

/** Feeds Claude's call records (src/llm/claude.ts) into the metrics. */
export function observeLlmCalls(metrics: Metrics) {
  return (call: { model: string; seconds: number; outcome: string; inputTokens: number; outputTokens: number }) => {
    metrics.llmDuration.observe({ model: call.model, outcome: call.outcome }, call.seconds);
    if (call.inputTokens) metrics.llmTokens.inc({ model: call.model, direction: 'input' }, call.inputTokens);
    if (call.outputTokens) metrics.llmTokens.inc({ model: call.model, direction: 'output' }, call.outputTokens);
  };
}
