// beastie's regex_replace (src/jinja/filters/text.ts) against ansible-core 2.14's
// (lib/ansible/plugins/filter/core.py: regex_replace(value, pattern, replacement, ignorecase,
// multiline), re.sub). Newer ansible-core added count= and mandatory_count= (re.subn); 2.14 refuses
// them with Python's TypeError, and so does beastie, naming the keyword.
import { describe, expect, it } from 'vitest';
import { differences, renderWithAnsible, renderWithBeastie, type Case } from './ansible-reference.js';

const vars = { text: 'aaa\nbab\n' };
const templates = [
  "{{ text | regex_replace('a', 'x') }}",
  "{{ text | regex_replace('a', 'x', count=1) }}",
  "{{ text | regex_replace('a', 'x', mandatory_count=3) }}",
  "{{ text | regex_replace('^b', 'B', multiline=true) }}",
  "{{ text | regex_replace('A', 'x', ignorecase=true) }}",
  "{{ text | regex_replace('A', 'x', true) }}",
  "{{ text | regex_replace(pattern='a', replacement='y') }}",
];
const cases: Case[] = templates.map((template) => ({ template, vars }));
const ansible = renderWithAnsible(cases);

describe("regex_replace takes ansible-core 2.14's parameters", () => {
  it('renders every case as Ansible does', () => {
    expect(differences(cases, ansible)).toEqual([]);
  });

  it('refuses count and mandatory_count with the TypeError 2.14 raises', () => {
    for (const [i, name] of [[1, 'count'], [2, 'mandatory_count']] as const) {
      const beastie = renderWithBeastie(cases[i] as Case);
      expect(ansible[i]).toMatchObject({ ok: false });
      expect(beastie).toEqual({ ok: false, error: expect.stringContaining(`regex_replace() got an unexpected keyword argument '${name}'`) as unknown });
    }
  });
});
