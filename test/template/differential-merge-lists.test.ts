// beastie's community.general.lists_mergeby (src/jinja/filters/lists-mergeby.ts) and
// ansible.utils.consolidate (src/jinja/filters/consolidate.ts) against the collections' own,
// through ansible-core 2.14's Templar: the plugins' documented examples, recursive and list_merge,
// lists of lists, dicts without the key, the fail_* switches, and the failures.
import { describe, expect, it } from 'vitest';
import { renderWithBeastie, type Case } from './ansible-reference.js';
import { itRendersAsAnsible } from './differential-fixture.js';

const vars = {
  // lists_mergeby's EXAMPLES, and more.
  list1: [{ index: 'a', value: 123 }, { index: 'b', value: 42 }],
  list2: [{ index: 'a', foo: 'bar' }, { index: 'c', foo: 'baz' }],
  list3: [{ index: 'b', value: 7, extra: { x: [1] } }, { other: 1 }],
  deep1: [{ name: 'web', conf: { ports: [80], tls: false }, tags: ['a'] }, { name: 'db', conf: { ports: [5432] } }],
  deep2: [{ name: 'web', conf: { ports: [443], tls: true }, tags: ['b', 'a'] }, { name: 'cache', conf: {} }],
  nums1: [{ id: 2, v: 'two' }, { id: 1, v: 'one' }],
  nums2: [{ id: 1.0, w: 'float one' }, { id: 3 }],
  mixed: [{ id: 'x' }, { id: 1 }],
  scalars: ['a', 'b'],
  // consolidate's EXAMPLES, and more.
  values: [{ name: 'a', value: 1 }, { name: 'b', value: 2 }, { name: 'c', value: 3 }],
  colors: [{ name: 'a', color: 'red' }, { name: 'b', color: 'green' }, { name: 'c', color: 'blue' }],
  sizes: [{ name: 'a', size: 'small' }, { name: 'b', size: 'medium' }, { name: 'c', size: 'large' }],
  titled: [{ title: 'a', size: 'small' }, { title: 'b', size: 'medium' }, { title: 'c', size: 'large' }],
  keyless: [{ size: 'small' }, { size: 'medium' }, { size: 'large' }],
  partial: [{ name: 'a', size: 'small' }, { name: 'b', size: 'medium' }],
  twice: [{ name: 'a', size: 'small' }, { name: 'a', size: 'big' }, { name: 'b' }, { name: 'c' }],
  ints1: [{ id: 2, x: 1 }, { id: 10, x: 2 }],
  ints2: [{ id: 10, y: 1 }, { id: 2, y: 2 }],
};
const source = (data: string, key = 'name', name = data): string => `{'data': ${data}, 'match_key': '${key}', 'name': '${name}'}`;
const base = `[${source('values')}, ${source('colors')}]`;
const withSource = (extra: string): string => `(${base} + [${extra}])`;

const mergeby = [
  "{{ list1 | community.general.lists_mergeby(list2, 'index', recursive=True, list_merge='append') }}",
  "{{ list1 | community.general.lists_mergeby(list2, 'index') }}",
  "{{ list1 | community.general.lists_mergeby(list2, list3, 'index') }}",
  "{{ [list1, list2, list3] | community.general.lists_mergeby('index') }}",
  "{{ [list1] | community.general.lists_mergeby('index') }}",
  "{{ list1 | community.general.lists_mergeby('index') }}",
  "{{ [] | community.general.lists_mergeby('index') }}",
  "{{ [[], list2] | community.general.lists_mergeby('index') }}",
  ...['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp'].flatMap((mode) => [
    `{{ deep1 | community.general.lists_mergeby(deep2, 'name', recursive=True, list_merge='${mode}') }}`,
    `{{ deep1 | community.general.lists_mergeby(deep2, 'name', list_merge='${mode}') }}`,
  ]),
  "{{ deep1 | community.general.lists_mergeby(deep2, 'name', recursive=True) }}",
  "{{ deep2 | community.general.lists_mergeby(deep1, 'name', recursive=True, list_merge='append') }}",
  "{{ nums1 | community.general.lists_mergeby(nums2, 'id') }}",
  "{{ list1 | community.general.lists_mergeby(list2, 'missing') }}",
  "{{ list1 | community.general.lists_mergeby(list2, 'index') | map(attribute='index') | list }}",
  "{{ list1 | community.general.lists_mergeby(list2, 'index') | to_json }}",
  // Failures.
  "{{ mixed | community.general.lists_mergeby(list2, 'id') }}",
  "{{ list1 | community.general.lists_mergeby(list2, 5) }}",
  "{{ list1 | community.general.lists_mergeby(scalars, 'index') }}",
  "{{ list1 | community.general.lists_mergeby({'a': 1}, 'index') }}",
  "{{ list1 | community.general.lists_mergeby(list2, 'index', bogus=1) }}",
  "{{ list1 | community.general.lists_mergeby(list2, 'index', list_merge='merge') }}",
  "{{ list1 | community.general.lists_mergeby }}",
  "{{ list1 | community.general.lists_mergeby(undefined_list, 'index') }}",
  "{{ list1 | lists_mergeby(list2, 'index') }}",
];

const consolidate = [
  `{{ ${withSource(source('sizes'))} | ansible.utils.consolidate }}`,
  `{{ ${withSource(source('titled', 'title', 'sizes'))} | ansible.utils.consolidate }}`,
  `{{ ${withSource(source('keyless'))} | ansible.utils.consolidate(fail_missing_match_key=True) }}`,
  `{{ ${withSource(source('keyless'))} | ansible.utils.consolidate(fail_missing_match_key=False) }}`,
  `{{ ${withSource(source('keyless'))} | ansible.utils.consolidate(fail_missing_match_key=False, fail_missing_match_value=False) }}`,
  `{{ ${withSource(source('partial'))} | ansible.utils.consolidate(fail_missing_match_value=True) }}`,
  `{{ ${withSource(source('partial'))} | ansible.utils.consolidate(fail_missing_match_value=False) }}`,
  `{{ ${withSource(source('partial'))} | ansible.utils.consolidate(fail_missing_match_value='no') }}`,
  `{{ ${withSource(source('twice'))} | ansible.utils.consolidate(fail_duplicate=True) }}`,
  `{{ ${withSource(source('twice'))} | ansible.utils.consolidate(fail_duplicate=False) }}`,
  `{{ ${withSource(source('twice'))} | ansible.utils.consolidate(False, True, False) }}`,
  `{{ [${source('ints1', 'id')}, ${source('ints2', 'id')}] | ansible.utils.consolidate }}`,
  `{{ [${source('ints1', 'id')}, ${source('ints2', 'id')}] | ansible.utils.consolidate | to_json }}`,
  `{{ ${base} | ansible.utils.consolidate | dict2items | map(attribute='value.colors.color') | list }}`,
  `{{ [] | ansible.utils.consolidate }}`,
  `{{ [${source('values')}] | ansible.utils.consolidate }}`,
  // Failures.
  `{{ ${base} | ansible.utils.consolidate(bogus=True) }}`,
  `{{ ${base} | ansible.utils.consolidate(fail_duplicate='maybe') }}`,
  "{{ [{'data': values, 'name': 'v'}] | ansible.utils.consolidate }}",
  "{{ [{'data': values, 'match_key': 'name', 'name': 'v', 'extra': 1}] | ansible.utils.consolidate }}",
  "{{ ['text'] | ansible.utils.consolidate }}",
  "{{ 'text' | ansible.utils.consolidate }}",
  "{{ [{'data': scalars, 'match_key': 'name', 'name': 'v'}] | ansible.utils.consolidate }}",
  "{{ undefined_sources | ansible.utils.consolidate }}",
  `{{ ${base} | consolidate }}`,
];

const cases: Case[] = [...mergeby, ...consolidate].map((template) => ({ template, vars }));
describe('lists_mergeby and consolidate answer as community.general and ansible.utils do', () => {
  itRendersAsAnsible(cases, { moreThan: 0.6 });

  it("beastie's answer to the first lists_mergeby case is the filter's", () => {
    expect(renderWithBeastie({ template: mergeby[0] ?? '', vars })).toEqual({
      ok: true,
      value: [{ index: 'a', value: 123, foo: 'bar' }, { index: 'b', value: 42 }, { index: 'c', foo: 'baz' }],
    });
  });
});
