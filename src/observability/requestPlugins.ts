import { randomUUID } from 'node:crypto';
import type { DefinitionNode, DocumentNode, ExecutionResult, GraphQLError, OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { ErrorCode } from '../errors.js';

interface RequestRecord {
  id: string;
  transport: string;
  startedAt: number;
  operationName?: string;
  tenantId?: string;
}

const records = new WeakMap<Request, RequestRecord>();

/** A subscription answered over HTTP is a stream: its transport is the stream's kind. */
function streamTransport(response: Response): string | undefined {
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith('multipart/mixed')) return 'multipart';
  return type.startsWith('text/event-stream') ? 'sse' : undefined;
}

/** The paths whose requests are logged and counted, and the transport each is. */
const TRANSPORTS: Record<string, string> = { '/graphql': 'http', '/mcp': 'mcp' };

/** A caller's own id is kept when it looks like one (so logs join across services). */
const CALLER_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The id of a request handled by the gateway (also sent back as the x-request-id header). */
export function requestId(request: Request): string | undefined {
  return records.get(request)?.id;
}

/** Bounded label: the root fields (never the client-chosen operation name), sorted. */
function operationLabel(operation: OperationDefinitionNode | undefined): string {
  if (!operation) return 'unknown';
  const fields = operation.selectionSet.selections.map((selection) =>
    selection.kind === 'Field' ? selection.name.value : '…',
  );
  const unique = [...new Set(fields)].sort();
  return unique.length > 3 ? `${unique.slice(0, 3).join('+')}+…` : unique.join('+');
}

type OperationLabels = { type: string; operation: string };

/** Yoga reuses a document's parsed form: its labels are worked out once. */
const labelsByDocument = new WeakMap<DocumentNode, Map<string, OperationLabels>>();

export function operationLabels(document: DocumentNode, operationName: string | null | undefined): OperationLabels {
  let byName = labelsByDocument.get(document);
  if (!byName) labelsByDocument.set(document, (byName = new Map()));
  let labels = byName.get(operationName ?? '');
  if (!labels) {
    const operation = document.definitions.find(
      (definition: DefinitionNode): definition is OperationDefinitionNode =>
        definition.kind === 'OperationDefinition' && (!operationName || definition.name?.value === operationName),
    );
    labels = { type: operation?.operation ?? 'unknown', operation: operationLabel(operation) };
    byName.set(operationName ?? '', labels);
  }
  return labels;
}

function errorCode(error: GraphQLError): string {
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : ('INTERNAL_SERVER_ERROR' satisfies ErrorCode);
}

/**
 * One log line and one request id per HTTP request; per-operation latency and error metrics.
 * The line says who (tenant id), what (operation name), how it went (status, ms) — not what was asked.
 */
export function requestObservability(logger?: Logger, metrics?: Metrics): Plugin {
  return {
    onRequest({ request, url }) {
      const transport = TRANSPORTS[url.pathname];
      if (!transport) return; // pages and operational endpoints
      const given = request.headers.get('x-request-id');
      records.set(request, {
        id: given && CALLER_REQUEST_ID.test(given) ? given : randomUUID(),
        startedAt: performance.now(),
        transport,
      });
    },
    onParams({ params, request }) {
      const record = records.get(request);
      if (record && params.operationName) record.operationName = params.operationName.slice(0, 100);
    },
    onExecute({ args }) {
      const context = args.contextValue as { request?: Request; principal?: { tenantId: string } };
      const record = context.request && records.get(context.request);
      if (record && context.principal) record.tenantId = context.principal.tenantId;
      if (!metrics) return;
      const labels = operationLabels(args.document, args.operationName);
      const startedAt = performance.now();
      return {
        onExecuteDone({ result }) {
          metrics.operationDuration.observe(labels, (performance.now() - startedAt) / 1000);
          for (const error of (result as ExecutionResult).errors ?? [])
            metrics.operationErrors.inc({ ...labels, code: errorCode(error) });
        },
      };
    },
    onResponse({ request, response }) {
      const record = records.get(request);
      if (!record) return;
      response.headers.set('x-request-id', record.id);
      metrics?.httpRequests.inc({ status: String(response.status) });
      logger?.info(
        {
          requestId: record.id,
          transport: streamTransport(response) ?? record.transport,
          method: request.method,
          path: new URL(request.url).pathname,
          status: response.status,
          ms: Math.round((performance.now() - record.startedAt) * 100) / 100,
          operationName: record.operationName,
          tenantId: record.tenantId,
        },
        'request',
      );
    },
  };
}
