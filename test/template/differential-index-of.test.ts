// beastie's ansible.utils.index_of (src/jinja/filters/index-of.ts) against ansible.utils 2.10.3's
// through ansible-core 2.14's Templar: the plugin's documented examples, inverted tests (`!`,
// `not `, and lstrip's way with `not ne`), keys of dicts with fail_on_missing, the tests it finds
// by name (ansible.builtin.* for Ansible's own only), the argument spec's conversions and
// failures; and Python's failure for a test that needs an argument and gets none.
import { describe } from 'vitest';
import type { Case } from './ansible-reference.js';
import { itRendersAsAnsible } from './differential-fixture.js';

const vars = {
  data: [1, 2, 3, 2],
  words: ['apple', 'banana', 'cherry'],
  dicts: [{ name: 'a', n: 1 }, { name: 'b', n: 2 }, { x: 3 }],
  results: [{ failed: true }, { failed: false, changed: true }],
  versions: ['1.2', '2.0', '10.1'],
  mixed: [1, 'a', null, true, 1.5, [1], { k: 1 }],
  found: 2,
};

const templates = [
  // The plugin's EXAMPLES
  "{{ data | ansible.utils.index_of('eq', 2) }}",
  "{{ data | ansible.utils.index_of('eq', 3) }}",
  "{{ data | ansible.utils.index_of('eq', 2, wantlist=True) }}",
  "{{ data | ansible.utils.index_of('eq', 3, wantlist=True) }}",
  "{{ data | ansible.utils.index_of(test='eq', value=found, wantlist=True) }}",
  "{{ data | ansible.utils.index_of('eq', 9) }}",
  "{{ data | ansible.utils.index_of('>', 1) }}",
  "{{ data | ansible.utils.index_of('odd') }}",
  "{{ data | ansible.utils.index_of('even', wantlist=true) }}",
  "{{ dicts | ansible.utils.index_of('eq', 'b', 'name') }}",
  "{{ dicts | ansible.utils.index_of('eq', 'b', key='name', wantlist=true) }}",
  "{{ dicts | ansible.utils.index_of('in', ['a', 'b'], 'name') }}",
  "{{ dicts | ansible.utils.index_of('eq', 1, 'n', fail_on_missing=false) }}",
  "{{ dicts | ansible.utils.index_of('eq', 1, 'n', true) }}",
  "{{ dicts | ansible.utils.index_of('eq', 1, 'zz', true) }}",
  "{{ [{'a': 'x'}, {'b': 1}] | ansible.utils.index_of('eq', 'a', 'name', true) }}",
  "{{ words | ansible.utils.index_of('search', 'an') }}",
  "{{ words | ansible.utils.index_of('regex', '^c') }}",
  "{{ words | ansible.utils.index_of('match', 'b|c') }}",
  "{{ words | ansible.utils.index_of('ansible.builtin.match', 'b') }}",
  "{{ versions | ansible.utils.index_of('version', '1.5', wantlist=true) }}",
  "{{ results | ansible.utils.index_of('failed') }}",
  "{{ results | ansible.utils.index_of('ansible.builtin.succeeded') }}",
  "{{ results | ansible.utils.index_of('changed') }}",
  "{{ ['10.0.0.1', 'x', '::1'] | ansible.utils.index_of('ansible.utils.ip') }}",
  "{{ mixed | ansible.utils.index_of('string') }}",
  "{{ mixed | ansible.utils.index_of('none') }}",
  "{{ mixed | ansible.utils.index_of('number') }}",
  "{{ mixed | ansible.utils.index_of('eq', 1) }}",
  "{{ mixed | ansible.utils.index_of('eq', [1]) }}",
  "{{ mixed | ansible.utils.index_of('in', [[1], 'a']) }}",
  "{{ mixed | ansible.utils.index_of('defined') }}",
  // Inverted tests
  "{{ data | ansible.utils.index_of('!=', 2) }}",
  "{{ data | ansible.utils.index_of('!eq', 2) }}",
  "{{ data | ansible.utils.index_of('!==', 2) }}",
  "{{ data | ansible.utils.index_of('!ne', 2) }}",
  "{{ data | ansible.utils.index_of('not eq', 2) }}",
  "{{ mixed | ansible.utils.index_of('!string') }}",
  "{{ data | ansible.utils.index_of('not ne', 2) }}",
  "{{ data | ansible.utils.index_of('not none') }}",
  "{{ data | ansible.utils.index_of('in', 1) }}",
  // Tests it cannot find, and tests that fail
  "{{ data | ansible.utils.index_of('nosuch', 1) }}",
  "{{ data | ansible.utils.index_of('ansible.builtin.eq', 2) }}",
  "{{ ['10.0.0.1'] | ansible.utils.index_of('ip') }}",
  "{{ data | ansible.utils.index_of('gt', 'x') }}",
  "{{ ['x'] | ansible.utils.index_of('gt', 1) }}",
  "{{ data | ansible.utils.index_of('ne') }}",
  "{{ [none, 1] | ansible.utils.index_of('eq', none) }}",
  "{{ [[1], 1] | ansible.utils.index_of('contains', 1) }}",
  "{{ data | ansible.utils.index_of('eq', 2, 'name') }}",
  "{{ [1] | ansible.utils.index_of('eq', 1, 'name') }}",
  "{{ (dicts + [1, 'x', [2], 1.5, none, true]) | ansible.utils.index_of('eq', 'a', 'name') }}",
  // The argument spec: conversions, extra positional arguments dropped, keywords over positionals
  "{{ 'abc' | ansible.utils.index_of('eq', 'abc') }}",
  "{{ 'a,b,a' | ansible.utils.index_of('eq', 'a') }}",
  "{{ 5 | ansible.utils.index_of('eq', '5') }}",
  "{{ dicts | ansible.utils.index_of('eq', 1, key=1) }}",
  "{{ [{'1': 'a'}] | ansible.utils.index_of('eq', 'a', 1) }}",
  "{{ [{'True': 'a'}] | ansible.utils.index_of('eq', 'a', true) }}",
  "{{ data | ansible.utils.index_of('eq', 2, wantlist='yes') }}",
  "{{ data | ansible.utils.index_of('eq', 3, wantlist=0) }}",
  "{{ data | ansible.utils.index_of('eq', 3, wantlist=1) }}",
  "{{ data | ansible.utils.index_of('eq', 2, None, 'yes', 'yes', 7) }}",
  "{{ data | ansible.utils.index_of('eq', 2, test='ne') }}",
  "{{ data | ansible.utils.index_of() }}",
  "{{ data | ansible.utils.index_of('eq', 2, bogus=1) }}",
  "{{ {'a': 1} | ansible.utils.index_of('eq', 'a') }}",
  "{{ data | ansible.utils.index_of('eq', 2, wantlist='maybe') }}",
  "{{ data | ansible.utils.index_of('eq', 3, wantlist=2) }}",
  "{{ none | ansible.utils.index_of('eq', 1) }}",
  "{{ data | ansible.utils.index_of(none, 1) }}",
  "{{ nope | ansible.utils.index_of('eq', 1) }}",
  "{{ data | ansible.utils.index_of('eq', nope) }}",
  '{{ data | index_of("eq", 2) }}',
  // A test that needs an argument, given none (Python's TypeError), anywhere a test is named
  '{{ 1 is eq }}',
  "{{ data | select('eq') | list }}",
  "{{ data | select('divisibleby') | list }}",
  "{{ data | select('sameas') | list }}",
  "{{ data | reject('in') | list }}",
  "{{ data | select('eq', 2) | list }}",
];
const cases: Case[] = templates.map((template) => ({ template, vars }));

describe("ansible.utils.index_of answers as the collection's does", () => {
  itRendersAsAnsible(cases, { moreThan: 0.55 });
});
