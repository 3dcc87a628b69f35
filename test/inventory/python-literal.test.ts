import { describe, expect, it } from 'vitest';
import { parseIniValue } from '../../src/inventory/python-literal.js';

// Expected values printed by Python 3.11's ast.literal_eval (falling back to the text), which is
// what Ansible's INI plugin does with each value.
describe('parseIniValue', () => {
  it.each<[string, unknown]>([
    ['22', 22],
    ['-5', -5],
    ['+7', 7],
    ['07', '07'],
    ['0', 0],
    ['00', 0],
    ['1_000', 1000],
    ['0x1F', 31],
    ['0o17', 15],
    ['0b101', 5],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['True', true],
    ['False', false],
    ['None', null],
    ['YES', 'YES'],
    ['yes', 'yes'],
    ['true', 'true'],
    ["'quoted'", 'quoted'],
    ['"dq"', 'dq'],
    ['"esc\\n"', 'esc\n'],
    ["[1, 'a', None]", [1, 'a', null]],
    ['[1, 2,]', [1, 2]],
    ['(1, 2)', [1, 2]],
    ['{"a": 1, "b": [True]}', { a: 1, b: [true] }],
    ['{1, 2}', [1, 2]],
    ['{}', {}],
    ['[]', []],
    ['a b', 'a b'],
    ["'unterminated", "'unterminated"],
    ['[1,', '[1,'],
    ['10.0.0.53', '10.0.0.53'],
    ['/usr/local', '/usr/local'],
    ['--', '--'],
    ['1 2', '1 2'],
    ['True False', 'True False'],
    ['-True', '-True'],
    [' 5', 5],
  ])('%s', (text, expected) => {
    expect(parseIniValue(text)).toEqual(expected);
  });
});
