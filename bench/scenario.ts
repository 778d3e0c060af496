import { randomBytes } from 'node:crypto';
import type { LoadResult } from './load.js';

/** Who the bench's requests act for: tenants with keys, and users with N memories each. */
export interface BenchTenant {
  tenantId: string;
  apiKey: string;
}

export interface BenchUser {
  tenant: number;
  externalUserId: string;
}

export const PROBE_USER = 'probe@bench.test';
export const LARGE_USER = 'large@bench.test';
export const MEMORIES_PER_USER = 10;
export const PROBE_MEMORIES = 100;
export const BENCH_SECRET = randomBytes(32).toString('hex');

export function populationUser(i: number, tenants: number): BenchUser {
  return { tenant: i % tenants, externalUserId: `user-${i}@bench.test` };
}

/** A spread of users (a fixed pseudo-random walk), identical for every contender. */
export function pickUser(i: number, population: number, tenants: number): BenchUser {
  return populationUser((i * 7919 + 13) % population, tenants);
}

export const queryText = (i: number) => `bench query ${i % 1000}`;

export const searchBody = (user: string, query: string, mode = 'SEMANTIC') =>
  JSON.stringify({
    query: `query($u: String!, $q: String!) { searchMemories(externalUserId: $u, query: $q, mode: ${mode}, limit: 10) { ... on MemorySearch { hits { score memory { id content } } } } }`,
    variables: { u: user, q: query },
  });

export const addBody = (user: string, content: string) =>
  JSON.stringify({
    query: `mutation($u: String!, $c: String!) { addMemory(input: { externalUserId: $u, content: $c }) { ... on AddedMemory { created } } }`,
    variables: { u: user, c: content },
  });

export const TYPENAME_BODY = JSON.stringify({ query: '{ __typename }' });

/** One line of the side-by-side table. */
export interface Contender {
  name: string;
  c1: LoadResult;
  c8?: LoadResult;
  c32?: LoadResult;
}
