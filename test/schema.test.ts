import { readFileSync } from 'node:fs';
import { printSortedSchema } from '../src/schema/index.js';

test('schema.graphql is the printed, sorted schema (run `npm run schema:print` after changing the API)', () => {
  const checkedIn = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
  expect(checkedIn).toBe(printSortedSchema());
});
