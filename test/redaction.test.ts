import { checkRedactionRules, Redactor } from '../src/memory/redaction.js';
import { ValidationError } from '../src/errors.js';
import { PII_PATTERNS } from './support/piiPatterns.js';

describe('redaction rules', () => {
  const rules = PII_PATTERNS.map(({ name, pattern }) => ({ name, pattern }));

  test(`${PII_PATTERNS.length} patterns products use are accepted as written`, () => {
    expect(checkRedactionRules(rules)).toEqual(rules);
  });

  test.each(PII_PATTERNS)(
    '$name redacts what it should and leaves the near miss alone',
    ({ name, pattern, hit, miss }) => {
      const redactor = new Redactor([{ name, pattern }]);
      expect(redactor.redact(hit)).toContain(`[REDACTED:${name}]`);
      expect(redactor.redact(miss)).toBe(miss);
    },
  );

  test('all rules together leave no sample behind', () => {
    const redactor = new Redactor(rules);
    const text = PII_PATTERNS.map(({ hit }) => hit).join('\n');
    const redacted = redactor.redact(text);
    for (const sample of [
      '4111 1111',
      'DE89 3704',
      'ana.lopez',
      '555-0132',
      '7700 900123',
      '078-05-1120',
      'AKIAIOSFODNN7',
      'hunter2',
      'Ōtsuka',
    ])
      expect(redacted).not.toContain(sample);
  });

  test.each([
    ['(a)\\1', /back-reference `\\1`/],
    ['(?<name>a)\\k<name>', /back-reference `\\k<`/],
    ['(?<=\\$)\\d+', /Lookaround `\(\?<=`/],
    ['\\d+(?= EUR)', /Lookaround `\(\?=`/],
    ['(?!x)y', /Lookaround `\(\?!`/],
    ['a{1001}', /invalid repeat count: `\{1001\}`/],
    ['[z-a]', /invalid character class range: `z-a`/],
    ['(unclosed', /missing closing \)/],
    ['x*', /must not match empty text/],
  ])('%s is refused, naming the construct', (pattern, message) => {
    let refusal: unknown;
    try {
      checkRedactionRules([{ name: 'r', pattern }]);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).message).toMatch(message);
  });

  test('JavaScript unicode escapes mean what they mean in JavaScript', () => {
    const redactor = new Redactor([
      { name: 'e', pattern: String.raw`caf\u00e9` },
      { name: 'smile', pattern: String.raw`\u{1F600}` },
    ]);
    expect(redactor.redact('un café 😀')).toBe('un [REDACTED:e] [REDACTED:smile]');
    expect(new Redactor([{ name: 'lit', pattern: String.raw`\\u00e9` }]).redact(String.raw`a \u00e9`)).toBe(
      'a [REDACTED:lit]',
    );
  });

  test('patterns that make a backtracking engine run for ever finish on long text', () => {
    const redactor = new Redactor([
      { name: 'nested', pattern: '^(a+)+$' },
      { name: 'alternation', pattern: '(a|aa)+b' },
      { name: 'card', pattern: String.raw`\b(?:\d[ -]?){13,19}\b` },
    ]);
    const hostile = `${'a'.repeat(50_000)}!`;
    expect(redactor.redact(hostile)).toBe(hostile);
    expect(redactor.redact(`${'1 '.repeat(20_000)}x`)).toContain('[REDACTED:card]');
  });

  test("no process-wide experimental V8 flag is set (the 'l' RegExp flag stays unknown)", () => {
    // eslint-disable-next-line no-invalid-regexp -- the point: 'l' exists only under --enable-experimental-regexp-engine
    expect(() => new RegExp('a', 'l')).toThrow(SyntaxError);
  });
});
