import { DATASET } from '../scripts/eval/dataset.js';
import { loadConversations, parseConversation, QUESTION_KINDS } from '../scripts/eval/conversations.js';
import { checkDataset, paraphraseProblem } from '../scripts/eval/paraphrase.js';
import { SHORT_FACT_USERS, shortFactProblems } from '../scripts/eval/shortFacts.js';
import { q } from '../scripts/eval/shortFacts/types.js';

test('the retrieval dataset is large enough and every question paraphrases its fact', () => {
  const report = checkDataset(DATASET);
  expect(report.problems).toEqual([]);
  expect(report.users).toBeGreaterThanOrEqual(30);
  expect(report.facts).toBeGreaterThanOrEqual(300);
  expect(report.questions).toBeGreaterThanOrEqual(300);
  expect(report.exactQuestions).toBeGreaterThanOrEqual(30);
  expect(new Set(DATASET.map((user) => user.tenant))).toEqual(new Set(['acme', 'globex']));
  // The same person's name in both tenants, and two end users sharing a first name in one tenant.
  const ids = DATASET.map((user) => `${user.tenant}/${user.externalUserId.split('@')[0]}`);
  expect(ids).toEqual(
    expect.arrayContaining(['acme/daniel.kim', 'globex/daniel.kim', 'acme/sofia.rossi', 'acme/sofia.mendes']),
  );
});

test('the paraphrase check catches reused words, stems included, but allows declared exact terms', () => {
  const fact = (question: string, ...exact: string[]) => ({
    text: 'Her passport number is X4471902.',
    question,
    exact,
  });
  expect(paraphraseProblem(fact('Which numbers are on her travel document?'))).toMatch(/reuses "number…"/);
  expect(paraphraseProblem(fact('What is X4471902?'))).toMatch(/reuses "x44719…"/);
  expect(paraphraseProblem(fact('What is X4471902?', 'X4471902'))).toBeNull();
  expect(paraphraseProblem(fact('What is Y1?', 'Y1'))).toMatch(/must appear in both/);
  expect(paraphraseProblem(fact('Which travel document does she hold?'))).toBeNull();
});

describe('the conversational retrieval set', () => {
  const conversations = loadConversations();

  test('is multi-session chats between named people, stored turn by turn with their dates, asked every kind of question', () => {
    expect(conversations.length).toBeGreaterThanOrEqual(8);
    expect(conversations.reduce((n, c) => n + c.turns.length, 0)).toBeGreaterThanOrEqual(2000);
    const questions = conversations.flatMap((c) => c.questions);
    expect(questions.length).toBeGreaterThanOrEqual(400);
    for (const kind of QUESTION_KINDS)
      expect(questions.filter((q) => q.kind === kind).length).toBeGreaterThanOrEqual(60);
    expect(new Set(conversations.map((c) => c.tenant))).toEqual(new Set(['acme', 'globex']));
    for (const c of conversations) {
      expect(c.speakers).toHaveLength(2);
      expect(c.sessions).toBeGreaterThanOrEqual(10);
      expect(c.turns.every((turn) => turn.content.startsWith(`${turn.speaker}: `))).toBe(true);
      // Sessions span months: imported history must not all be "today".
      const times = c.turns.map((turn) => turn.occurredAt.getTime());
      expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(180 * 86_400_000);
    }
  });

  test.each([
    ['a question naming a tag no turn has', '? single | Q? | nope', /no turn is tagged \{nope\}/],
    ['a tag no question uses', '', /tags no question uses: a/],
    ['a multi-hop question with one evidence turn', '? multi | Q? | a', /needs two evidence turns/],
    ['an unknown kind', '? trivia | Q? | a', /unknown question kind trivia/],
  ])('the parser refuses %s', (_name, question, error) => {
    const text = `# tenant: acme\n# user: x@acme.test\n## 2023-01-01 10:00\nAna: I moved to Porto. {a}\nBo: Nice!\n${question}\n`;
    expect(() => parseConversation('x.txt', text)).toThrow(error);
  });
});

describe('the short-fact set', () => {
  test('is 10 end users × 50 dated facts, asked at least 400 questions of every kind, all by its own rules', () => {
    expect(shortFactProblems()).toEqual([]);
    expect(SHORT_FACT_USERS.length).toBeGreaterThanOrEqual(10);
    for (const user of SHORT_FACT_USERS) {
      expect(Object.keys(user.facts).length).toBeGreaterThanOrEqual(50);
      for (const [, date] of Object.values(user.facts)) expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const questions = SHORT_FACT_USERS.flatMap((user) => user.questions);
    expect(questions.length).toBeGreaterThanOrEqual(400);
    const kinds = ['direct', 'paraphrase', 'distractor', 'multi', 'changed', 'when', 'relative', 'unanswerable'];
    for (const kind of kinds) expect(questions.filter((q) => q.kind === kind).length).toBeGreaterThanOrEqual(20);
  });

  test('its checks catch a paraphrase that shares a word, and a distractor that shares one with its answer', () => {
    const user = {
      tenant: 'acme' as const,
      externalUserId: 'probe@acme.test',
      now: '2026-01-01',
      facts: { job: ['Works as a nurse', '2020-01-01'], flu: ['Was off work with the flu', '2025-01-01'] } as Record<
        string,
        [string, string]
      >,
      questions: [
        q('paraphrase', 'Where does she work?', ['job']),
        q('distractor', 'Where does she work?', ['job'], 'flu'),
        q('changed', 'Is she ill?', ['job'], 'flu'),
      ],
    };
    expect(shortFactProblems([user])).toEqual([
      'probe@acme.test: "Where does she work?" — the question reuses "work…"',
      'probe@acme.test: "Where does she work?" shares work with its answer',
      'probe@acme.test: "Is she ill?": the changed fact must be newer than flu',
    ]);
  });
});
