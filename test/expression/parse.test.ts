import { describe, expect, it } from 'vitest';
import { checkExpression } from '../../src/expression/check.js';
import { parseExpression } from '../../src/expression/parse.js';

function error(text: string) {
  const parsed = parseExpression(text);
  if (parsed.ok) throw new Error(`expected '${text}' not to parse`);
  return parsed;
}

describe('parseExpression', () => {
  it('gives not a lower precedence than comparisons, as Jinja does', () => {
    const parsed = parseExpression('not a == b');
    expect(parsed.ok && parsed.node).toEqual({
      kind: 'not',
      operand: { kind: 'binary', operator: '==', left: { kind: 'name', name: 'a' }, right: { kind: 'name', name: 'b' } },
    });
  });

  it('binds filters tighter than comparisons', () => {
    const parsed = parseExpression('x | length > 0');
    expect(parsed.ok && parsed.node).toMatchObject({ kind: 'binary', operator: '>', left: { kind: 'filter', filter: 'length' } });
  });

  it('reads `is not` as a negated test', () => {
    const parsed = parseExpression('x is not defined');
    expect(parsed.ok && parsed.node).toEqual({ kind: 'test', subject: { kind: 'name', name: 'x' }, test: 'defined', negated: true, args: [] });
  });

  it('keeps identifiers that start with operator words', () => {
    const parsed = parseExpression('android and notable or island');
    expect(parsed.ok).toBe(true);
  });

  it.each([
    ['x ==', 'syntax error: Expected expression after ==', undefined],
    ['x | lenght', "unknown filter 'lenght'", "did you mean 'length'?"],
    ['x is defind', "unknown test 'defind'", "did you mean 'defined'?"],
    ['x.startwith("a")', "unknown method 'startwith'", "did you mean 'startswith'?"],
    ['a && b', "operator '&&' is not supported", "write 'and'"],
    ['a || b', "operator '||' is not supported", "write 'or'"],
    ['!a', "operator '!' is not supported", "write 'not'"],
    ['a === b', "operator '===' is not supported", "write '=='"],
    ['a b', 'two expressions side by side', 'join them with and / or, or quote the string'],
    ['length(x)', "function calls are not supported ('length(...)') — use it as a filter: x | length(...)", undefined],
    ["lookup('file', 'x')", 'lookup(...) is not available in expressions', 'in a template, write the Handlebars form {{ lookup "file" "PATH" }}'],
    ['a ? b : c', "the '? :' operator is not supported", undefined],
    ['', 'empty expression', undefined],
    ['not', "syntax error: 'not' is an operator and needs an operand", undefined],
    ['a and', "syntax error: 'and' is an operator and needs an operand", undefined],
  ])('rejects %j: %s', (text, message, fix) => {
    const parsed = error(text);
    expect(parsed.message).toBe(message);
    if (fix !== undefined) expect(parsed.fix).toBe(fix);
  });
});

describe('checkExpression', () => {
  const source = { file: 'p.yml', line: 4, column: 13 };
  it('accepts a valid expression', () => {
    expect(checkExpression('x is defined and x | int > 1', { source, keyword: 'when' })).toBeUndefined();
  });

  it('points at the column of the syntax error when the scalar maps onto the file', () => {
    const error = checkExpression('x ==', { source, keyword: 'when', at: (i) => ({ ...source, column: source.column + i }) });
    expect(error?.describe()).toBe("p.yml:4:17: when: syntax error: Expected expression after == in 'x ==' — write a Jinja-style expression such as `x is defined and x | int > 1`");
  });

  it('names the keyword and the fix', () => {
    const error = checkExpression('result is faild', { source, keyword: 'failed_when' });
    expect(error?.describe()).toBe("p.yml:4:13: failed_when: unknown test 'faild' in 'result is faild' — did you mean 'failed'?");
  });
});
