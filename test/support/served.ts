import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { serveGraphQLOverWebSocket } from '../../src/http/websocket.js';
import type { TestGateway } from './gateway.js';

export type ToolAnswer = { isError?: boolean; content: { type: string; text: string }[]; structuredContent?: any };

/** A test gateway served over real HTTP, as main.ts serves it: GraphQL, WebSocket and MCP on one port. */
export interface Served {
  graphqlUrl: string;
  mcpUrl: URL;
  /** An MCP client (the official SDK's) connected with a credential. */
  mcp(credential: string): Promise<McpClient>;
  /** A graphql-ws client connecting with a credential (null: none). */
  ws(credential: string | null): WsClient;
  close(): Promise<void>;
}

export async function serve(t: TestGateway): Promise<Served> {
  const server = createServer(t.gateway);
  const sockets = serveGraphQLOverWebSocket(server, t.gateway, t.services);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const mcpClients: McpClient[] = [];
  const wsClients: WsClient[] = [];
  return {
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    mcpUrl: new URL(`http://127.0.0.1:${port}/mcp`),
    async mcp(credential) {
      const client = new McpClient({ name: 'memgate-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
          requestInit: { headers: { Authorization: `Bearer ${credential}` } },
        }),
      );
      mcpClients.push(client);
      return client;
    },
    ws(credential) {
      const client = createClient({
        url: `ws://127.0.0.1:${port}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: credential === null ? {} : { authorization: `Bearer ${credential}` },
        retryAttempts: 0,
        lazy: true,
      });
      wsClients.push(client);
      return client;
    },
    async close() {
      await Promise.all(mcpClients.map((client) => client.close()));
      await Promise.all(wsClients.map((client) => client.dispose()));
      await sockets.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Runs one operation over graphql-ws and collects what comes back until it completes (or errors). */
export function wsResult(
  client: WsClient,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ results: unknown[]; error?: unknown }> {
  return new Promise((resolve) => {
    const results: unknown[] = [];
    client.subscribe(
      { query, variables },
      {
        next: (result) => void results.push(result),
        error: (error) => resolve({ results, error: error instanceof Error ? error.message : error }),
        complete: () => resolve({ results }),
      },
    );
  });
}

export async function callTool(client: McpClient, name: string, args: Record<string, unknown>): Promise<ToolAnswer> {
  return (await client.callTool({ name, arguments: args })) as ToolAnswer;
}
