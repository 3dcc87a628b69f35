// src/text/fnmatch.ts against what Python's fnmatch.fnmatchcase answers (python3 on this machine).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fnmatch, fnmatchRegExp } from '../../src/text/fnmatch.js';

const cases: readonly (readonly [name: string, pattern: string])[] = [
  ['a.log.1', '*.log*'],
  ['x1', 'x[!0-9]'],
  ['xa', 'x[!0-9]'],
  ['ansible_hostname', 'ansible_[dh]*'],
  ['ansible_distribution', 'ansible_[!d]*'],
  ['a.bc', 'a.b?'],
  ['axb', 'a.b'],
  ['a]', '[]]'],
  ['b', '[!]]'],
  ['^', '[^a]'],
  ['[x', '[x'],
  ['a\nb', 'a*b'],
  ['web01', 'web0[1-3]'],
  ['a\\b', 'a[\\]b'],
  ['(x)', '(x)'],
  ['/etc/rc.conf', '/etc/*.conf'],
];

describe('fnmatch', () => {
  it('answers as Python\'s fnmatch.fnmatchcase for every case', () => {
    const script = 'import fnmatch, json, sys\nprint(json.dumps([fnmatch.fnmatchcase(n, p) for n, p in json.load(sys.stdin)]))';
    const python = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(cases) }).toString()) as boolean[];
    expect(cases.map(([name, pattern]) => fnmatch(name, pattern))).toEqual(python);
  });

  it('never lets a pattern character act as RegExp syntax', () => {
    expect(fnmatchRegExp('a+b').test('aab')).toBe(false);
    expect(fnmatchRegExp('a+b').test('a+b')).toBe(true);
    expect(fnmatchRegExp('$(x)').test('$(x)')).toBe(true);
  });
});
