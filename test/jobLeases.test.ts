import { randomUUID } from 'node:crypto';
import { batchedEmbedder, userServices } from '../src/app/userServices.js';
import { createTenant } from '../src/db/admin.js';
import { Claude } from '../src/llm/claude.js';
import { JobRunner } from '../src/memory/jobRunner.js';
import { FakeAnthropic, type RecordedRequest } from './support/fakeAnthropic.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from './support/databases.js';
import {
  killGatewayProcesses,
  postGraphQL,
  startGatewayProcess,
  type GatewayProcess,
} from './support/gatewayProcess.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { uuidOf } from './support/ids.js';

const REMEMBER_ASYNC = `mutation($user: String!, $content: String!) {
  rememberConversation(input: { externalUserId: $user, messages: [{ role: USER, content: $content }], mode: ASYNC }) { ... on ConversationJob { id status } }
}`;
const JOB = `query($user: String!, $id: ID!) { job(externalUserId: $user, id: $id) { ... on ConversationJob { status attempts error failures { attempt reason } changes { content } } } }`;

/** Answers extraction with one fact per message and adds every fact; `slow` delays the extraction. */
function addEveryFact(slowMs = 0) {
  return (request: RecordedRequest) =>
    request.tool === 'record_facts'
      ? {
          tool: 'record_facts',
          input: {
            facts: request.block('conversation').map((m: { content: string }) => `The user said: ${m.content}`),
          },
          delayMs: slowMs,
        }
      : {
          tool: 'decide_memory_changes',
          input: {
            decisions: request.block('facts').map((f: { index: number; fact: string }) => ({
              fact: f.index,
              action: 'ADD',
              text: f.fact,
              reason: 'new',
            })),
          },
        };
}

const until = async (what: string, check: () => Promise<boolean>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe.each(databaseKinds)('conversation job leases on %s', (kind) => {
  const fake = new FakeAnthropic();
  const LEASE_MS = 1000;
  let t: TestGateway;
  const runner = () =>
    new JobRunner(
      t.db.prisma,
      (tenantId, user) => userServices(t.services, tenantId, user, batchedEmbedder(t.services.embedder)).conversations,
      {
        leaseMs: LEASE_MS,
      },
    );

  beforeAll(async () => {
    await fake.start();
    const claude = new Claude({
      apiKey: 'test-key',
      baseURL: fake.url,
      model: 'claude-test',
      maxTokens: 1024,
      timeoutMs: 10_000,
      maxRetries: 0,
    });
    t = await startTestGateway(kind, { claude, extra: { jobLeaseMs: LEASE_MS } });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  test('a running job keeps its lease by heartbeat however long the model takes: no other runner claims it meanwhile', async () => {
    const queued = (await t.request(REMEMBER_ASYNC, { user: 'olga', content: 'I grow tomatoes on my balcony.' })).data
      .rememberConversation;
    fake.answerEach(addEveryFact(3 * LEASE_MS));
    const first = runner().drain();
    await until('the extraction call', async () => fake.requests.length === 1, 5000);
    // Three lease lengths of model time: without renewals the claim would have expired twice over.
    const second = runner();
    const claimedBySecond: number[] = [];
    for (let i = 0; i < 6; i++) {
      claimedBySecond.push(await second.drain());
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS / 2));
    }
    expect(await first).toBe(1);
    expect(claimedBySecond).toEqual([0, 0, 0, 0, 0, 0]);
    const job = (await t.request(JOB, { user: 'olga', id: queued.id })).data.job;
    expect(job).toEqual({
      status: 'DONE',
      attempts: 1,
      error: null,
      failures: [],
      changes: [{ content: 'The user said: I grow tomatoes on my balcony.' }],
    });
    expect(fake.requests.filter((request) => request.tool === 'record_facts')).toHaveLength(1);
  });

  test('an instance whose lease was taken over stops at its next heartbeat and writes nothing: the new holder alone finishes the job', async () => {
    const queued = (await t.request(REMEMBER_ASYNC, { user: 'pia', content: 'I play the cello.' })).data
      .rememberConversation;
    fake.answerEach(addEveryFact(4 * LEASE_MS));
    const stale = runner().drain();
    await until('the extraction call', async () => fake.requests.length === 1, 5000);
    // Another instance claims the job, as it would after this one's lease had lapsed (a long pause).
    const newLease = randomUUID();
    await t.db.prisma.conversation.updateMany({
      where: { id: uuidOf(queued.id) },
      data: { leaseId: newLease, attempts: 2, lockedUntil: new Date(Date.now() + 60_000) },
    });
    expect(await stale).toBe(1);
    const row = await t.db.prisma.conversation.findFirstOrThrow({ where: { id: uuidOf(queued.id) } });
    expect(row).toMatchObject({ status: 'RUNNING', leaseId: newLease, attempts: 2, failures: [] });
    expect(
      (await t.request(`{ memories(externalUserId: "pia") { ... on MemoryConnection { totalCount } } }`)).data.memories
        .totalCount,
    ).toBe(0);

    // The holder finishes it; the stale instance, had it gone on, could not have: the DONE mark needs the lease.
    fake.answerEach(addEveryFact());
    const conversations = userServices(
      t.services,
      t.tenants.acme.tenantId,
      'pia',
      batchedEmbedder(t.services.embedder),
    ).conversations;
    await expect(conversations.process(uuidOf(queued.id), randomUUID())).rejects.toThrow(/taken over/);
    expect(
      (await t.request(`{ memories(externalUserId: "pia") { ... on MemoryConnection { totalCount } } }`)).data.memories
        .totalCount,
    ).toBe(0);
    const done = await conversations.process(uuidOf(queued.id), newLease);
    expect(done).toMatchObject({ status: 'DONE', attempts: 2 });
    expect(
      (await t.request(`{ memories(externalUserId: "pia") { ... on MemoryConnection { totalCount } } }`)).data.memories
        .totalCount,
    ).toBe(1);
  });
});

/** Two gateway processes on one PostgreSQL, one killed mid-job: what a crashed replica does. */
const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

onPostgres('a gateway killed while it runs a job', () => {
  const fake = new FakeAnthropic();
  let db: TestDatabase;
  let gateways: Record<'/a' | '/b', GatewayProcess>;
  let apiKey: string;

  beforeAll(async () => {
    await fake.start();
    db = await openTestDatabase('postgres');
    ({ apiKey } = await createTenant(db.prisma, 'crashy'));
    const env = (path: string) => ({
      NODE_ENV: 'production',
      DATABASE_URL: db.url!,
      DATABASE_APP_URL: db.appUrl!,
      MEMGATE_SECRET: 'leases-test-secret-0123456789abcdef',
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: `${fake.url}${path}`,
      MEMGATE_JOB_LEASE_SECONDS: '2',
    });
    const [a, b] = await Promise.all([startGatewayProcess(env('/a')), startGatewayProcess(env('/b'))]);
    gateways = { '/a': a, '/b': b };
  });
  afterAll(async () => {
    await Promise.all(Object.values(gateways ?? {}).map((gateway) => gateway.stop()));
    killGatewayProcesses();
    await fake.stop();
    await db?.destroy();
  });

  test('is re-claimed by the other within seconds and finished once, with the stopped attempt recorded', async () => {
    // The first extraction never comes back in time: its gateway is killed while waiting for it.
    let extractions = 0;
    fake.answerEach((request) =>
      addEveryFact(request.tool === 'record_facts' && extractions++ === 0 ? 30_000 : 0)(request),
    );
    const queued = (
      await postGraphQL(gateways['/a'].url, apiKey, REMEMBER_ASYNC, {
        user: 'quinn',
        content: 'I am moving to Oslo in March.',
      })
    ).body.data.rememberConversation;
    await until('a gateway to take the job', async () => fake.requests.length === 1, 15_000);
    const runner = fake.requests[0].via as '/a' | '/b';
    const survivor = gateways[runner === '/a' ? '/b' : '/a'];
    gateways[runner].child.kill('SIGKILL');
    const killedAt = performance.now();

    const job = async () =>
      (await postGraphQL(survivor.url, apiKey, JOB, { user: 'quinn', id: queued.id })).body.data.job;
    await until('the job to finish on the surviving gateway', async () => (await job()).status === 'DONE', 30_000);
    console.log(
      `crash recovery: the job was finished ${((performance.now() - killedAt) / 1000).toFixed(1)} s after its gateway was killed (lease 2 s)`,
    );
    expect(await job()).toEqual({
      status: 'DONE',
      attempts: 2,
      error: null,
      failures: [{ attempt: 1, reason: expect.stringMatching(/stopped before finishing/) }],
      changes: [{ content: 'The user said: I am moving to Oslo in March.' }],
    });
    expect(fake.requests.slice(1).every((request) => request.via !== runner)).toBe(true);
    const memories = await postGraphQL(
      survivor.url,
      apiKey,
      `{ memories(externalUserId: "quinn") { ... on MemoryConnection { totalCount } } }`,
    );
    expect(memories.body.data.memories.totalCount).toBe(1);
  });
});
