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

// override='warn': the warnings Ansible's display.warning got, compared in order (Case.warnings).
// Each variable's merge here overrides at most one key on one path: community.general 6.6.2 (the
// oracle) and 13.4.0 (the port's source) word those alike (see the unit test for where they differ).
const warnVars = {
  ...vars,
  n1__cfg: { port: 80, name: 'a' },
  n2__cfg: { port: 8080, name: 'a' },
  n3__cfg: { port: 8080, tls: true },
  n4__cfg: { tls: false },
  d1__x: { svc: { opts: { level: 1 } } },
  d2__x: { svc: { opts: { level: 2 } } },
  k1__v: { a: null, n: 1 },
  k2__v: { a: 'x', n: 1.0 },
  s1__v: { a: '1' },
  s2__v: { a: 1 },
  l1__v: { pkgs: ['a'] },
  l2__v: { pkgs: ['b'] },
};
const warnCases: Case[] = [
  lookup("'__users$', override='warn'"),
  lookup("'__cfg$', override='warn'"),
  lookup("'__x$', override='warn'"),
  lookup("'^k.__v$', override='warn'"),
  lookup("'^s.__v$', override='warn'"),
  lookup("'^l.__v$', override='warn'"),
  lookup("'__users$', override='ignore'"),
  lookup("'__users$'"),
  "{{ [lookup('community.general.merge_variables', '__x$', override='warn'), lookup('community.general.merge_variables', '__x$', override='warn')] }}",
  "{{ query('community.general.merge_variables', '__x$', '^s.__v$', override='warn') }}",
].map((template) => ({ template, vars: warnVars, warnings: true }));
describe("merge_variables override='warn' prints community.general's warning", () => {
  const ansible = itRendersAsAnsible(warnCases, { moreThan: 0.8 });

  it('Ansible warned in most of these cases, so the comparison is of warnings, not of their absence', () => {
    expect(ansible.filter((outcome) => (outcome.warnings ?? []).length > 0).length).toBeGreaterThanOrEqual(6);
  });

  it("words a warning as the plugin's before_override does", () => {
    expect(renderWithBeastie({ template: lookup("'__x$', override='warn'"), vars: warnVars, warnings: true })).toEqual({
      ok: true,
      value: { svc: { opts: { level: 2 } } },
      warnings: ["The key 'level' with value '1' will be overwritten with value '2' from 'd2__x.svc.opts.level'"],
    });
  });

  it("names the path as 13.4.0's DictMergeStrategies.Merge builds it: keys of one merge accumulate (6.6.2 named each key's own path)", () => {
    // plugins/lookup/merge_variables.py (ade4f3e) appends each merged key to one `path` list that is
    // never trimmed; 6.6.2's _merge_dict passed `path + [key]`, so it said 'b2__p.b' for the second.
    const outcome = renderWithBeastie({ template: lookup("'^b.__p$', override='warn'"), vars: { b1__p: { a: 1, b: 1 }, b2__p: { a: 2, b: 2 } }, warnings: true });
    expect(outcome.warnings).toEqual([
      "The key 'a' with value '1' will be overwritten with value '2' from 'b2__p.a'",
      "The key 'b' with value '1' will be overwritten with value '2' from 'b2__p.a.b'",
    ]);
  });
});
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
