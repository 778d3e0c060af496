import { setFlagsFromString } from 'node:v8';
import { UnsafeRedactionRuleError, ValidationError } from '../errors.js';

// V8's linear-time regular expression engine (the `l` flag): matching costs time proportional to
// the text, whatever the pattern, and a pattern that would need backtracking does not compile.
// A tenant's pattern runs on the gateway's one thread: it must not be able to stall other tenants.
setFlagsFromString('--enable-experimental-regexp-engine');

export interface RedactionRule {
  name: string;
  pattern: string;
}

export const REDACTION_LIMITS = { rules: 50, patternLength: 200, nameLength: 64 } as const;

const BACKTRACKING =
  'The pattern needs backtracking (back-references, lookaround or \\p{…} classes): it cannot run in linear time.';

/** Compiles a pattern for the linear-time engine, or says why it cannot. */
function compileLinear(pattern: string): RegExp | string {
  // Without unicode mode, which the linear engine lacks, \p{L} would silently mean "p{L}".
  if (/\\[pP]\{/.test(pattern)) return BACKTRACKING;
  try {
    // eslint-disable-next-line no-invalid-regexp -- 'l': V8's linear-time engine (--enable-experimental-regexp-engine)
    return new RegExp(pattern, 'gl');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return /linear time/.test(message) ? BACKTRACKING : 'The pattern is not a valid regular expression.';
  }
}

/** A tenant's "never remember" rules: each match is replaced by [REDACTED:name] before text reaches the model or the store. */
export class Redactor {
  private readonly compiled: { name: string; regex: RegExp }[];

  /** Throws UnsafeRedactionRuleError for a stored rule that cannot run in linear time: redaction fails closed. */
  constructor(rules: RedactionRule[]) {
    this.compiled = rules.map((rule) => {
      const regex = compileLinear(rule.pattern);
      if (typeof regex === 'string') throw new UnsafeRedactionRuleError(rule.name);
      return { name: rule.name, regex };
    });
  }

  redact(text: string): string {
    return this.compiled.reduce((out, rule) => out.replace(rule.regex, `[REDACTED:${rule.name}]`), text);
  }
}

/**
 * Validates rules before they are saved: bounded count and size, names of letters/digits/_/-, and
 * patterns that compile for the linear-time engine and do not match empty text.
 */
export function checkRedactionRules(rules: RedactionRule[]): RedactionRule[] {
  if (rules.length > REDACTION_LIMITS.rules)
    throw new ValidationError('rules', `At most ${REDACTION_LIMITS.rules} rules.`);
  return rules.map((rule, i) => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(rule.name))
      throw new ValidationError(`rules.${i}.name`, 'A rule name is 1-64 letters, digits, "_" or "-".');
    if (rule.pattern.length === 0 || rule.pattern.length > REDACTION_LIMITS.patternLength) {
      throw new ValidationError(`rules.${i}.pattern`, `A pattern is 1-${REDACTION_LIMITS.patternLength} characters.`);
    }
    const regex = compileLinear(rule.pattern);
    if (typeof regex === 'string') throw new ValidationError(`rules.${i}.pattern`, regex);
    regex.lastIndex = 0;
    if (regex.test('')) throw new ValidationError(`rules.${i}.pattern`, 'The pattern must not match empty text.');
    return { name: rule.name, pattern: rule.pattern };
  });
}
