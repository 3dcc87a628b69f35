// beastie's community.general.dependent lookup (src/jinja/lookups/dependent.ts) against
// community.general 6.6.2's plugins/lookup/dependent.py through ansible-core 2.14's Templar: the
// collection's integration target, a mapping (sorted {key, value}), variables in the expressions,
// text iterated as characters, the globals (lookup, query, q, range, dict) in the expressions, and
// the failures.
import { describe } from 'vitest';
import type { Case } from './ansible-reference.js';
import { itRendersAsAnsible } from './differential-fixture.js';

const vars = { users: { bob: { keys: ['k1', 'k2'] }, alice: { keys: ['k3'] } }, extra: [10, 20] };
const q = (args: string): string => `{{ query('community.general.dependent', ${args}) }}`;
const templates = [
  q("dict(key1=[1, 2]), dict(key2='[item.key1 + 3, item.key1 + 6]'), dict(key3='[item.key1 + item.key2 * 10]')"),
  q("dict([['a', [1, 2, 3]]]), dict([['b', '[1, 2, 3, 4] if item.a == 1 else [2, 3, 4] if item.a == 2 else [3, 4]']])"),
  q("{'u': 'users'}, {'k': \"item.u.value['keys']\"}"),
  q("{'u': users}, {'e': 'extra'}"),
  q("{'a': [1]}, {'b': \"'xy'\"}"),
  q("{'a': [1]}, {'b': 'item.a'}"),
  q("{'a': [1]}, {'b': 'nope'}"),
  q("{'a': [1], 'b': [2]}"),
  q("[1]"),
  q("{'a': 1}"),
  q("{'a': [1]}, {'a': [2]}"),
  q("{'a': []}, {'b': [1]}"),
  "{{ query('community.general.dependent') }}",
  // The plugin renders with the task's Templar: Jinja's and Ansible's globals are there.
  q("{'a': [1, 2]}, {'b': 'range(item.a, 3) | list'}"),
  q("{'a': [1]}, {'b': 'range(2)'}"),
  q("{'a': [1]}, {'b': \"lookup('vars', 'extra')\"}"),
  q("{'a': [1]}, {'b': \"query('items', [item.a, 5])\"}"),
  q("{'a': [1]}, {'b': \"q('vars', 'extra')\"}"),
  q("{'a': ['x']}, {'b': 'dict(k=item.a)'}"),
  q("{'a': [1]}, {'b': \"lookup('vars', 'nope')\"}"),
  q("{'a': [1]}, {'b': \"lookup('env', 'HOME') | length | string\"}"),
];
const cases: Case[] = templates.map((template) => ({ template, vars }));

describe("community.general's dependent lookup composes as the collection's does", () => {
  itRendersAsAnsible(cases, { atLeast: 13 });
});
