// beastie's community.general.merge_variables lookup (src/jinja/lookups/merge-variables.ts)
// against community.general's own, through ansible-core 2.14's Templar: the plugin's documented
// examples, each pattern_type, initial_value, nested dicts, lists under one key appended, the
// override choices, variables that are templates themselves, and the failures.
import { describe, expect, it } from 'vitest';
import { renderWithBeastie, type Case } from './ansible-reference.js';
import { itRendersAsAnsible } from './differential-fixture.js';

const vars = {
  // The plugin's EXAMPLES.
  test_init_list: ['list init item 1', 'list init item 2'],
  testa__test_list: ['test a item 1'],
  testb__test_list: ['test b item 1'],
  testa__test_dict: { ports: [1] },
  testb__test_dict: { ports: [3] },
  // Nested dicts, a key set twice (same value, then a different one), a template-valued variable.
  web__users: { alice: { shell: '/bin/sh', groups: ['wheel'] }, common: 'x' },
  db__users: { bob: { shell: '/bin/csh' }, alice: { groups: ['operator'], uid: 1001 }, common: 'x' },
  zz__users: { common: 'y' },
  shell_default: '/usr/local/bin/bash',
  tpl__users: { carol: { shell: '{{ shell_default }}' } },
  mixed__thing: ['a'],
  other__thing: { a: 1 },
  scalar__odd: 'text',
  clash__deep: { a: { b: 1 } },
  clash__deep2: { a: 'flat' },
};

const lookup = (args: string): string => `{{ lookup('community.general.merge_variables', ${args}) }}`;

const cases: Case[] = [
  lookup("'__test_dict', pattern_type='suffix'"),
  lookup("'^.+__test_list$', initial_value=test_init_list"),
  lookup("'__test_list'"),
  lookup("'testa__', pattern_type='prefix'"),
  lookup("'__test_list', pattern_type='suffix', initial_value=['first']"),
  lookup("'^(web|db)__users$'"),
  lookup("'^(db|web|tpl)__users$'"),
  lookup("'__users$'"),
  lookup("'__users$', override='warn'"),
  lookup("'__users$', override='ignore'"),
  lookup("'__users$', override='ignore', initial_value={'common': 'z', 'extra': [1]}"),
  lookup("'__users$', override='bogus'"),
  lookup("'__users$', pattern_type='glob'"),
  lookup("'__thing$'"),
  lookup("'__odd$'"),
  lookup("'nothing_matches'"),
  lookup("'__test_list', initial_value='text'"),
  lookup("'__test_dict', initial_value=['x']"),
  lookup("'^clash__deep'"),
  lookup("'testa__test_list', 'testb__test_list'"),
  "{{ query('community.general.merge_variables', '__test_list') }}",
  "{{ query('community.general.merge_variables', '__test_list', '__test_dict') }}",
  "{{ lookup('community.general.merge_variables', '__test_list', wantlist=True) }}",
  "{{ lookup('community.general.merge_variables', 5) }}",
  "{{ lookup('community.general.merge_variables', '__users$', override='ignore') | to_nice_json }}",
  "{{ lookup('community.general.merge_variables', '__test_dict', pattern_type='suffix').ports | sum }}",
  // The variables merged are not changed by merging them.
  "{{ [lookup('community.general.merge_variables', '__test_list'), testa__test_list, testa__test_dict] }}",
  "{{ lookup('community.general.merge_variables', '^(web|db)__users$') and web__users }}",
].map((template) => ({ template, vars }));
describe('merge_variables merges as community.general does', () => {
  itRendersAsAnsible(cases, { moreThan: 0.6 });

  it("beastie's answer to the first EXAMPLE is the plugin's", () => {
    expect(renderWithBeastie({ template: lookup("'__test_dict', pattern_type='suffix'"), vars })).toEqual({ ok: true, value: { ports: [1, 3] } });
  });

  it('refuses an option the plugin does not have, which Ansible ignores (a documented difference)', () => {
    const outcome = renderWithBeastie({ template: lookup("'__test_list', overide='ignore'"), vars });
    expect(outcome).toMatchObject({ ok: false, error: expect.stringContaining("unknown option 'overide'") });
  });
});
