// beastie's ansible.utils index_of, get_path and to_paths lookups (src/jinja/lookups/utils-paths.ts)
// against ansible.utils 2.10.3's through ansible-core 2.14's Templar: terms zipped with each
// lookup's own positional names, keyword options, wantlist=True inside the plugin and lookup()'s
// joining or unwrapping of the list it returns, query(), and the argument spec's failures.
import { describe } from 'vitest';
import type { Case } from './ansible-reference.js';
import { itRendersAsAnsible } from './differential-fixture.js';

const vars = {
  data: [1, 2, 3, 2],
  dicts: [{ name: 'a', n: 1 }, { name: 'b', n: 2 }, { x: 3 }],
  nested: { a: { b: [1, { c: 'deep' }] }, 'x-y': 5, e: {}, l: [] },
};

const templates = [
  "{{ lookup('ansible.utils.index_of', data, 'eq', 2) }}",
  "{{ lookup('ansible.utils.index_of', data, 'eq', 3) }}",
  "{{ lookup('ansible.utils.index_of', data, 'eq', 3) | type_debug }}",
  "{{ query('ansible.utils.index_of', data, 'eq', 3) }}",
  "{{ lookup('ansible.utils.index_of', data, 'eq', 9) }}",
  "{{ lookup('ansible.utils.index_of', data, 'eq', 3, wantlist=true) }}",
  "{{ lookup('ansible.utils.index_of', data=data, test='eq', value=2) }}",
  "{{ lookup('ansible.utils.index_of', data, 'eq', 2, None, false, 'maybe') }}",
  "{{ lookup('ansible.utils.index_of', data, 'eq', 2, None, false, false) }}",
  "{{ lookup('ansible.utils.index_of', dicts, 'eq', 'b', 'name') }}",
  "{{ lookup('ansible.utils.index_of', dicts, 'eq', 'b', 'name', true) }}",
  "{{ lookup('ansible.utils.index_of', data) }}",
  "{{ lookup('ansible.utils.index_of') }}",
  "{{ lookup('ansible.utils.index_of', data, 'eq', 2, bogus=1) }}",
  "{{ lookup('ansible.utils.index_of', data, 'nosuch', 2) }}",
  "{{ lookup('ansible.utils.index_of', data, 'eq', 2, errors='ignore') }}",
  "{{ lookup('ansible.utils.get_path', nested, 'a.b') }}",
  "{{ lookup('ansible.utils.get_path', nested, 'a.b[0]') }}",
  "{{ lookup('ansible.utils.get_path', nested, 'a.b[1].c') }}",
  "{{ lookup('ansible.utils.get_path', nested, 'a') }}",
  "{{ query('ansible.utils.get_path', nested, 'a.b[1].c') }}",
  "{{ lookup('ansible.utils.get_path', nested, 'a.b', wantlist=true) }}",
  "{{ lookup('ansible.utils.get_path', nested, 'zz') }}",
  "{{ lookup('ansible.utils.get_path', nested, 'a', 'maybe') }}",
  "{{ lookup('ansible.utils.get_path', var=nested, path='e') }}",
  "{{ lookup('ansible.utils.get_path', nested) }}",
  "{{ lookup('ansible.utils.get_path', data, 'a') }}",
  "{{ lookup('ansible.utils.to_paths', nested) }}",
  "{{ lookup('ansible.utils.to_paths', nested, 'n') }}",
  "{{ query('ansible.utils.to_paths', nested, 'n') }}",
  "{{ lookup('ansible.utils.to_paths', nested, 'n', true) }}",
  "{{ lookup('ansible.utils.to_paths', var=data, prepend='d') }}",
  "{{ lookup('ansible.utils.to_paths', 5) }}",
  "{{ lookup('ansible.utils.to_paths', []) }}",
  "{{ lookup('ansible.utils.to_paths') }}",
  "{{ lookup('ansible.utils.to_paths', nested, bogus=1) }}",
  "{{ lookup('index_of', data, 'eq', 2) }}",
];
const cases: Case[] = templates.map((template) => ({ template, vars }));

describe("ansible.utils' index_of, get_path and to_paths lookups answer as the collection's do", () => {
  itRendersAsAnsible(cases, { moreThan: 0.6 });
});
