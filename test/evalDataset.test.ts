import { DATASET } from '../scripts/eval/dataset.js';
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
  expect(ids).toEqual(expect.arrayContaining(['acme/daniel.kim', 'globex/daniel.kim', 'acme/sofia.rossi', 'acme/sofia.mendes']));
});

test('the paraphrase check catches reused words, stems included, but allows declared exact terms', () => {
  const fact = (question: string, ...exact: string[]) => ({ text: 'Her passport number is X4471902.', question, exact });
  expect(paraphraseProblem(fact('Which numbers are on her travel document?'))).toMatch(/reuses "number…"/);
  expect(paraphraseProblem(fact('What is X4471902?'))).toMatch(/reuses "x44719…"/);
  expect(paraphraseProblem(fact('What is X4471902?', 'X4471902'))).toBeNull();
  expect(paraphraseProblem(fact('What is Y1?', 'Y1'))).toMatch(/must appear in both/);
  expect(paraphraseProblem(fact('Which travel document does she hold?'))).toBeNull();
});
