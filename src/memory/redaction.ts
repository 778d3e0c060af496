import { ValidationError } from './errors.js';

export interface RedactionRule {
  name: string;
  pattern: string;
}

export const REDACTION_LIMITS = { rules: 50, patternLength: 200, nameLength: 64 } as const;

/** A tenant's "never remember" rules: each match is replaced by [REDACTED:name] before text reaches the model or the store. */
export class Redactor {
  private readonly compiled: { name: string; regex: RegExp }[];

  constructor(rules: RedactionRule[]) {
    this.compiled = rules.map((rule) => ({ name: rule.name, regex: new RegExp(rule.pattern, 'gu') }));
  }

  redact(text: string): string {
    return this.compiled.reduce((out, rule) => out.replace(rule.regex, `[REDACTED:${rule.name}]`), text);
  }
}

/** Validates rules before they are saved: bounded count and size, names of letters/digits/_/-, patterns that compile. */
export function checkRedactionRules(rules: RedactionRule[]): RedactionRule[] {
  if (rules.length > REDACTION_LIMITS.rules) throw new ValidationError('rules', `At most ${REDACTION_LIMITS.rules} rules.`);
  return rules.map((rule, i) => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(rule.name)) throw new ValidationError(`rules.${i}.name`, 'A rule name is 1-64 letters, digits, "_" or "-".');
    if (rule.pattern.length === 0 || rule.pattern.length > REDACTION_LIMITS.patternLength) {
      throw new ValidationError(`rules.${i}.pattern`, `A pattern is 1-${REDACTION_LIMITS.patternLength} characters.`);
    }
    try {
      new RegExp(rule.pattern, 'gu');
    } catch {
      throw new ValidationError(`rules.${i}.pattern`, 'The pattern is not a valid regular expression.');
    }
    if (new RegExp(rule.pattern, 'u').test('')) throw new ValidationError(`rules.${i}.pattern`, 'The pattern must not match empty text.');
    return { name: rule.name, pattern: rule.pattern };
  });
}
