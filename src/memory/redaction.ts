import { RE2JS, RE2JSException } from 're2js';
import { UnsafeRedactionRuleError, ValidationError } from '../errors.js';

// Tenants' patterns run on RE2 (re2js, pure JavaScript): matching costs time proportional to the
// text whatever the pattern, so a pattern cannot stall the gateway's one thread for other tenants.
// RE2 has bounded repetition, classes and \p{…}, but no back-references and no lookaround.

export interface RedactionRule {
  name: string;
  pattern: string;
}

export const REDACTION_LIMITS = { rules: 50, patternLength: 200, nameLength: 64 } as const;

/** Why RE2 refuses a pattern, naming the construct. */
function refusal(pattern: string, error: unknown): string {
  const lookaround = /\(\?<?[=!]/.exec(pattern)?.[0];
  if (lookaround)
    return `Lookaround \`${lookaround}\` is not supported: patterns run on RE2, in linear time, without lookaround.`;
  const backReference = /\\(?:[1-9]|k<)/.exec(pattern)?.[0];
  if (backReference)
    return `The back-reference \`${backReference}\` is not supported: patterns run on RE2, in linear time, without back-references.`;
  const detail =
    error instanceof RE2JSException ? error.message.replace(/^error parsing regexp: /, '') : 'not a regular expression';
  return `The pattern is refused (RE2 syntax, linear time): ${detail}.`;
}

/** JavaScript's `\uXXXX` and `\u{X…}` escapes, written as RE2 writes them (`\x{X…}`); nothing else is rewritten. */
function withRe2Escapes(pattern: string): string {
  return pattern.replace(
    /(?<!\\)((?:\\\\)*)\\u(?:\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{4}))/g,
    (_, backslashes: string, braced?: string, plain?: string) => `${backslashes}\\x{${braced ?? plain}}`,
  );
}

/** Compiles a pattern (JavaScript syntax: classes, bounded repetition, named groups, \p{…}) for RE2, or says why it cannot. */
function compileLinear(pattern: string): RE2JS | string {
  try {
    return RE2JS.compile(withRe2Escapes(pattern));
  } catch (error) {
    return refusal(pattern, error);
  }
}

/** A tenant's "never remember" rules: each match is replaced by [REDACTED:name] before text reaches the model or the store. */
export class Redactor {
  private readonly compiled: { regex: RE2JS; replacement: string }[];

  /** Throws UnsafeRedactionRuleError for a stored rule that cannot run in linear time: redaction fails closed. */
  constructor(rules: RedactionRule[]) {
    this.compiled = rules.map((rule) => {
      const regex = compileLinear(rule.pattern);
      if (typeof regex === 'string') throw new UnsafeRedactionRuleError(rule.name);
      return { regex, replacement: RE2JS.quoteReplacement(`[REDACTED:${rule.name}]`) };
    });
  }

  redact(text: string): string {
    return this.compiled.reduce((out, rule) => rule.regex.matcher(out).replaceAll(rule.replacement), text);
  }
}

/**
 * Validates rules before they are saved: bounded count and size, names of letters/digits/_/-, and
 * patterns that compile for RE2 and do not match empty text.
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
    if (regex.test('')) throw new ValidationError(`rules.${i}.pattern`, 'The pattern must not match empty text.');
    return { name: rule.name, pattern: rule.pattern };
  });
}
