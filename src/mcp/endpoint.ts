import type { IncomingMessage } from 'node:http';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Plugin } from 'graphql-yoga';
import type { Principal } from '../auth/principal.js';
import { openSession } from '../app/session.js';
import type { Context, Services } from '../context.js';
import { MemgateError } from '../errors.js';
import { authFailureGuard, clientAddress } from '../http/authFailures.js';
import { authenticateCaller, refusalStatus } from '../http/caller.js';
import type { Logger } from '../observability/logger.js';
import { requestId } from '../observability/requestPlugins.js';
import { mcpServer, toolFailure, toolsFor, type ToolCallRecord } from './server.js';

export const MCP_PATH = '/mcp';

export interface McpOptions extends Services {
  logger?: Logger;
  trustProxy?: boolean;
}

/** A JSON-RPC error answered over HTTP (the MCP client reads the status and the message). */
function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
  data?: Record<string, unknown>,
): Response {
  return new Response(
    JSON.stringify({ jsonrpc: '2.0', error: { code, message, ...(data ? { data } : {}) }, id: null }),
    {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    },
  );
}

type JsonRpcMessage = { id?: unknown; method?: unknown; params?: { name?: unknown } };

/**
 * The calls a POST carries, admitted together before any runs — as a GraphQL operation's root
 * fields are: past the request's cost cap or the credential's rate limit, every call of the batch is
 * answered with the refusal and none runs. Null when they are admitted.
 */
async function refusedBatch(
  session: Context,
  body: unknown,
  claudeConfigured: boolean,
  onRefused: (record: ToolCallRecord) => void,
): Promise<Response | null> {
  const messages = (Array.isArray(body) ? body : [body]) as JsonRpcMessage[];
  const tools = toolsFor(session, claudeConfigured);
  const calls = messages.filter((message) => message.method === 'tools/call');
  const operations = calls.flatMap((call) => tools.find((tool) => tool.name === call.params?.name)?.operation ?? []);
  try {
    await session.caller.admit(operations);
    return null;
  } catch (error) {
    if (!(error instanceof MemgateError)) throw error;
    for (const call of calls) onRefused({ tool: String(call.params?.name).slice(0, 64), outcome: error.code, ms: 0 });
    const answers = messages
      .filter((message) => message.id !== undefined)
      .map(({ id }) => ({ jsonrpc: '2.0', id, result: toolFailure(error.code, error.message) }));
    return new Response(JSON.stringify(Array.isArray(body) ? answers : answers[0]), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }
}

/**
 * The MCP endpoint (Streamable HTTP, stateless: every POST is answered on its own, with JSON). The
 * caller is authenticated, counted and rate limited exactly as for GraphQL; its tool calls go through
 * a session of the application layer (app/session.ts), one per POST, like a GraphQL request's.
 */
export function mcpEndpoint(options: McpOptions): Plugin {
  const guard = authFailureGuard(options.rateLimiter, options.rateLimits.authFailuresPerAddress ?? 60);
  const claudeConfigured = () => options.claude.configured;
  const handle = async (request: Request, node: IncomingMessage | undefined): Promise<Response> => {
    if (request.method !== 'POST') {
      return jsonRpcError(405, -32000, 'This MCP endpoint is stateless: send JSON-RPC requests with POST.', {
        Allow: 'POST',
      });
    }
    const address = clientAddress(request.headers.get('x-forwarded-for'), node, options.trustProxy ?? false);
    let principal: Principal;
    try {
      principal = await authenticateCaller(options, guard, request.headers.get('authorization'), address);
    } catch (error) {
      const refusal = refusalStatus(error);
      if (!refusal) throw error;
      // The product's code and reason, as tool errors carry them (CODE: message).
      const { code, reason } = ((error as { extensions?: Record<string, unknown> }).extensions ?? {}) as {
        code?: string;
        reason?: string;
      };
      return jsonRpcError(refusal.status, -32001, `${code}: ${(error as Error).message}`, refusal.headers, {
        code,
        ...(reason ? { reason } : {}),
      });
    }
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return jsonRpcError(400, -32700, 'Parse error: the body is not JSON.');
    }
    const session = openSession(options, principal, { transport: 'mcp' });
    // One line per tool call, with the privacy rules of the request log: no arguments, no end user.
    const logCall = ({ tool, outcome, ms }: ToolCallRecord) =>
      options.logger?.info(
        {
          requestId: requestId(request),
          transport: 'mcp',
          tool,
          outcome,
          ms: Math.round(ms * 100) / 100,
          tenantId: principal.tenantId,
        },
        'call',
      );
    const refused = await refusedBatch(session, body, claudeConfigured(), logCall);
    if (refused) return refused;
    const server = mcpServer(session, {
      claudeConfigured: claudeConfigured(),
      onCall: logCall,
      onUnexpected: (error, tool) => options.logger?.error({ err: error, tool }, 'MCP tool failed'),
    });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    try {
      await server.connect(transport);
      return await transport.handleRequest(request, { parsedBody: body });
    } finally {
      await server.close();
    }
  };
  return {
    async onRequest({ request, url, endResponse, serverContext }) {
      if (url.pathname !== MCP_PATH) return;
      endResponse(await handle(request, (serverContext as { req?: IncomingMessage } | undefined)?.req));
    },
  };
}
