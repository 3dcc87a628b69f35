// A keyword argument given twice (src/jinja/parser.ts), against Python's Jinja2 (Debian's, as
// ansible-core 2.14 uses it): Jinja2 compiles the call into Python, which refuses it with
// `SyntaxError: keyword argument repeated: NAME`; only a filter or test on literals is folded by
// Jinja's optimizer first, the last value winning. Ansible 2.14 then left such a value unrendered;
// ansible-core 2.17 fails it (its issue 82606, commit 6d34eb8), and the oracle driver
// (test/template/ansible-render.py) backports that fix, so the last case here is Ansible's own.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { differences, renderWithAnsible, renderWithBeastie, type Case } from '../template/ansible-reference.js';

const templates = [
  '{{ dict(a=1, a=2) }}',
  "{{ lookup('env', 'HOME', default='x', default='y') }}",
  "{{ x | replace('a', 'b', count=1, count=2) }}",
  '{{ x is divisibleby(num=2, num=3) }}',
  "{{ 'xax' | replace('a', 'b', count=1, count=2) }}",
  '{{ 4 is divisibleby(num=2, num=3) }}',
  "{{ x | replace('a', 'b', count=1) }}",
];
const python = `
import json, sys, jinja2
out = []
for t in json.load(sys.stdin):
    try:
        out.append({'ok': True, 'value': jinja2.Environment().from_string(t).render(x='xax', n=4)})
    except SyntaxError as e:
        out.append({'ok': False, 'error': e.msg})
    except Exception as e:
        out.append({'ok': True, 'value': 'rendered-with-error'})
print(json.dumps(out))
`;
const result = spawnSync('/usr/bin/python3', ['-c', python], { input: JSON.stringify(templates), encoding: 'utf8' });
const jinja = JSON.parse(result.stdout) as ({ ok: true; value: string } | { ok: false; error: string })[];

describe('a keyword argument given twice', () => {
  it('is the syntax error Jinja2 raises, with its message, where Jinja2 raises it', () => {
    const seen = templates.map((template, i) => {
      const reference = jinja[i];
      const beastie = renderWithBeastie({ template, vars: { x: 'xax', n: 4 } });
      return { template, jinja: reference?.ok === false ? reference.error : 'renders', beastie: beastie.ok ? 'renders' : (/keyword argument repeated: \w+/.exec(beastie.error)?.[0] ?? beastie.error) };
    });
    expect(seen.filter((s) => s.jinja !== s.beastie)).toEqual([]);
    expect(seen.filter((s) => s.jinja !== 'renders').length).toBe(4);
  });

  it('fails as ansible-core fails it since 2.17: the case of its templating integration target, and its relatives', () => {
    // ansible/ansible test/integration/targets/templating/tasks/main.yml asserts the task fails with
    // 'keyword argument repeated' in its message; beastie refuses the value before anything runs.
    const cases: Case[] = [
      "{{ lookup('vars', 'v1', default='', default='') }}",
      "text {{ lookup('vars', 'v1', default='', default='') }}",
      '{{ dict(a=1, a=2) }}',
      "{{ 'xax' | replace('a', 'b', count=1, count=2) }}",
      "{{ lookup('vars', 'v1', default='') }}",
    ].map((template) => ({ template, vars: { v1: 'hello' } }));
    const ansible = renderWithAnsible(cases);
    expect(differences(cases, ansible)).toEqual([]);
    expect(ansible.map((outcome) => (outcome.ok ? 'renders' : /keyword argument repeated: \w+/.exec(outcome.error)?.[0]))).toEqual([
      'keyword argument repeated: default',
      'keyword argument repeated: default',
      'keyword argument repeated: a',
      'renders',
      'renders',
    ]);
  });
});
