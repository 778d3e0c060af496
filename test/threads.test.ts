import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const ADD_MANY = `mutation($input: AddMemoriesInput!) {
  addMemories(input: $input) {
    __typename
    ... on AddedMemories { results { memory { id content threadId } } }
    ... on ValidationError { field message }
  }
}`;
const ADD = `mutation($input: AddMemoryInput!) {
  addMemory(input: $input) { __typename ... on AddedMemory { memory { id threadId } } ... on ValidationError { field } }
}`;
const LIST = `query($user: String!, $filter: MemoryFilter) {
  memories(externalUserId: $user, first: 100, filter: $filter) {
    ... on MemoryConnection { totalCount edges { node { content threadId } } }
  }
}`;
const SEARCH = `query($user: String!, $query: String!, $mode: SearchMode, $filter: MemoryFilter, $before: Int, $after: Int) {
  searchMemories(externalUserId: $user, query: $query, mode: $mode, filter: $filter) {
    ... on MemorySearch { hits { memory { content } context(before: $before, after: $after) { before { content } after { content } } } }
  }
}`;

const contentsOf = (memories: { content: string }[]) => memories.map((memory) => memory.content);

describe.each(databaseKinds)('threads on %s', (kind) => {
  let t: TestGateway;
  const user = 'noor@example.com';
  // A chat, stored turn by turn; its turns arrive in two requests.
  const chat = [
    { content: 'Noor: Did you sign up for the pottery workshop?', occurredAt: '2025-04-01T18:00:00Z' },
    { content: 'Sam: Yes, I went last week!', occurredAt: '2025-04-01T18:01:00Z' },
    { content: 'Noor: Was the teacher nice?', occurredAt: '2025-04-01T18:02:00Z' },
  ];
  const later = { content: 'Sam: Very patient, and I made a bowl.', occurredAt: '2025-04-01T18:03:00Z' };
  const other = { content: 'Sam: I went to the dentist.', occurredAt: '2025-04-01T18:01:30Z' };

  beforeAll(async () => {
    t = await startTestGateway(kind);
    const added = await t.request(ADD_MANY, {
      input: { externalUserId: user, memories: [...chat.map((turn) => ({ ...turn, threadId: 'chat-1' })), other] },
    });
    expect(added.data.addMemories.__typename).toBe('AddedMemories');
    const next = await t.request(ADD, { input: { externalUserId: user, ...later, threadId: 'chat-1' } });
    expect(next.data.addMemory.memory.threadId).toBe('chat-1');
  });
  afterAll(() => t.close());

  test('a thread is listed by its id; a memory without one has none', async () => {
    const listed = (await t.request(LIST, { user, filter: { threadId: 'chat-1' } })).data.memories;
    expect(listed.totalCount).toBe(4);
    expect(new Set(contentsOf(listed.edges.map((e: any) => e.node)))).toEqual(
      new Set([...chat, later].map((turn) => turn.content)),
    );
    const all = (await t.request(LIST, { user })).data.memories.edges.map((e: any) => e.node);
    expect(all.find((m: any) => m.content === other.content).threadId).toBeNull();
  });

  test('keyword search reads a turn with the one before it in its thread, in the same request or a later one', async () => {
    const hits = (await t.request(SEARCH, { user, query: 'pottery workshop', mode: 'KEYWORD' })).data.searchMemories
      .hits;
    // The answer holds none of the question's words; the question before it does.
    expect(contentsOf(hits.map((h: any) => h.memory))).toEqual([chat[0].content, chat[1].content]);
    const patient = (await t.request(SEARCH, { user, query: 'teacher', mode: 'KEYWORD' })).data.searchMemories.hits;
    expect(contentsOf(patient.map((h: any) => h.memory)).sort()).toEqual([chat[2].content, later.content].sort());
    // A memory outside the thread gets no words from it, though it occurred between two of its turns.
    const dentist = (await t.request(SEARCH, { user, query: 'dentist', mode: 'KEYWORD' })).data.searchMemories.hits;
    expect(contentsOf(dentist.map((h: any) => h.memory))).toEqual([other.content]);
  });

  test('a hit shows its neighbours in the thread, in the order they occurred, as many as asked', async () => {
    const search = (before?: number, after?: number) =>
      t.request(SEARCH, { user, query: 'teacher', mode: 'KEYWORD', before, after });
    const question = (result: any) =>
      result.data.searchMemories.hits.find((h: any) => h.memory.content === chat[2].content);
    const hit = question(await search());
    expect(contentsOf(hit.context.before)).toEqual([chat[1].content]);
    expect(contentsOf(hit.context.after)).toEqual([later.content]);
    const wide = question(await search(5, 0));
    expect(contentsOf(wide.context.before)).toEqual([chat[0].content, chat[1].content]);
    expect(wide.context.after).toEqual([]);
    const dentist = (await t.request(SEARCH, { user, query: 'dentist', mode: 'KEYWORD' })).data.searchMemories.hits;
    expect(dentist[0].context).toEqual({ before: [], after: [] });
    const tooMany = await search(21, 1);
    expect(tooMany.errors?.[0]).toMatchObject({
      message: 'before must be an integer from 0 to 20.',
      extensions: { code: 'VALIDATION_FAILED' },
    });
  });

  test('memoryContext shows each memory with the turns around it when asked, within the budget', async () => {
    const context = (threadContext?: number) =>
      t.request(
        `query($user: String!, $around: Int) { memoryContext(externalUserId: $user, query: "pottery workshop", threadContext: $around) {
          ... on MemoryContext { text } ... on ValidationError { field } } }`,
        { user, around: threadContext },
      );
    const plain = (await context()).data.memoryContext.text;
    expect(plain).not.toMatch(/just before/);
    const around = (await context(1)).data.memoryContext.text;
    expect(around).toContain(
      `- ${chat[1].content} (2025-04-01)\n  just before in its conversation: ${chat[0].content}`,
    );
    expect(around).toContain(`  just after in its conversation: ${chat[2].content}`);
    expect((await context(21)).data.memoryContext).toEqual({ field: 'threadContext' });
  });

  test('a long turn after a long turn in its thread is stored and found: the context is the start of the turn before', async () => {
    // Pseudo-words that share no stem ("kaax kbax kcax …"), 800 characters a turn: their words and all of the
    // turn before's would not fit in one row of the covering index.
    const words = (prefix: string, count: number) =>
      Array.from(
        { length: count },
        (_, i) =>
          prefix + String.fromCharCode(97 + (i % 26)) + String.fromCharCode(97 + (Math.floor(i / 26) % 26)) + 'x',
      ).join(' ');
    const first = `Lou: ${words('k', 400)}`.slice(0, 800);
    const second = `Max: ${words('m', 400)}`.slice(0, 800);
    const added = await t.request(ADD_MANY, {
      input: { externalUserId: 'lou', memories: [first, second].map((content) => ({ content, threadId: 'long' })) },
    });
    expect(added.data.addMemories.__typename).toBe('AddedMemories');
    const found = async (query: string) =>
      contentsOf(
        (await t.request(SEARCH, { user: 'lou', query, mode: 'KEYWORD' })).data.searchMemories.hits.map(
          (h: any) => h.memory,
        ),
      );
    expect(await found('kaax')).toEqual([first, second]);
    expect(await found('mzfx')).toEqual([second]);
  });

  test('a deleted turn drops out of its neighbours', async () => {
    const fresh = 'quinn@example.com';
    const added = (
      await t.request(ADD_MANY, {
        input: {
          externalUserId: fresh,
          memories: ['Quinn: one', 'Quinn: two', 'Quinn: three'].map((content, i) => ({
            content,
            threadId: 't',
            occurredAt: `2025-01-0${i + 1}T00:00:00Z`,
          })),
        },
      })
    ).data.addMemories.results;
    await t.request(
      `mutation($id: ID!) { deleteMemory(input: { externalUserId: "${fresh}", id: $id }) { __typename } }`,
      {
        id: added[1].memory.id,
      },
    );
    const [hit] = (await t.request(SEARCH, { user: fresh, query: 'three', mode: 'KEYWORD' })).data.searchMemories.hits;
    expect(contentsOf(hit.context.before)).toEqual(['Quinn: one']);
  });

  test('threadId is checked: 1-200 characters without control characters, nothing stored otherwise', async () => {
    for (const threadId of ['', '   ', 'x'.repeat(201), 'a\nb']) {
      const refused = await t.request(ADD_MANY, {
        input: {
          externalUserId: 'rae',
          memories: [
            { content: 'fine', threadId: 'ok' },
            { content: 'bad', threadId },
          ],
        },
      });
      expect(refused.data.addMemories).toMatchObject({ __typename: 'ValidationError', field: 'memories.1.threadId' });
    }
    expect((await t.request(LIST, { user: 'rae' })).data.memories.totalCount).toBe(0);
    const longest = await t.request(ADD, {
      input: { externalUserId: 'rae', content: 'ok', threadId: 'x'.repeat(200) },
    });
    expect(longest.data.addMemory.memory.threadId).toHaveLength(200);
  });

  test("another end user's or tenant's thread of the same name is theirs alone: not listed, not context, no words", async () => {
    const intruder = {
      content: 'Mallory: secret Mallorca plans',
      threadId: 'chat-2',
      occurredAt: '2025-05-01T10:00:00Z',
    };
    await t.request(ADD, { input: { externalUserId: 'mallory@example.com', ...intruder } });
    await t.request(ADD, { input: { externalUserId: user, ...intruder } }, t.tenants.globex.apiKey);
    const own = { content: 'Sam: Booked the flights.', threadId: 'chat-2', occurredAt: '2025-05-01T10:05:00Z' };
    await t.request(ADD, { input: { externalUserId: user, ...own } });

    const listed = (await t.request(LIST, { user, filter: { threadId: 'chat-2' } })).data.memories;
    expect(contentsOf(listed.edges.map((e: any) => e.node))).toEqual([own.content]);
    const hits = (await t.request(SEARCH, { user, query: 'flights', mode: 'KEYWORD', before: 20, after: 20 })).data
      .searchMemories.hits;
    expect(hits).toHaveLength(1);
    expect(hits[0].context).toEqual({ before: [], after: [] });
    // Their earlier turn of a thread with the same name lends this one no words.
    const mallorca = await t.request(SEARCH, { user, query: 'Mallorca plans', mode: 'KEYWORD' });
    expect(mallorca.data.searchMemories.hits).toEqual([]);
    const theirs = await t.request(SEARCH, { user, query: 'flights', mode: 'KEYWORD' }, t.tenants.globex.apiKey);
    expect(theirs.data.searchMemories.hits).toEqual([]);
  });
});
