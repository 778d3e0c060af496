import { conversationSet, paraphraseSet } from '../scripts/eval/sets.js';
import { shortFactSet } from '../scripts/eval/shortFacts.js';
import { loadConversations } from '../scripts/eval/conversations.js';
import { mayNameTime, readTimeWindow, timeWindowOf, withoutTime } from '../src/memory/timeWindow.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/**
 * Dates in questions: "last month", "on 8 May", "in 2024", read against the question's `now`, become
 * a window on occurredAt that ranks the memories of that time first, in every mode; the search says
 * what it understood (timeWindow).
 */
const now = new Date('2026-06-15T10:00:00Z');
const spanOf = (question: string, at = now) => {
  const window = timeWindowOf(question, at);
  return window && [window.from.toISOString(), window.to.toISOString(), window.text];
};

describe('the time a question names', () => {
  test.each([
    ['What did I do last month?', ['2026-05-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z', 'last month']],
    ['What did we talk about on May 8th?', ['2026-05-07T12:00:00.000Z', '2026-05-09T12:00:00.000Z', 'May 8th']],
    ['What happened on 17 November?', ['2025-11-16T12:00:00.000Z', '2025-11-18T12:00:00.000Z', 'on 17 November']],
    [
      'What did she do in November last year?',
      ['2025-11-01T00:00:00.000Z', '2025-12-01T00:00:00.000Z', 'November last year'],
    ],
    ['What did I buy in 2024?', ['2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 'in 2024']],
    // The calendar week (Monday to Sunday) of the day two weeks before Monday 15 June.
    ['Where was I two weeks ago?', ['2026-06-01T00:00:00.000Z', '2026-06-08T00:00:00.000Z', 'two weeks ago']],
    ['What did I start this year?', ['2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', 'this year']],
  ])('%s', (question, expected) => {
    expect(spanOf(question)).toEqual(expected);
  });

  test.each([
    'What does she drink in the morning?',
    'Which car does she own now?',
    'What does he cook on Sundays?',
    'When did she move to Porto?',
  ])('%s names no span of dates', (question) => {
    expect(timeWindowOf(question, now)).toBeNull();
  });

  test('the content of the question is what remains without its time', () => {
    const question = 'What did she have done at the dentist last month?';
    expect(withoutTime(question, timeWindowOf(question, now))).toBe('What did she have done at the dentist?');
    expect(withoutTime('What happened on 17 May?', timeWindowOf('What happened on 17 May?', now))).toBe(
      'What happened?',
    );
  });

  test('the quick test skips chrono only where chrono finds no time: every question and chat line of the eval sets, and date phrases', () => {
    const phrases = [
      'what happened the day before yesterday',
      'what did we plan for tonight',
      'where was I this morning',
      'last night we talked about films',
      'in a fortnight I leave',
      'see you tmrw',
      'what did I do on the fifth of May',
      'what did she say on Sunday',
      'what happened over the weekend',
      'what did I do a couple of days ago',
      'in three weeks I move',
      'what did we discuss at noon',
      'around Christmas',
      'New Year’s Eve plans',
    ];
    const texts = [
      ...phrases,
      ...[conversationSet(), paraphraseSet(), shortFactSet()].flatMap((set) => set.questions.map((q) => q.question)),
      ...loadConversations().flatMap((conversation) => conversation.turns.map((turn) => turn.content)),
    ];
    expect(texts.length).toBeGreaterThan(1000);
    let skipped = 0;
    for (const text of texts) {
      expect([text, timeWindowOf(text, now)]).toEqual([text, readTimeWindow(text, now)]);
      if (!mayNameTime(text)) skipped++;
    }
    expect(skipped).toBeGreaterThan(texts.length / 3); // it saves chrono most of the time
  });
});

describe.each(databaseKinds)('dates in questions on %s', (kind) => {
  let t: TestGateway;
  const SEARCH = `query($user: String!, $query: String!, $mode: SearchMode, $now: DateTime) {
    searchMemories(externalUserId: $user, query: $query, mode: $mode, now: $now) {
      ... on MemorySearch { timeWindow { from to text } hits { score memory { content occurredAt } } }
      ... on Error { code message }
    }
  }`;
  const facts = [
    ['Had a tooth crown fitted at the dentist', '2026-05-08'],
    ['Injured her left knee while hiking', '2026-05-17'],
    ['Bought a new laptop for her German course', '2026-04-05'],
    ['Is a pediatric nurse at the city hospital', '2019-09-01'],
    ['Went to the dentist for a cleaning', '2025-02-10'],
  ];

  beforeAll(async () => {
    t = await startTestGateway(kind);
    const add = `mutation($input: AddMemoriesInput!) { addMemories(input: $input) { __typename } }`;
    await t.request(add, {
      input: {
        externalUserId: 'ana',
        memories: facts.map(([content, date]) => ({ content, occurredAt: `${date}T12:00:00Z` })),
      },
    });
    // Another end user, and another tenant's Ana, with memories in the same month.
    await t.request(add, {
      input: {
        externalUserId: 'bruno',
        memories: [{ content: 'Bruno visited the dentist', occurredAt: '2026-05-09T12:00:00Z' }],
      },
    });
    await t.request(
      add,
      {
        input: {
          externalUserId: 'ana',
          memories: [{ content: 'Globex Ana went to the dentist', occurredAt: '2026-05-09T12:00:00Z' }],
        },
      },
      t.tenants.globex.apiKey,
    );
  });
  afterAll(() => t.close());

  const search = (query: string, mode = 'HYBRID', at: string | null = now.toISOString()) =>
    t.request(SEARCH, { user: 'ana', query, mode, now: at }).then((response) => response.data.searchMemories);

  test('a question that only names a date finds what happened then, in every mode, and says what it understood', async () => {
    for (const mode of ['HYBRID', 'SEMANTIC', 'KEYWORD']) {
      const found = await search('What happened on 17 May?', mode);
      expect(found.timeWindow).toEqual({
        from: '2026-05-16T12:00:00.000Z',
        to: '2026-05-18T12:00:00.000Z',
        text: 'on 17 May',
      });
      expect(found.hits[0].memory.content).toBe('Injured her left knee while hiking');
    }
  });

  test('content and a relative date together: the dentist visit of last month, not the older one', async () => {
    const found = await search('What did she have done at the dentist last month?');
    expect(found.timeWindow.text).toBe('last month');
    expect(found.hits[0].memory.content).toBe('Had a tooth crown fitted at the dentist');
    expect(found.hits[0].score).toBeGreaterThan(0.5);
    // Read against another `now`, "last month" is another month.
    const later = await search('What did she have done at the dentist last month?', 'HYBRID', '2025-03-20T10:00:00Z');
    expect(later.hits[0].memory.content).toBe('Went to the dentist for a cleaning');
  });

  test('a question without a date has no window; "when did" questions rank by content', async () => {
    const found = await search('When did she go to the dentist?');
    expect(found.timeWindow).toBeNull();
    expect(
      found.hits
        .slice(0, 2)
        .map((hit: any) => hit.memory.content)
        .sort(),
    ).toEqual(['Had a tooth crown fitted at the dentist', 'Went to the dentist for a cleaning']);
  });

  test("the window reaches only the end user's own memories", async () => {
    const found = await search('Who went to the dentist in May?');
    const contents = found.hits.map((hit: any) => hit.memory.content);
    expect(contents).not.toContain('Bruno visited the dentist');
    expect(contents).not.toContain('Globex Ana went to the dentist');
    expect(contents[0]).toBe('Had a tooth crown fitted at the dentist');
  });

  test('memoryContext reads the question against its `now` too', async () => {
    const context = (
      await t.request(
        `query($now: DateTime) { memoryContext(externalUserId: "ana", query: "What happened on 8 May?", tokenBudget: 60, now: $now) { ... on MemoryContext { memories { memory { content } } } } }`,
        { now: now.toISOString() },
      )
    ).data.memoryContext;
    expect(context.memories[0].memory.content).toBe('Had a tooth crown fitted at the dentist');
  });
});
