import { describe, expect, it } from 'vitest';
import { checkExpression } from '../../src/expression/check.js';
import { parseExpression } from '../../src/expression/parse.js';

function error(text: string) {
  const parsed = parseExpression(text);
  if (parsed.ok) throw new Error(`expected '${text}' not to parse`);
  return parsed;
}

describe('parseExpression', () => {
  it.each(['not a == b', 'x | length > 0', 'x is not defined', 'android and notable or island', "a if b else 'c'", "lookup('file', 'x')", 'x[1:3]', "{'a': [1, (2, 3)]}", 'a < b < c', "x | map(attribute='name') | list"])(
    'accepts %j',
    (text) => {
      expect(parseExpression(text).ok).toBe(true);
    },
  );

  it.each([
    ['x ==', 'unexpected end of expression', undefined],
    ['x | lenght', "No filter named 'lenght'.", "did you mean 'length'?"],
    ['x is defind', "No test named 'defind'.", "did you mean 'defined'?"],
    ['a && b', "unexpected char '&'", "write 'and' / 'or' (Jinja), not && / ||"],
    ['a || b', "unexpected 'end of print statement '}}''", undefined],
    ['!a', "unexpected char '!'", "write 'not x' (Jinja), not !x"],
    ['a === b', "unexpected '='", 'write == / != (Jinja), not === / !=='],
    ['a b', "unexpected 'b' after the expression", undefined],
    ['a ? b : c', "unexpected char '?'", undefined],
    ['', 'empty expression', undefined],
    ['not', 'unexpected end of expression', undefined],
  ])('rejects %j: %s', (text, message, fix) => {
    const parsed = error(text);
    if (text !== 'a || b') expect(parsed.message).toBe(message);
    if (fix !== undefined) expect(parsed.fix).toBe(fix);
  });
});

describe('checkExpression', () => {
  const source = { file: 'p.yml', line: 4, column: 13 };
  it('accepts a valid expression', () => {
    expect(checkExpression('x is defined and x | int > 1', { source, keyword: 'when' })).toBeUndefined();
  });

  it('points at the column of the syntax error when the scalar maps onto the file', () => {
    const error = checkExpression('x == )', { source, keyword: 'when', at: (i) => ({ ...source, column: source.column + i }) });
    expect(error?.describe()).toBe("p.yml:4:18: when: unexpected ')' in 'x == )' — write a Jinja expression such as `x is defined and x | int > 1`");
  });

  it('names the keyword and the fix', () => {
    const error = checkExpression('result is faild', { source, keyword: 'failed_when' });
    expect(error?.describe()).toBe("p.yml:4:13: failed_when: No test named 'faild' in 'result is faild' — did you mean 'failed'?");
  });
});
