import type { IncomingMessage } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Principal } from '../auth/principal.js';
import { createContext, type Services } from '../context.js';
import { AuthFailureGuard, clientAddress } from '../http/authFailures.js';
import { authenticateCaller } from '../http/caller.js';
import type { Logger } from '../observability/logger.js';
import { registerTools } from './tools.js';

export const MCP_PATH = '/mcp';

const INSTRUCTIONS =
  'Memgate is the long-term memory of this application: remember stable facts about the end user (preferences, circumstances, ' +
  'decisions) with remember, and recall them before answering with recall or context_for_prompt. Every memory belongs to one end user.';

export interface McpOptions extends Services {
  logger?: Logger;
  trustProxy?: boolean;
}

/** A JSON-RPC error answered over HTTP (the MCP client reads the status and the message). */
function jsonRpcError(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/**
 * The MCP endpoint (Streamable HTTP, stateless: every POST is answered on its own, with JSON). The
 * caller is authenticated, counted and rate limited exactly as for GraphQL, and each request gets
 * a server whose tools act through that request's context (see tools.ts).
 */
export function mcpEndpoint(options: McpOptions): Plugin {
  const guard = new AuthFailureGuard(options.rateLimiter, options.rateLimits.authFailuresPerAddress ?? 60);
  const handle = async (request: Request, node: IncomingMessage | undefined): Promise<Response> => {
    if (request.method !== 'POST')
      return jsonRpcError(405, -32000, 'This MCP endpoint is stateless: send JSON-RPC requests with POST.', {
        Allow: 'POST',
      });
    const address = clientAddress(request, node, options.trustProxy ?? false);
    let principal: Principal;
    try {
      principal = await authenticateCaller(options, guard, request, address);
    } catch (error) {
      const { message, extensions } = error as GraphQLError;
      const http = extensions?.http;
      if (!http?.status) throw error;
      return jsonRpcError(http.status, -32001, message, http.headers);
    }
    const server = new McpServer({ name: 'memgate', version: '1.0.0' }, { instructions: INSTRUCTIONS });
    registerTools(server, {
      ctx: createContext(options, principal),
      claudeConfigured: options.claude.configured,
      onUnexpected: (error, tool) => options.logger?.error({ err: error, tool }, 'MCP tool failed'),
    });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    try {
      await server.connect(transport);
      return await transport.handleRequest(request);
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
