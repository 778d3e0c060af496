/**
 * The retrieval benchmark's gateway: a real one on loopback (HTTP, embedded PGlite in memory), two
 * tenants, and the sets' memories stored through addMemories.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../src/config.js';
import { createTenant } from '../../src/db/admin.js';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { createServices } from '../../src/services.js';
import { createGateway } from '../../src/yoga.js';
import type { EvalSetUser } from './sets.js';

/** Batches of addMemories in flight at once while ingesting (each batch is one end user's). */
const INGEST_CONCURRENCY = 4;

const ADD_MANY = `mutation($input: AddMemoriesInput!) {
  addMemories(input: $input) { __typename ... on AddedMemories { results { memory { id content } } } ... on Error { message } }
}`;

export type Graphql = (tenant: 'acme' | 'globex', query: string, variables: object) => Promise<any>;

export async function startGateway(config: Config) {
  const db = await openDatabase({ kind: 'pglite' });
  await migrate(db);
  const services = createServices({ ...config, rateLimitPerCredential: 0, rateLimitPerEndUser: 0 }, db);
  const server = createServer(createGateway(services));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const keys = {
    acme: (await createTenant(db.prisma, 'acme')).apiKey,
    globex: (await createTenant(db.prisma, 'globex')).apiKey,
  };
  const graphql: Graphql = async (tenant, query, variables) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[tenant]}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: { message: string }[] };
    if (body.errors) throw new Error(body.errors[0].message);
    return body.data;
  };
  const close = async () => {
    await new Promise((resolve) => server.close(resolve));
    await services.close();
    await db.close();
  };
  return { graphql, modelId: services.embedder.modelId, close };
}

/**
 * Stores every memory through addMemories, each end user's in order (a thread's turn reads the one
 * before it when stored); returns end user -> content -> memory id.
 */
export async function ingest(graphql: Graphql, users: EvalSetUser[]) {
  const waiting = [...users];
  const ids = new Map<string, Map<string, string>>(users.map((user) => [user.externalUserId, new Map()]));
  const started = performance.now();
  const worker = async () => {
    for (let user = waiting.shift(); user; user = waiting.shift()) {
      for (let i = 0; i < user.memories.length; i += 100) {
        const input = {
          externalUserId: user.externalUserId,
          memories: user.memories
            .slice(i, i + 100)
            .map((m) => ({ content: m.content, occurredAt: m.occurredAt?.toISOString(), threadId: m.threadId })),
        };
        const added = (await graphql(user.tenant, ADD_MANY, { input })).addMemories;
        if (added.__typename !== 'AddedMemories') throw new Error(`ingest failed: ${added.message}`);
        for (const result of added.results) ids.get(user.externalUserId)!.set(result.memory.content, result.memory.id);
      }
    }
  };
  await Promise.all(Array.from({ length: INGEST_CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const memories = users.reduce((sum, user) => sum + user.memories.length, 0);
  return { ids, ingest: { memories, seconds, perSecond: memories / seconds } };
}
