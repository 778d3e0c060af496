/**
 * What every text Memgate stores or searches must be: well-formed Unicode (no unpaired UTF-16
 * surrogate, which would be stored as U+FFFD without a word) and free of NUL, which PostgreSQL
 * cannot store. Returns why not, or null.
 */
export function textProblem(value: string): string | null {
  if (!value.isWellFormed()) return 'contains an unpaired UTF-16 surrogate (not valid Unicode)';
  if (value.includes('\u0000')) return 'contains a NUL character';
  return null;
}

/** JSON nests at most this deep in any argument (metadata, filters). */
export const MAX_JSON_DEPTH = 32;

/**
 * The first problem in a JSON value — a bad string (key or value) or nesting deeper than
 * MAX_JSON_DEPTH — with its path, or null. Iterative: a hostile depth cannot exhaust the stack.
 */
export function jsonProblem(value: unknown, path: string): { path: string; problem: string } | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      const problem = textProblem(item.value);
      if (problem) return { path: item.path, problem };
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= MAX_JSON_DEPTH) return { path: item.path, problem: `nests deeper than ${MAX_JSON_DEPTH} levels` };
    for (const [key, child] of Object.entries(item.value)) {
      const problem = textProblem(key);
      if (problem) return { path: item.path, problem: `has a key that ${problem}` };
      stack.push({ value: child, path: `${item.path}.${key}`, depth: item.depth + 1 });
    }
  }
  return null;
}
