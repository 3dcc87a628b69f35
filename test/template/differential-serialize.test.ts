// beastie's to_yaml / to_nice_yaml / to_json / to_nice_json against ansible-core 2.14's own filters
// (PyYAML with libyaml's emitter, Python's json): quoting of every scalar YAML could misread,
// folding at the width, flow and block layout, indentation, keys too long or multi-line for a
// simple key, escapes, and the keyword arguments content passes (yaml.dump's and json.dumps's).
import { describe, expect, it } from 'vitest';
import { agrees, renderWithAnsible, renderWithBeastie, type Case } from './ansible-reference.js';

const long = 'lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua';
const vars = {
  s: 'foo', n: 5, f: 1.5, big: 1e17, empty: '', tab: 'a\tb', emoji: '😀 x', uni: 'héllo wörld', lead: ' a', trail: 'a ', long,
  longword: `${'x'.repeat(100)} ${'y '.repeat(50)}`,
  words: [
    'yes', 'no', 'on', 'off', 'true', 'null', '~', '', '0o17', '0x1F', '1_000', '1:20', '<<', '=', '.5', '1e3', '1.0e+3', 'y', 'Yes',
    '- a', '-a', 'a #b', 'a#b', 'x: y', 'a:b', ':a', '?a', '? a', '*x', '&a', '!t', '%p', '@a', '`b', '|', '>', "it's", '"q"',
    '---', '...', '--- x', 'a,b', '[x]', '{y}', 'a]', '2024-01-01', '2024-01-01 10:00:00', '1.', '+1', '-1', '0', '007', '08',
    '0b101', '.inf', '.NaN', 'NaN', 'inf',
  ],
  nested: { b: [1, 2, { c: 'd', e: [] }], a: { x: {}, y: [[1, 2], ['a', 'b']] }, 'key with spaces': 'v', 'k:': 1, '': 2, '1': 3 },
  mixed: [[1, 2], { a: 1 }, [], {}, [[]], 'x', null, true, 1.25],
  keys: { ['k'.repeat(130)]: 1, 'a\nb': 2 },
  role: { script: 'echo one\necho two\n', motd: `${long} ${long}`, desc: 'has: colon and # hash', list: [long, long + long] },
  items: Array.from({ length: 40 }, (_, i) => `item${i}`),
  settings: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`key${i}`, `value${i}`])),
  spaces: 'a  b', spaceBreak: 'a \nb', breakSpace: 'a\n b', cr: 'a\rb', nel: 'a\u0085b', ls: 'a\u2028b', bom: '\ufeffx',
  control: 'a\u0001b', del: 'a\u007fb', nbsp: 'a\u00a0b', quotes: "it's a 'test' with \"quotes\"", windows: 'C:\\path\\x',
  quotedLong: `"${long}" \\ ${long}`, newlineEnd: 'abc\n', newlinesEnd: 'abc\n\n', newline: '\n', indented: '  indented\nline',
};

const subjects = [
  's', 'n', 'f', 'big', 'empty', 'tab', 'emoji', 'uni', 'lead', 'trail', 'long', 'longword', 'words', 'nested', 'mixed', 'keys', 'role',
  'items', 'settings', 'spaces', 'spaceBreak', 'breakSpace', 'cr', 'nel', 'ls', 'bom', 'control', 'del', 'nbsp', 'quotes', 'windows',
  'quotedLong', 'newlineEnd', 'newlinesEnd', 'newline', 'indented', 'None', 'true', '0.1', '10 / 4', '10 / 5', '[s, n]',
];

const yamlFilters = [
  'to_yaml', 'to_nice_yaml', 'to_yaml(width=40)', 'to_nice_yaml(indent=2)', 'to_yaml(default_flow_style=False)',
  'to_yaml(default_flow_style=True)', 'to_nice_yaml(width=1000, sort_keys=False)', 'to_nice_yaml(explicit_start=True, explicit_end=True)',
  "to_yaml(default_style='\"')",
];
/** Arguments Ansible's filters refuse (yaml.dump's own errors): beastie must refuse them too. */
const refusedYaml = ['to_yaml(foo=1)', 'to_yaml(allow_unicode=False)', 'to_nice_yaml(default_flow_style=True)'];

const jsonSubjects = ['nested', 'quotes', 'mixed', 'uni', 'emoji', 'control', '10 / 5', "'2024-01-02 03:04:05' | to_datetime", 'None'];
const jsonFilters = [
  'to_json', 'to_nice_json', 'to_json(indent=2)', 'to_json(indent=0)', "to_json(indent='--')", 'to_json(indent=-1)', 'to_json(sort_keys=True)',
  "to_json(separators=(',', ':'))", 'to_json(ensure_ascii=False)', 'to_nice_json(2)', 'to_nice_json(2, False)', 'to_nice_json(ensure_ascii=False)',
];
const refusedJson = ['to_json(4)', 'to_json(foo=1)'];

const cases: Case[] = [
  ...subjects.flatMap((subject) => [...yamlFilters, ...refusedYaml].map((filter) => ({ template: `{{ (${subject}) | ${filter} }}`, vars }))),
  ...jsonSubjects.flatMap((subject) => [...jsonFilters, ...refusedJson].map((filter) => ({ template: `{{ (${subject}) | ${filter} }}`, vars }))),
];
const ansible = renderWithAnsible(cases);

describe('to_yaml and to_json print what ansible-core 2.14 prints', () => {
  it('renders the whole batch identically', () => {
    const differences = cases
      .map((item, i) => ({ template: item.template, ansible: ansible[i], beastie: renderWithBeastie(item) }))
      .filter(({ ansible: reference, beastie }) => reference === undefined || !agrees(reference, beastie));
    expect(differences).toEqual([]);
  });

  it('compares real output: Ansible printed every case but the refused arguments', () => {
    const refused = [...refusedYaml, ...refusedJson];
    const unexpected = cases.filter((item, i) => ansible[i]?.ok !== !refused.some((filter) => item.template.endsWith(`| ${filter} }}`)));
    expect(unexpected).toEqual([]);
  });
});
