import { calibrated, fuse } from '../src/memory/ranking.js';
import { DEFAULT_WEIGHTS } from '../src/memory/searchOptions.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const ADD_MANY = `mutation($input: AddMemoriesInput!) {
  addMemories(input: $input) { __typename ... on AddedMemories { results { memory { id } } } }
}`;
const SEARCH = `query($user: String!, $query: String!, $mode: SearchMode, $weights: HybridWeights, $filter: MemoryFilter) {
  searchMemories(externalUserId: $user, query: $query, mode: $mode, weights: $weights, filter: $filter, limit: 50) {
    __typename
    ... on MemorySearch { hits { score semanticScore keywordScore entityScore questionScore memory { content } } }
  }
}`;
const DELETE = `mutation($input: DeleteMemoryInput!) { deleteMemory(input: $input) { __typename } }`;

interface Hit {
  score: number;
  semanticScore: number | null;
  keywordScore: number | null;
  entityScore: number | null;
  questionScore: number | null;
  memory: { content: string };
}

describe.each(databaseKinds)('the reply to a matching question, on %s', (kind) => {
  let t: TestGateway;
  const alice = 'alice@example.com';
  const question = 'Maya: Did the mechanic manage to fix the brakes on your van?';
  const reply = 'Leo: Yes. 2,300 pounds later.';
  const statement = 'Maya: The mechanic on our street fixed my brakes last year.';
  const afterStatement = 'Leo: Good to know.';
  const chat = [
    'Maya: How was your weekend?',
    'Leo: Quiet. I read a lot.',
    question,
    reply,
    'Maya: Ouch.',
    statement,
    afterStatement,
  ];
  const add = (user: string, contents: string[], threadId: string | null, extra: object = {}) =>
    t.request(ADD_MANY, {
      input: {
        externalUserId: user,
        memories: contents.map((content, i) => ({
          content,
          threadId,
          occurredAt: new Date(Date.UTC(2025, 3, 1, 18, i)).toISOString(),
          ...extra,
        })),
      },
    });
  const search = async (user: string, query: string, variables: object = {}): Promise<Hit[]> => {
    const result = await t.request(SEARCH, { user, query, ...variables });
    expect(result.data.searchMemories.__typename).toBe('MemorySearch');
    return result.data.searchMemories.hits;
  };
  const find = (hits: Hit[], content: string) => hits.find((hit) => hit.memory.content === content);
  const QUERY = 'How much did the van brake repair cost?';

  beforeAll(async () => {
    t = await startTestGateway(kind);
    expect((await add(alice, chat, 'chat-1')).data.addMemories.__typename).toBe('AddedMemories');
  });
  afterAll(() => t.close());

  test("a reply gets its question's evidence as questionScore, and the score adds 0.2 of it", async () => {
    const hits = await search(alice, QUERY);
    const asked = find(hits, question)!;
    const answered = find(hits, reply)!;
    expect(asked.questionScore).toBeNull();
    expect(answered.questionScore).toBeCloseTo(fuse(asked, DEFAULT_WEIGHTS), 6);
    expect(answered.score).toBeCloseTo(
      calibrated('HYBRID', fuse(answered, DEFAULT_WEIGHTS) + 0.2 * answered.questionScore!),
      6,
    );
    // The turns after a statement get none; the reply to a question far from the query gets little.
    expect(find(hits, afterStatement)?.questionScore ?? null).toBeNull();
    expect(find(hits, 'Maya: Ouch.')?.questionScore ?? null).toBeNull();
    const weekend = find(hits, 'Leo: Quiet. I read a lot.')!;
    expect(weekend.questionScore).toBeCloseTo(fuse(find(hits, 'Maya: How was your weekend?')!, DEFAULT_WEIGHTS), 6);
    expect(weekend.questionScore!).toBeLessThan(answered.questionScore! / 2);
  });

  test('the reply ranks higher with it than without it (weights.question 0)', async () => {
    const rank = (hits: Hit[]) => hits.findIndex((hit) => hit.memory.content === reply);
    const withIt = rank(await search(alice, QUERY));
    const without = rank(await search(alice, QUERY, { weights: { question: 0 } }));
    expect(withIt).toBeGreaterThanOrEqual(0);
    expect(without === -1 || withIt < without).toBe(true);
  });

  test('SEMANTIC and KEYWORD add nothing for replies', async () => {
    for (const mode of ['SEMANTIC', 'KEYWORD']) {
      const hits = await search(alice, QUERY, { mode });
      expect(hits.every((hit) => hit.questionScore === null)).toBe(true);
    }
  });

  test('a reply the filter leaves out is not brought in; a memory outside the thread is no reply', async () => {
    const tagged = 'tagged@example.com';
    await add(tagged, [question], 'chat-2', { tags: ['car'] });
    await add(tagged, [reply], 'chat-2', {});
    await add(tagged, ['Leo: Unrelated, but I adopted a cat.'], null, { tags: ['car'] });
    const filtered = await search(tagged, QUERY, { filter: { tags: ['car'] } });
    expect(find(filtered, question)).toBeDefined();
    expect(find(filtered, reply)).toBeUndefined();
    expect(find(await search(tagged, QUERY), reply)!.questionScore).not.toBeNull();
  });

  test('the reply is the next live turn: a deleted reply is skipped', async () => {
    const user = 'deleted@example.com';
    const added = await add(user, [question, reply, 'Leo: Sorry, wrong chat. They are fixed, 900 pounds.'], 'chat-3');
    const [, replyId] = added.data.addMemories.results.map((r: any) => r.memory.id);
    const deleted = await t.request(DELETE, { input: { externalUserId: user, id: replyId } });
    expect(deleted.data.deleteMemory.__typename).toBe('DeletedMemory');
    const hits = await search(user, QUERY);
    expect(find(hits, reply)).toBeUndefined();
    expect(find(hits, 'Leo: Sorry, wrong chat. They are fixed, 900 pounds.')!.questionScore).not.toBeNull();
  });

  test("another end user's or tenant's turns in a thread of the same name are never a reply", async () => {
    // Bob's and the other tenant's turn in "chat-1" comes right after alice's question in time.
    const theirs = 'Leo: Bob here, my van is fine and cost nothing.';
    const right = (user: string, key?: string) =>
      t.request(
        ADD_MANY,
        {
          input: {
            externalUserId: user,
            memories: [{ content: theirs, threadId: 'chat-1', occurredAt: '2025-04-01T18:02:30Z' }],
          },
        },
        key,
      );
    await right('bob@example.com');
    await right(alice, t.tenants.globex.apiKey);
    const hits = await search(alice, QUERY);
    expect(find(hits, theirs)).toBeUndefined();
    expect(find(hits, reply)!.questionScore).not.toBeNull();
    // And bob's search sees his own turn only, with no question before it.
    const bobs = await search('bob@example.com', QUERY);
    expect(bobs.map((hit) => hit.memory.content)).toEqual([theirs]);
    expect(bobs[0].questionScore).toBeNull();
  });
});
