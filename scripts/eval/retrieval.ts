/**
 * npm run eval:retrieval — how well search finds the right memories, per mode, per question kind
 * and per embedding provider, on two sets:
 * - conversations: multi-session chats stored turn by turn (scripts/eval/conversations/*.txt);
 * - paraphrase: facts asked about in other words (scripts/eval/dataset.ts).
 * Everything goes through the GraphQL API of a real gateway (HTTP on loopback, embedded PGlite in
 * memory): ingest with addMemories (turns per second are printed), then every question in every
 * mode. A plain BM25 computed in this script is the baseline, and HYBRID's candidates are ranked
 * again with noise added to their cosines, to see how the fusion holds up with a weaker embedding.
 * The local model always runs; with EMBEDDINGS_URL set, that provider runs too. Figures go to
 * bench/results/retrieval.json.
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
import { Bm25Index } from './bm25.js';
import { checkDataset } from './paraphrase.js';
import { DATASET } from './dataset.js';
import { summarise, type Metrics, type Outcome } from './metrics.js';
import { weakerEmbedding, type CandidateList, type RobustnessRow } from './robustness.js';
import { conversationSet, paraphraseSet, type EvalSet, type EvalSetUser } from './sets.js';
import { DEFAULT_WEIGHTS } from '../../src/memory/searchOptions.js';

const MODES = ['SEMANTIC', 'KEYWORD', 'HYBRID'] as const;
const BASELINE = 'BM25 baseline';
/** Batches of addMemories in flight at once while ingesting (each batch is one end user's). */
const INGEST_CONCURRENCY = 4;

const SEARCH = `query($user: String!, $query: String!, $mode: SearchMode, $limit: Int) {
  searchMemories(externalUserId: $user, query: $query, mode: $mode, limit: $limit) {
    __typename ... on MemorySearch { hits { semanticScore keywordScore memory { id externalUserId } } } ... on Error { message }
  }
}`;
/** Noise added to the cosines to stand in for weaker embeddings (see robustness.ts). */
const NOISES = [0, 0.1, 0.2];
const WEIGHTINGS = { 'HYBRID 1:1': { semantic: 1, keyword: 1 }, 'HYBRID 1:2 (default)': DEFAULT_WEIGHTS };
const ADD_MANY = `mutation($input: AddMemoriesInput!) {
  addMemories(input: $input) { __typename ... on AddedMemories { results { memory { id content } } } ... on Error { message } }
}`;

type Graphql = (tenant: 'acme' | 'globex', query: string, variables: object) => Promise<any>;

interface SetRun {
  set: string;
  ingest: { memories: number; seconds: number; perSecond: number };
  /** mode -> question kind ("all" included) -> metrics */
  results: Record<string, Record<string, Metrics>>;
  weakerEmbedding: RobustnessRow[];
}

async function startGateway(config: Config) {
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

/** Stores every memory through addMemories; returns end user -> content -> memory id. */
async function ingest(graphql: Graphql, users: EvalSetUser[]) {
  const batches = users.flatMap((user) =>
    Array.from({ length: Math.ceil(user.memories.length / 100) }, (_, i) => ({
      user,
      memories: user.memories.slice(i * 100, i * 100 + 100),
    })),
  );
  const ids = new Map<string, Map<string, string>>(users.map((user) => [user.externalUserId, new Map()]));
  const started = performance.now();
  const worker = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      const input = {
        externalUserId: batch.user.externalUserId,
        memories: batch.memories.map((m) => ({ content: m.content, occurredAt: m.occurredAt?.toISOString() })),
      };
      const added = (await graphql(batch.user.tenant, ADD_MANY, { input })).addMemories;
      if (added.__typename !== 'AddedMemories') throw new Error(`ingest failed: ${added.message}`);
      for (const result of added.results)
        ids.get(batch.user.externalUserId)!.set(result.memory.content, result.memory.id);
    }
  };
  await Promise.all(Array.from({ length: INGEST_CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const memories = users.reduce((sum, user) => sum + user.memories.length, 0);
  return { ids, ingest: { memories, seconds, perSecond: memories / seconds } };
}

async function runSet(graphql: Graphql, set: EvalSet): Promise<SetRun> {
  const { ids, ingest: ingested } = await ingest(graphql, set.users);
  const baselines = new Map(
    set.users.map((user) => [
      user.externalUserId,
      new Bm25Index(
        user.memories.map((m) => ({ id: ids.get(user.externalUserId)!.get(m.content)!, content: m.content })),
      ),
    ]),
  );
  const outcomes: Record<string, Outcome[]> = Object.fromEntries([...MODES, BASELINE].map((mode) => [mode, []]));
  const candidateLists: CandidateList[] = [];
  for (const question of set.questions) {
    const own = ids.get(question.externalUserId)!;
    const evidence = question.evidence.map((content) => own.get(content)!);
    const outcome = (found: { id: string; externalUserId: string }[], ms: number): Outcome => ({
      kind: question.kind,
      evidence: evidence.length,
      ranks: evidence.map((id) => found.findIndex((hit) => hit.id === id) + 1).filter((rank) => rank > 0),
      foreign: found.filter(
        (hit) => hit.externalUserId !== question.externalUserId || ![...own.values()].includes(hit.id),
      ).length,
      ms,
    });
    const searchHits = async (mode: string, limit: number) => {
      const search = (
        await graphql(question.tenant, SEARCH, { user: question.externalUserId, query: question.question, mode, limit })
      ).searchMemories;
      if (search.__typename !== 'MemorySearch') throw new Error(`search failed: ${search.message}`);
      return search.hits as {
        semanticScore: number | null;
        keywordScore: number | null;
        memory: { id: string; externalUserId: string };
      }[];
    };
    for (const mode of MODES) {
      const asked = performance.now();
      const hits = await searchHits(mode, 10);
      outcomes[mode].push(
        outcome(
          hits.map((hit) => hit.memory),
          performance.now() - asked,
        ),
      );
    }
    const deep = await searchHits('HYBRID', 50);
    candidateLists.push({
      evidenceCount: evidence.length,
      candidates: deep.map((hit) => ({
        semanticScore: hit.semanticScore,
        keywordScore: hit.keywordScore,
        evidence: evidence.includes(hit.memory.id),
      })),
    });
    const asked = performance.now();
    const baseline = baselines.get(question.externalUserId)!.search(question.question, 10);
    outcomes[BASELINE].push(
      outcome(
        baseline.map((id) => ({ id, externalUserId: question.externalUserId })),
        performance.now() - asked,
      ),
    );
  }
  const kinds = [...new Set(set.questions.map((q) => q.kind))];
  const results = Object.fromEntries(
    Object.entries(outcomes).map(([mode, list]) => [
      mode,
      Object.fromEntries([
        ['all', summarise(list)],
        ...kinds.map((kind) => [kind, summarise(list.filter((o) => o.kind === kind))]),
      ]),
    ]),
  );
  return {
    set: set.name,
    ingest: ingested,
    results,
    weakerEmbedding: weakerEmbedding(candidateLists, NOISES, WEIGHTINGS),
  };
}

function printSet(run: SetRun, questions: number) {
  console.log(
    `\n${run.set}: ${questions} questions; ingest ${run.ingest.memories} memories in ${run.ingest.seconds.toFixed(1)} s = ${run.ingest.perSecond.toFixed(1)}/s through addMemories`,
  );
  const kinds = Object.keys(run.results.HYBRID).filter((kind) => kind !== 'all');
  console.table(
    Object.entries(run.results).map(([mode, byKind]) => ({
      mode,
      'recall@5': byKind.all.recallAt5.toFixed(3),
      'recall@10': byKind.all.recallAt10.toFixed(3),
      MRR: byKind.all.mrr.toFixed(3),
      ...Object.fromEntries(kinds.map((kind) => [`${kind} r@5`, byKind[kind].recallAt5.toFixed(3)])),
      'p50 ms': byKind.all.p50Ms.toFixed(1),
      foreign: byKind.all.foreign,
    })),
  );
  console.log(
    `With a weaker embedding (noise added to every cosine; KEYWORD alone: ${run.results.KEYWORD.all.recallAt5.toFixed(3)}), recall@5:`,
  );
  console.table(
    run.weakerEmbedding.map((row) => ({
      'cosine noise σ': row.noise,
      SEMANTIC: row.semantic.toFixed(3),
      ...Object.fromEntries(Object.entries(row.hybrid).map(([name, recall]) => [name, recall.toFixed(3)])),
    })),
  );
}

async function main() {
  const problems = checkDataset(DATASET).problems;
  if (problems.length > 0) {
    console.error(`The paraphrase set breaks its own rules:\n${problems.join('\n')}`);
    process.exit(1);
  }
  const sets = [conversationSet(), paraphraseSet()];
  for (const set of sets) {
    console.log(
      `Set ${set.name}: ${set.users.length} end users, ${set.users.reduce((n, u) => n + u.memories.length, 0)} memories, ${set.questions.length} questions`,
    );
  }
  const config = loadConfig();
  const providers: [string, Config][] = [['local', { ...config, embeddings: undefined }]];
  if (config.embeddings) providers.push([`remote ${new URL(config.embeddings.url).host}`, config]);

  const report = [];
  for (const [label, providerConfig] of providers) {
    const gateway = await startGateway(providerConfig);
    try {
      console.log(`\nProvider ${label} (model ${gateway.modelId})`);
      const runs: SetRun[] = [];
      for (const set of sets) {
        const run = await runSet(gateway.graphql, set);
        printSet(run, set.questions.length);
        runs.push(run);
      }
      report.push({ provider: label, model: gateway.modelId, runs });
    } finally {
      await gateway.close();
    }
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/retrieval.json',
    `${JSON.stringify({ at: new Date().toISOString(), report }, null, 2)}\n`,
  );
  console.log('\nWritten to bench/results/retrieval.json');
  const foreign = report
    .flatMap((r) => r.runs)
    .flatMap((run) => Object.values(run.results))
    .reduce((sum, byKind) => sum + byKind.all.foreign, 0);
  if (foreign > 0) {
    console.error(`${foreign} results belonged to another end user or tenant.`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
