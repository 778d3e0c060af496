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
import { loadConfig, type Config } from '../../src/config.js';
import { Bm25Index } from './bm25.js';
import { extractorCost, type ExtractorCost } from './extractorCost.js';
import { ingest, startGateway, type Graphql } from './harness.js';
import { checkDataset } from './paraphrase.js';
import { DATASET } from './dataset.js';
import { summarise, thresholds, type Metrics, type Outcome, type ThresholdRow } from './metrics.js';
import { weakerEmbedding, type CandidateList, type RobustnessRow } from './robustness.js';
import { shortFactProblems, shortFactSet } from './shortFacts.js';
import { conversationSet, paraphraseSet, type EvalSet } from './sets.js';
import { DEFAULT_WEIGHTS } from '../../src/memory/searchOptions.js';

const MODES = ['SEMANTIC', 'KEYWORD', 'HYBRID'] as const;
const BASELINE = 'BM25 baseline';

const SEARCH = `query($user: String!, $query: String!, $mode: SearchMode, $limit: Int, $now: DateTime) {
  searchMemories(externalUserId: $user, query: $query, mode: $mode, limit: $limit, now: $now) {
    __typename ... on MemorySearch { hits { score semanticScore keywordScore memory { id externalUserId } } } ... on Error { message }
  }
}`;
/** minScores whose effect is printed (default mode, sets with unanswerable questions). */
const MIN_SCORES = [0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6];
/** Noise added to the cosines to stand in for weaker embeddings (see robustness.ts). */
const NOISES = [0, 0.1, 0.2];
const WEIGHTINGS = { 'HYBRID 1:1 (default)': DEFAULT_WEIGHTS, 'HYBRID 1:2': { ...DEFAULT_WEIGHTS, keyword: 2 } };

interface SetRun {
  set: string;
  ingest: { memories: number; seconds: number; perSecond: number };
  /** The offline entity extractor's share of the ingest. */
  extractor: ExtractorCost;
  /** mode -> question kind ("all" included) -> metrics */
  results: Record<string, Record<string, Metrics>>;
  /** The default mode's hits kept and dropped by each minScore (sets with unanswerable questions). */
  minScore: ThresholdRow[];
  weakerEmbedding: RobustnessRow[];
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
    const outcome = (found: { id: string; externalUserId: string; score?: number }[], ms: number): Outcome => ({
      kind: question.kind,
      evidence: evidence.length,
      topScore: found[0]?.score,
      ranks: evidence.map((id) => found.findIndex((hit) => hit.id === id) + 1).filter((rank) => rank > 0),
      foreign: found.filter(
        (hit) => hit.externalUserId !== question.externalUserId || ![...own.values()].includes(hit.id),
      ).length,
      ms,
    });
    const searchHits = async (mode: string, limit: number) => {
      const search = (
        await graphql(question.tenant, SEARCH, {
          user: question.externalUserId,
          query: question.question,
          mode,
          limit,
          now: question.now?.toISOString(),
        })
      ).searchMemories;
      if (search.__typename !== 'MemorySearch') throw new Error(`search failed: ${search.message}`);
      return search.hits as {
        score: number;
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
          hits.map((hit) => ({ ...hit.memory, score: hit.score })),
          performance.now() - asked,
        ),
      );
    }
    const deep = await searchHits('HYBRID', 50);
    if (evidence.length > 0)
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
    extractor: extractorCost(
      set.users.flatMap((user) => user.memories.map((memory) => memory.content)),
      ingested.perSecond,
    ),
    results,
    minScore: thresholds(outcomes.HYBRID, MIN_SCORES),
    weakerEmbedding: weakerEmbedding(candidateLists, NOISES, WEIGHTINGS),
  };
}

function printSet(run: SetRun, questions: number) {
  console.log(
    `\n${run.set}: ${questions} questions; ingest ${run.ingest.memories} memories in ${run.ingest.seconds.toFixed(1)} s = ${run.ingest.perSecond.toFixed(1)}/s through addMemories`,
  );
  const { extractor } = run;
  console.log(
    `offline entity extractor: ${extractor.perSecond.toFixed(0)} memories/s alone (${extractor.microseconds.toFixed(1)} µs each); ingest without it: ${extractor.ingestWithoutPerSecond.toFixed(1)}/s`,
  );
  // Unanswerable questions have no recall: the minScore table below is theirs.
  const kinds = Object.keys(run.results.HYBRID).filter((kind) => kind !== 'all' && kind !== 'unanswerable');
  console.table(
    Object.entries(run.results).map(([mode, byKind]) => ({
      mode,
      'recall@1': byKind.all.recallAt1.toFixed(3),
      'recall@5': byKind.all.recallAt5.toFixed(3),
      'recall@10': byKind.all.recallAt10.toFixed(3),
      MRR: byKind.all.mrr.toFixed(3),
      ...Object.fromEntries(kinds.map((kind) => [`${kind} r@5`, byKind[kind].recallAt5.toFixed(3)])),
      'p50 ms': byKind.all.p50Ms.toFixed(1),
      foreign: byKind.all.foreign,
    })),
  );
  console.log('recall@1 per kind:');
  console.table(
    Object.entries(run.results).map(([mode, byKind]) => ({
      mode,
      ...Object.fromEntries(kinds.map((kind) => [kind, byKind[kind].recallAt1.toFixed(3)])),
    })),
  );
  if (run.results.HYBRID.unanswerable) {
    console.log('minScore on the default mode: right first hits kept, unanswerable questions left with no hit');
    console.table(
      run.minScore.map((row) => ({
        minScore: row.minScore,
        'right top hits kept': row.rightTopHitsKept.toFixed(3),
        'unanswerable emptied': row.unanswerableEmpty.toFixed(3),
      })),
    );
  }
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
  const allSets = [shortFactSet(), conversationSet(), paraphraseSet()];
  const shortFactIssues = shortFactProblems();
  if (shortFactIssues.length > 0) {
    console.error(`The short-fact set breaks its own rules:\n${shortFactIssues.join('\n')}`);
    process.exit(1);
  }
  const users = allSets.flatMap((set) => set.users.map((user) => `${user.tenant}/${user.externalUserId}`));
  const shared = users.filter((user, i) => users.indexOf(user) !== i);
  if (shared.length > 0) {
    // One gateway holds every set: an end user of two sets would find the other's memories ("foreign").
    console.error(`End users in more than one set: ${shared.join(', ')}`);
    process.exit(1);
  }
  // EVAL_SETS=short,paraphrase runs only the sets whose names start with these.
  const wanted = process.env.EVAL_SETS?.split(',');
  const sets = allSets.filter((set) => !wanted || wanted.some((prefix) => set.name.startsWith(prefix)));
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
