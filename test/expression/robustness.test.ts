import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { evaluateExpression } from '../../src/expression/evaluate.js';
import { parseExpression } from '../../src/expression/parse.js';
import { renderString } from '../../src/template/render.js';

/** A small deterministic PRNG, so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const tokens = ['x', 'y.z', 'list', '[0]', '.0', '(', ')', '[', ']', ' and ', ' or ', 'not ', ' in ', ' not in ', ' is ', 'defined', 'failed', ' == ', ' < ', ' | ', 'length', 'default(1)', 'int', "'s'", '"t"', '1', '2.5', ',', '.split(",")', '{{', '}}', ' ~ ', '-', '!', '&&', '?', ':', 'None', 'True', '\\', "'"];

function randomText(random: () => number): string {
  let text = '';
  const length = 1 + Math.floor(random() * 8);
  for (let i = 0; i < length; i++) text += tokens[Math.floor(random() * tokens.length)] ?? '';
  return text;
}

describe('robustness on arbitrary input', () => {
  it('parsing never throws: it returns a tree or a syntax error', () => {
    const random = prng(42);
    for (let i = 0; i < 3000; i++) {
      const text = randomText(random);
      expect(() => parseExpression(text), text).not.toThrow();
    }
  });

  it('evaluation fails only with InvalidInputError, and templates too', () => {
    const random = prng(7);
    const vars = { x: 1, y: { z: 'a,b' }, list: [1, 2] };
    const source = { file: 'p.yml', line: 1, column: 1 };
    for (let i = 0; i < 800; i++) {
      const text = randomText(random);
      for (const run of [() => evaluateExpression(text, vars, { source, keyword: 'when' }), () => renderString(`{{ ${text} }}`, vars, { source })]) {
        try {
          run();
        } catch (error) {
          expect(error, text).toBeInstanceOf(InvalidInputError);
        }
      }
    }
  });
});
