// The list-shaping lookups behind with_* loops (src/jinja/lookups/lists.ts, sequence.ts) against
// ansible-core 2.14's: items, list, dict, sequence, indexed_items, together, nested, and
// subelements — whose items lack the list they were taken from (subelements.py pops the subkey,
// so with_subelements' item.0 has no such key), nested keys included, and skipped items left out.
import { describe } from 'vitest';
import type { Case } from './ansible-reference.js';
import { itRendersAsAnsible } from './differential-fixture.js';

const vars = {
  users: [{ name: 'alice', groups: ['wheel', 'operator'], shell: 'sh' }, { name: 'bob', groups: [] }, { name: 'carol', groups: ['staff'] }],
  deep: [{ name: 'j1', net: { ips: ['10.0.0.1', '10.0.0.2'], bridge: 'b0' } }],
  partial: [{ name: 'a', groups: ['x'] }, { name: 'b' }],
  registered: { results: [{ item: 1, skipped: true }, { item: 2, out: ['o1'] }] },
};
const templates = [
  "{{ q('items', [1, [2]]) }}", "{{ lookup('items', [1, [2]], wantlist=True) }}", "{{ lookup('list', [1, 2]) }}", "{{ lookup('dict', {'a': 1}) }}",
  "{{ lookup('sequence', 'start=1 end=5 stride=2') }}", "{{ query('sequence', 'count=3 format=h%02d') }}",
  "{{ lookup('indexed_items', ['a', 'b']) }}", "{{ lookup('together', [1, 2], ['a']) }}", "{{ lookup('nested', [1, 2], ['a', 'b']) }}",
  "{{ lookup('subelements', [{'k': [1, 2]}], 'k') }}",
  "{{ query('subelements', users, 'groups') }}",
  "{{ query('subelements', users, 'groups') | map(attribute='0') | map(attribute='groups', default='gone') | list }}",
  "{{ query('subelements', users, 'groups') | map(attribute='0.name') | list }}",
  "{{ query('subelements', deep, 'net.ips') }}",
  "{{ query('subelements', partial, 'groups', {'skip_missing': True}) }}",
  "{{ query('subelements', partial, 'groups') }}",
  "{{ query('subelements', registered.results, 'out', skip_missing=True) }}",
  "{{ query('subelements', users, 'groups') | length }} {{ users[0].groups }}",
  "{{ users | subelements('groups') | map(attribute='0.groups') | list }}",
];
const cases: Case[] = templates.map((template) => ({ template, vars }));

describe('the with_* list lookups answer as ansible-core 2.14 does', () => {
  itRendersAsAnsible(cases, { moreThan: 0.8 });
});
