/**
 * npm run eval:retrieval — how well search finds the right memory, per mode and per provider.
 *
 * Ingests the hand-written dataset (scripts/eval/dataset.ts) through the GraphQL API of a real
 * gateway (HTTP on loopback, embedded PGlite in memory), asks every question in every mode and
 * prints recall@1, recall@5, MRR (over the top 10), search latency and any result that belongs to
 * someone else. The local model always runs; with EMBEDDINGS_URL set, that provider runs too.
 * Figures are written to bench/results/retrieval.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '../../src/config.js';
import { createTenant } from '../../src/db/admin.js';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { createServices } from '../../src/services.js';
import { createGateway } from '../../src/yoga.js';
import { DATASET, type EvalUser } from './dataset.js';
import { checkDataset } from './paraphrase.js';

interface Variant {
  label: string;
  mode: 'SEMANTIC' | 'KEYWORD' | 'HYBRID';
  weights?: { semantic: number; keyword: number };
}

const VARIANTS: Variant[] = [
  { label: 'SEMANTIC', mode: 'SEMANTIC' },
  { label: 'KEYWORD', mode: 'KEYWORD' },
  { label: 'HYBRID', mode: 'HYBRID' },
];

interface Outcome {
  /** 1-based rank of the right memory in the top 10, or null. */
  rank: number | null;
  exact: boolean;
  foreign: number;
  ms: number;
}

const SEARCH = `query($user: String!, $query: String!, $mode: SearchMode, $weights: HybridWeights) {
  searchMemories(externalUserId: $user, query: $query, mode: $mode, weights: $weights, limit: 10) {
    __typename ... on MemorySearch { hits { memory { id externalUserId } } } ... on Error { message }
  }
}`;
const ADD_MANY = `mutation($input: AddMemoriesInput!) {
  addMemories(input: $input) { __typename ... on AddedMemories { results { memory { id content } } } ... on Error { message } }
}`;

async function evaluate(providerLabel: string, config: Config) {
  const db = await openDatabase({ kind: 'pglite' });
  await migrate(db);
  const services = createServices({ ...config, rateLimitPerCredential: 0, rateLimitPerEndUser: 0 }, db);
  const server = createServer(createGateway(services));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const keys = { acme: (await createTenant(db.prisma, 'acme')).apiKey, globex: (await createTenant(db.prisma, 'globex')).apiKey };

  const graphql = async (user: EvalUser, query: string, variables: object) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[user.tenant]}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: { message: string }[] };
    if (body.errors) throw new Error(body.errors[0].message);
    return body.data;
  };

  try {
    const started = performance.now();
    const idOf = new Map<string, string>(); // user + content -> memory id
    for (const user of DATASET) {
      const input = { externalUserId: user.externalUserId, memories: user.facts.map((fact) => ({ content: fact.text })) };
      const added = (await graphql(user, ADD_MANY, { input })).addMemories;
      if (added.__typename !== 'AddedMemories') throw new Error(`ingest failed: ${added.message}`);
      for (const result of added.results) idOf.set(`${user.externalUserId}\n${result.memory.content}`, result.memory.id);
    }
    const ingestSeconds = (performance.now() - started) / 1000;

    const results: Record<string, Outcome[]> = {};
    for (const variant of VARIANTS) {
      const outcomes: Outcome[] = [];
      for (const user of DATASET) {
        const own = new Set(user.facts.map((fact) => idOf.get(`${user.externalUserId}\n${fact.text}`)));
        for (const fact of user.facts) {
          const asked = performance.now();
          const search = (await graphql(user, SEARCH, { user: user.externalUserId, query: fact.question, mode: variant.mode, weights: variant.weights }))
            .searchMemories;
          const ms = performance.now() - asked;
          if (search.__typename !== 'MemorySearch') throw new Error(`search failed: ${search.message}`);
          const ids: string[] = search.hits.map((hit: any) => hit.memory.id);
          const expected = idOf.get(`${user.externalUserId}\n${fact.text}`)!;
          const foreign = search.hits.filter((hit: any) => hit.memory.externalUserId !== user.externalUserId || !own.has(hit.memory.id)).length;
          outcomes.push({ rank: ids.includes(expected) ? ids.indexOf(expected) + 1 : null, exact: fact.exact.length > 0, foreign, ms });
        }
      }
      results[variant.label] = outcomes;
    }
    return { provider: providerLabel, model: services.embedder.modelId, ingestSeconds, results };
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await services.close();
    await db.close();
  }
}

function metrics(outcomes: Outcome[]) {
  const share = (predicate: (o: Outcome) => boolean) => outcomes.filter(predicate).length / outcomes.length;
  const sorted = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const percentile = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return {
    questions: outcomes.length,
    recallAt1: share((o) => o.rank === 1),
    recallAt5: share((o) => o.rank !== null && o.rank <= 5),
    mrr: outcomes.reduce((sum, o) => sum + (o.rank ? 1 / o.rank : 0), 0) / outcomes.length,
    p50Ms: percentile(0.5),
    p95Ms: percentile(0.95),
    foreignResults: outcomes.reduce((sum, o) => sum + o.foreign, 0),
  };
}

async function main() {
  const dataset = checkDataset(DATASET);
  if (dataset.problems.length > 0) {
    console.error(`The dataset breaks its own rules:\n${dataset.problems.join('\n')}`);
    process.exit(1);
  }
  console.log(
    `Dataset: ${dataset.users} end users in 2 tenants, ${dataset.facts} facts, ${dataset.questions} questions (${dataset.exactQuestions} name an exact term).`,
  );
  const config = loadConfig();
  const providers: [string, Config][] = [['local', { ...config, embeddings: undefined }]];
  if (config.embeddings) providers.push([`remote ${new URL(config.embeddings.url).host}`, config]);

  const report = [];
  for (const [label, providerConfig] of providers) {
    const run = await evaluate(label, providerConfig);
    console.log(`\nProvider ${run.provider} (model ${run.model}); ingest ${run.ingestSeconds.toFixed(1)} s through the API`);
    const rows = Object.entries(run.results).map(([variant, outcomes]) => {
      const all = metrics(outcomes);
      const exact = metrics(outcomes.filter((o) => o.exact));
      const paraphrase = metrics(outcomes.filter((o) => !o.exact));
      return { variant, all, exact, paraphrase };
    });
    const table = rows.map(({ variant, all, exact, paraphrase }) => ({
      mode: variant,
      'recall@1': all.recallAt1.toFixed(3),
      'recall@5': all.recallAt5.toFixed(3),
      MRR: all.mrr.toFixed(3),
      'exact r@1': exact.recallAt1.toFixed(3),
      'exact r@5': exact.recallAt5.toFixed(3),
      'exact MRR': exact.mrr.toFixed(3),
      'paraphrase r@5': paraphrase.recallAt5.toFixed(3),
      'p50 ms': all.p50Ms.toFixed(1),
      'p95 ms': all.p95Ms.toFixed(1),
      foreign: all.foreignResults,
    }));
    console.table(table);
    report.push({ provider: run.provider, model: run.model, ingestSeconds: run.ingestSeconds, rows });
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/retrieval.json', `${JSON.stringify({ at: new Date().toISOString(), dataset, report }, null, 2)}\n`);
  console.log('\nWritten to bench/results/retrieval.json');
  const foreign = report.flatMap((r) => r.rows).reduce((sum, row) => sum + row.all.foreignResults, 0);
  if (foreign > 0) {
    console.error(`${foreign} results belonged to another end user or tenant.`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
