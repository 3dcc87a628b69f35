// Quoted scalars whose lines are no more indented than their key (src/yaml/quoted-continuations.ts):
// read as libyaml reads them. Each expected value is what Python's yaml.load(text,
// Loader=yaml.CSafeLoader) gives (PyYAML 6 with libyaml, Ansible's reader), and
// ansible-playbook 2.14 --syntax-check takes such a file.
import { describe, expect, it } from 'vitest';
import { Problems } from '../../src/yaml/problems.js';
import { indentQuotedContinuations } from '../../src/yaml/quoted-continuations.js';
import { YamlSource } from '../../src/yaml/yaml-source.js';

function read(text: string): { value: unknown; errors: number; line?: number } {
  const problems = new Problems();
  const source = YamlSource.parse('f.yml', text, problems);
  return { value: source?.value(source.root), errors: problems.count };
}

describe('quoted scalars with lines at their key\'s indentation', () => {
  const cases: [string, string, unknown][] = [
    ['a closing quote in column 1 (click0 defaults/main.yml)', "a: '\n x\n -y ''z''\n'\nb: 1\n", { a: " x -y 'z' ", b: 1 }],
    ['in a list item', "- a: '\n  x\n'\n- b\n", [{ a: ' x ' }, 'b']],
    ['nested: lines at the key\'s own indentation', "top:\n  k: 'one\n two\n'\n  j: 2\n", { top: { k: 'one two ', j: 2 } }],
    ['double quotes with an escaped quote', 'a: "x \\"\ny\n"\nb: 2\n', { a: 'x " y ', b: 2 }],
  ];
  for (const [name, text, want] of cases) {
    it(name, () => {
      expect(read(text)).toEqual({ value: want, errors: 0 });
    });
  }

  it('leaves well-indented and one-line scalars alone, and plain scalars with apostrophes', () => {
    expect(indentQuotedContinuations("a: 'x'\nb: don't\nc: 'one\n  two'\n")).toBeUndefined();
  });

  it('a file that is wrong for libyaml too still fails, at its own line', () => {
    const problems = new Problems();
    expect(YamlSource.parse('f.yml', "a: 'never closed\nb: [1\n", problems)).toBeUndefined();
    expect(problems.count).toBeGreaterThan(0);
  });
});
