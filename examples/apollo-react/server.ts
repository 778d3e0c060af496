import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface ExampleOptions {
  /** The gateway's GraphQL URL, as the browser reaches it. */
  gatewayUrl: string;
  /** The tenant's API key: it stays on this server, the browser only ever sees end-user tokens. */
  apiKey: string;
  /** Who is signed in to this app (a real app takes it from its own session). */
  user: string;
  /** Lifetime of the tokens handed to the browser (default an hour). */
  tokenTtlSeconds?: number;
  port?: number;
}

/** Bundles src/main.tsx for the browser (React, Apollo Client and all), in memory. */
async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./src/main.tsx', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    minify: true,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

const page = (options: ExampleOptions) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Memgate + Apollo</title>
<style>body { font: 16px/1.5 system-ui, sans-serif; max-width: 42em; margin: 2em auto; } input { width: 22em; }</style></head>
<body><div id="app"></div>
<script>window.MEMGATE = ${JSON.stringify({ gatewayUrl: options.gatewayUrl, user: options.user }).replace(/</g, '\\u003c')};</script>
<script type="module" src="/app.js"></script></body></html>`;

/** Mints a short-lived end-user token with the API key (the createEndUserToken mutation). */
async function mintToken(options: ExampleOptions): Promise<string> {
  const response = await fetch(options.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
    body: JSON.stringify({
      query: `mutation($user: String!, $ttl: Int!) { createEndUserToken(externalUserId: $user, ttlSeconds: $ttl, scopes: [READ, WRITE]) {
        __typename ... on EndUserToken { token } ... on Error { message } } }`,
      variables: { user: options.user, ttl: options.tokenTtlSeconds ?? 3600 },
    }),
  });
  const result = (await response.json()) as { data?: { createEndUserToken: { token?: string; message?: string } } };
  const token = result.data?.createEndUserToken.token;
  if (!token) throw new Error(`could not mint a token: ${JSON.stringify(result)}`);
  return token;
}

/** The app's backend: the page, its bundle, and POST /api/token for the signed-in user. */
export async function startExample(options: ExampleOptions): Promise<{ server: Server; url: string }> {
  const script = await bundle();
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(options));
    } else if (request.method === 'GET' && request.url === '/app.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    } else if (request.method === 'POST' && request.url === '/api/token') {
      mintToken(options).then(
        (token) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token })),
        (error: Error) =>
          response.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: error.message })),
      );
    } else {
      response.writeHead(404).end();
    }
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const apiKey = process.env.MEMGATE_API_KEY;
  if (!apiKey) {
    console.error('Set MEMGATE_API_KEY to a key of a running gateway (npm start prints one).');
    process.exit(64);
  }
  const gatewayUrl = process.env.MEMGATE_URL ?? 'http://localhost:4000/graphql';
  const { url } = await startExample({
    gatewayUrl,
    apiKey,
    user: process.env.MEMGATE_USER ?? 'ines@example.com',
    port: Number(process.env.PORT ?? 5173),
  });
  console.log(`Memgate + Apollo example on ${url} (gateway ${gatewayUrl})`);
}
