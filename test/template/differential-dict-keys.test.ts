// beastie's ansible.utils keep_keys / remove_keys / replace_keys (src/jinja/filters/dict-keys.ts)
// against ansible.utils' own, through ansible-core 2.14's Templar: nested dicts and lists of them,
// each matching_parameter, regexes anchored at the key's start, renamed keys' order, emptied
// containers, and the argument and input failures.
import { describe, expect, it } from 'vitest';
import { renderWithBeastie, type Case } from './ansible-reference.js';
import { itRendersAsAnsible } from './differential-fixture.js';

const vars = {
  nested: { interface: 'eth0', enabled: true, duplex: 'auto', speed: 'auto', note: ['a', 'b'], sub: { enabled: false, mtu: 1500, description: 'x' } },
  rows: [
    { name: 'a', value: 1, tags: [{ name: 't1', x: 1 }, { y: 2 }], meta: { name: 'm', y: 3 } },
    { name: 'b', value: 2, tags: [] },
    { other: 3 },
  ],
  words: { a_one: 1, a_two: [{ a_x: 1 }, 'text'], b_one: { a_three: 3, c: 4 }, ends_a: 5 },
};

const data = ['nested', 'rows', 'words'];
const targets = [
  "['enabled']", "['name']", "['name', 'value']", "['a_']", "['_a', 'one']", "['^a_t', 'b']", "['a.']", "'name,value'", "[]", "['missing']", "['tags']", "['sub']",
];
const matchings = ['', ", matching_parameter='starts_with'", ", matching_parameter='ends_with'", ", matching_parameter='regex'"];
const replacements = [
  "[{'before': 'name', 'after': 'title'}]",
  "[{'before': 'enabled', 'after': 'on'}, {'before': 'on', 'after': 'active'}]",
  "[{'before': 'a_', 'after': 'z'}]",
  "[{'before': 'value', 'after': 'name'}]",
  "[{'before': '^a.', 'after': 'A'}]",
  "[{'before': 'speed', 'after': 'interface'}]",
];

const cases: Case[] = [
  ...data.flatMap((d) =>
    targets.flatMap((target) =>
      matchings.flatMap((matching) => [
        { template: `{{ ${d} | ansible.utils.keep_keys(target=${target}${matching}) }}`, vars },
        { template: `{{ ${d} | ansible.utils.remove_keys(target=${target}${matching}) }}`, vars },
      ]),
    ),
  ),
  ...data.flatMap((d) => replacements.flatMap((target) => matchings.map((matching) => ({ template: `{{ ${d} | ansible.utils.replace_keys(target=${target}${matching}) }}`, vars })))),
  // Positional arguments, text output, the variable after the filter, and the failures.
  ...[
    "{{ nested | ansible.utils.keep_keys(['speed', 'mtu']) }}",
    "{{ rows | ansible.utils.remove_keys(['name'], 'starts_with') }}",
    '{{ nested | ansible.utils.keep_keys(target=["duplex"]) | to_json }}',
    "x={{ rows | ansible.utils.remove_keys(target=['value']) }}",
    "{{ (rows | ansible.utils.replace_keys(target=[{'before': 'name', 'after': 'id'}])) | map(attribute='id', default='-') | list }}",
    "{{ 'text' | ansible.utils.keep_keys(target=['a']) }}",
    "{{ 5 | ansible.utils.remove_keys(target=['a']) }}",
    "{{ none | ansible.utils.replace_keys(target=[{'before': 'a', 'after': 'b'}]) }}",
    '{{ nested | ansible.utils.keep_keys }}',
    "{{ nested | ansible.utils.keep_keys(target=['a'], matching_parameter='equality') }}",
    "{{ nested | ansible.utils.remove_keys(target=['a'], matching_parameter='contains') }}",
    '{{ nested | ansible.utils.keep_keys(target=missing) }}',
    '{{ missing | ansible.utils.keep_keys(target=["a"]) }}',
  ].map((template) => ({ template, vars })),
];
describe('keep_keys, remove_keys and replace_keys answer as ansible.utils does', () => {
  itRendersAsAnsible(cases, { moreThan: 0.9 });

  it("beastie's answer to keep_keys on a nested mapping is the filter's", () => {
    expect(renderWithBeastie({ template: "{{ nested | ansible.utils.keep_keys(target=['enabled']) }}", vars })).toEqual({ ok: true, value: { enabled: true, sub: { enabled: false } } });
  });
});
