import { DATASET } from '../scripts/eval/dataset.js';
import { loadConversations, parseConversation, QUESTION_KINDS } from '../scripts/eval/conversations.js';
import { checkDataset, paraphraseProblem } from '../scripts/eval/paraphrase.js';

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
