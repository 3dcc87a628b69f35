// beastie's community.general counter / dict / dict_kv / groupby_as_dict / path_join / jc (src/jinja/filters/general-small.ts)
// against community.general 6.6.2's through ansible-core 2.14's Templar: their documented examples,
// the cases of the collection's integration targets, and the failures.
import { describe } from 'vitest';
import type { Case } from './ansible-reference.js';
import { itRendersAsAnsible } from './differential-fixture.js';

const vars = { rows: [{ name: 'a', id: 1, x: [1] }, { name: 'b', id: 2.0 }], myvar: 'myvalue', myservers: ['server1', 'server2'], common_config: { type: 'host', database: 'all' } };
const templates = [
  "{{ [1, 'a', 2, 2, 'a', 'b', 'a'] | community.general.counter }}",
  "{{ 'abca' | community.general.counter }}",
  "{{ ('abca' | community.general.counter) == {'a': 2, 'b': 1, 'c': 1} }}",
  "{{ ([1, 2, 2, 3] | community.general.counter) == {1: 1, 2: 2, 3: 1} }}",
  "{{ ([1.11, 1.11, 1.12] | community.general.counter) == {1.11: 2, 1.12: 1} }}",
  "{{ [1, 1.0, true, 'x'] | community.general.counter }}",
  '{{ [] | community.general.counter }}',
  '{{ [[1], [1]] | community.general.counter }}',
  '{{ {"a": 1} | community.general.counter }}',
  '{{ 5 | community.general.counter }}',
  "{{ [['a', 'b']] | community.general.dict }}",
  "{{ [['a', 'b'], [1, 2]] | community.general.dict == dict([['a', 'b'], [1, 2]]) }}",
  '{{ [] | community.general.dict == dict([]) }}',
  "{{ [['a', 1], ['b', 2], ['a', 3]] | community.general.dict }}",
  "{{ ['ab', 'cd'] | community.general.dict }}",
  "{{ {'k': 'v'} | community.general.dict }}",
  "{{ [['a', 'b', 'c']] | community.general.dict }}",
  '{{ [1, 2] | community.general.dict }}',
  "{{ [[['x'], 1]] | community.general.dict }}",
  "{{ myvar | community.general.dict_kv('thatsmyvar') }}",
  "{{ 'value' | community.general.dict_kv('key') == {'key': 'value'} }}",
  "{{ myservers | map('community.general.dict_kv', 'server') | map('combine', common_config) | list }}",
  "{{ [1, 2] | community.general.dict_kv(3) }}",
  '{{ myvar | community.general.dict_kv }}',
  "{{ myvar | community.general.dict_kv(['a']) }}",
  "{{ ['a', 'b'] | community.general.path_join }}",
  "{{ ['a', '/b'] | community.general.path_join }}",
  "{{ [''] | community.general.path_join }}",
  "{{ 'a' | community.general.path_join }}",
  "{{ [1, 2] | counter }}",
  "{{ rows | community.general.groupby_as_dict('name') }}",
  "{{ rows | community.general.groupby_as_dict('id') }}",
  "{{ rows + [{'name': 'a'}] | community.general.groupby_as_dict('name') }}",
  "{{ (rows + [{'name': 'a'}]) | community.general.groupby_as_dict('name') }}",
  "{{ rows | community.general.groupby_as_dict('missing') }}",
  "{{ [1] | community.general.groupby_as_dict('name') }}",
  "{{ {'a': 1} | community.general.groupby_as_dict('name') }}",
  "{{ [] | community.general.groupby_as_dict('name') }}",
];
const cases: Case[] = templates.map((template) => ({ template, vars }));

describe("community.general's counter, dict, dict_kv and path_join answer as the collection's do", () => {
  itRendersAsAnsible(cases, { moreThan: 0.6 });
});

// jc without the jc Python library (Debian's ansible has none, beastie runs no Python parsers):
// it fails when called, an undefined input first; a template that does not call it renders.
const jcCases: Case[] = [
  "{{ 'a=1' | community.general.jc('ini') }}",
  "{{ loader_conf.content | b64decode | community.general.jc('ini') }}",
  "{{ 'a=1' | community.general.jc }}",
  "{{ 'x' if false else ('a=1' | community.general.jc('ini')) }}",
  "{{ 'x' if true else ('a=1' | community.general.jc('ini')) }}",
  "{{ [] | map('community.general.jc', 'ini') | list }}",
].map((template) => ({ template, vars }));

describe('community.general.jc fails as it does on a controller without the jc library', () => {
  itRendersAsAnsible(jcCases, { atLeast: 2 }, 'rendered the templates that do not call it');
});
