import { describe, expect, it } from 'vitest';
import { allHold, truthy } from '../../src/runner/conditions.js';
import type { Expressions } from '../../src/runner/services.js';

const source = { file: 'site.yml', line: 3, column: 5 };

describe('truthy: Python\'s truthiness', () => {
  it.each<[unknown, boolean]>([
    [undefined, false],
    [null, false],
    [false, false],
    [0, false],
    ['', false],
    [[], false],
    [{}, false],
    [new Map(), false],
    [new Set(), false],
    [true, true],
    [1, true],
    [-1, true],
    ['False', true],
    ['0', true],
    [[0], true],
    [{ a: undefined }, true],
    [new Set([0]), true],
  ])('%j is %s', (value, expected) => {
    expect(truthy(value)).toBe(expected);
  });
});

describe('allHold', () => {
  /** An evaluator that looks the expression up as a variable name and warns about `warn`. */
  const seen: string[] = [];
  const evaluator: Expressions = {
    evaluate(expression, vars, _source, keyword) {
      seen.push(`${keyword}:${expression}`);
      return { value: vars[expression], warnings: expression === 'warn' ? ['advice'] : [] };
    },
  };

  it('holds when every expression is truthy, and passes the keyword and warnings on', () => {
    const warnings: string[] = [];
    seen.length = 0;
    expect(allHold(['a', 'warn'], { a: 1, warn: 'yes' }, evaluator, source, 'until', (w) => warnings.push(w))).toEqual({ holds: true });
    expect(seen).toEqual(['until:a', 'until:warn']);
    expect(warnings).toEqual(['advice']);
  });

  it('stops at the first false expression and names it', () => {
    seen.length = 0;
    expect(allHold(['a', 'b', 'c'], { a: true, b: 0, c: true }, evaluator, source, 'when', () => undefined)).toEqual({ holds: false, falseCondition: 'b' });
    expect(seen).toEqual(['when:a', 'when:b']);
  });

  it('an empty list holds', () => {
    expect(allHold([], {}, evaluator, source, 'failed_when', () => undefined)).toEqual({ holds: true });
  });
});
