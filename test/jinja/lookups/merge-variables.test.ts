// community.general.merge_variables' options newer than Debian's 6.6.2 (src/jinja/lookups/merge-variables.ts),
// from the source of community.general 13.4.0 (plugins/lookup/merge_variables.py, ade4f3e): its
// EXAMPLES with the results they document, the cases and assertions of its integration target
// (tests/integration/targets/lookup_merge_variables: test.yml, test_all_hosts.yml,
// test_cross_host_merge_play.yml with their inventories), and the plugin's failures. The options
// 6.6.2 has are compared with Ansible in test/template/differential-merge-variables.test.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithBeastie } from '../../template/ansible-reference.js';
import { runYaml } from '../../fixtures/runner/yaml-run.js';

// The EXAMPLES' variables, and the integration target's vars.yml ones.
const vars = {
  test_init_list: ['list init item 1', 'list init item 2'],
  testa__test_list: ['test a item 1'],
  testb__test_list: ['test b item 1'],
  testa__test_dict: { ports: [1] },
  testb__test_dict: { ports: [3] },
  testa_low_dict__test: { a: { a: { x: 'low_value', y: 'low_value', list: ['low_value'] } }, b: [1, 1, 2, 3] },
  testb_high_dict__test: { a: { a: { y: 'high_value', z: 'high_value', list: ['high_value'] } }, b: [3, 4, 4, { '5': 'value' }] },
  nested__deep: [[1, [2, 3]], 4],
  nested__more: [[5], 1],
  scalar__one: { k: 1, s: 'a' },
  scalar__two: { k: 'one', s: 'a' },
};

const render = (args: string) => renderWithBeastie({ template: `{{ lookup('community.general.merge_variables', ${args}) }}`, vars });

describe('merge_variables: the EXAMPLES of community.general 13.4.0, as documented', () => {
  it('example_a and example_b (suffix; initial_value)', () => {
    expect(render("'__test_dict', pattern_type='suffix'")).toEqual({ ok: true, value: { ports: [1, 3] } });
    expect(render("'^.+__test_list$', initial_value=test_init_list")).toEqual({ ok: true, value: ['list init item 1', 'list init item 2', 'test a item 1', 'test b item 1'] });
  });

  it("example_c: dict_merge='shallow', list_merge='prepend', list_transformations=['dedup']", () => {
    expect(render("'^.+__test$', dict_merge='shallow', list_merge='prepend', list_transformations=['dedup']")).toEqual({
      ok: true,
      value: { a: { a: { y: 'high_value', z: 'high_value', list: ['high_value'] } }, b: [3, 4, { '5': 'value' }, 1, 2] },
    });
  });

  it("example_d: list_merge='merge', override='ignore', type_conflict_merge='keep', default_merge='replace'", () => {
    expect(render("'^.+__test$', dict_merge='deep', list_merge='merge', override='ignore', type_conflict_merge='keep', default_merge='replace'")).toEqual({
      ok: true,
      value: { a: { a: { x: 'low_value', y: 'high_value', list: ['high_value'], z: 'high_value' } }, b: [3, 4, 4, 3] },
    });
  });
});

describe('merge_variables: the integration target test.yml', () => {
  it("shallow merge, prepend, dedup: a is testdict4__test's, b is [3, 4, {'5': value}, 1, 2]", () => {
    expect(render("'__test', pattern_type='suffix', override='ignore', dict_merge='shallow', list_merge='prepend', list_transformations=['dedup']")).toEqual({
      ok: true,
      value: { a: vars.testb_high_dict__test.a, b: [3, 4, { '5': 'value' }, 1, 2] },
    });
  });

  it("deep merge, prepend, dedup keeping the last", () => {
    expect(render("'__test', pattern_type='suffix', override='ignore', dict_merge='deep', list_merge='prepend', list_transformations=[{'name': 'dedup', 'options': {'keep': 'last'}}]")).toEqual({
      ok: true,
      value: { a: { a: { x: 'low_value', y: 'high_value', list: ['high_value', 'low_value'], z: 'high_value' } }, b: [4, { '5': 'value' }, 1, 2, 3] },
    });
  });
});

describe('merge_variables: the other strategies and transformations, by the source', () => {
  it('replace and keep, for lists and for dicts', () => {
    expect(render("'__test_list', list_merge='replace'")).toEqual({ ok: true, value: ['test b item 1'] });
    expect(render("'__test_list', list_merge='keep'")).toEqual({ ok: true, value: ['test a item 1'] });
    expect(render("'__test_dict', dict_merge='replace'")).toEqual({ ok: true, value: { ports: [3] } });
    expect(render("'__test_dict', dict_merge='keep'")).toEqual({ ok: true, value: { ports: [1] } });
  });

  it('flatten, then dedup, on every list a merge makes (not on a variable merged with nothing)', () => {
    expect(render("'^nested__', list_transformations=['flatten', 'dedup']")).toEqual({ ok: true, value: [1, 2, 3, 4, 5] });
    expect(render("'^nested__deep$', list_transformations=['flatten']")).toEqual({ ok: true, value: [[1, [2, 3]], 4] });
    expect(render("'^nested__', list_transformations='flatten'")).toEqual({ ok: true, value: [1, 2, 3, 4, 5, 1] });
  });

  it('a type conflict: an error naming the key by default, else type_conflict_merge', () => {
    expect(render("'^scalar__'")).toMatchObject({ ok: false, error: expect.stringContaining("The key 'k' with value '1' will be overwritten with value 'one' from 'scalar__two.k'") });
    expect(render("'^scalar__', override='ignore'")).toEqual({ ok: true, value: { k: 'one', s: 'a' } });
    expect(render("'^scalar__', override='warn', type_conflict_merge='keep'")).toEqual({ ok: true, value: { k: 1, s: 'a' } });
  });

  it("the plugin's failures", () => {
    expect(render("'__test_list', list_transformations=['sort']")).toMatchObject({ ok: false, error: expect.stringContaining("Unknown transformation 'sort'") });
    expect(render("'__nothing', list_transformations=[5]")).toMatchObject({ ok: false, error: expect.stringContaining("must be specified through values of type 'str' or 'dict'") });
    expect(render("'__test_list', list_transformations=[{'name': 'dedup', 'options': {'keep': 'middle'}}]")).toMatchObject({ ok: false, error: expect.stringContaining("Unsupported 'keep' value for deduplication transformation. Given was 'middle'") });
    expect(render("'__test_list', list_merge='zip'")).toMatchObject({ ok: false, error: expect.stringContaining('valid values are: replace, keep, append, prepend, merge') });
    expect(render("_terms=['__test_list']")).toMatchObject({ ok: false, error: expect.stringContaining("The '_terms' keyword argument is not supported") });
    expect(render("'__test_list', initial_value='text'")).toMatchObject({ ok: false, error: expect.stringContaining("variable must be a list or a dict: 'text'") });
  });

  it('reads pattern_type from ANSIBLE_MERGE_VARIABLES_PATTERN_TYPE, a direct value first (test_with_env.yml)', () => {
    process.env['ANSIBLE_MERGE_VARIABLES_PATTERN_TYPE'] = 'suffix';
    try {
      expect(render("'__test_list'")).toEqual({ ok: true, value: ['test a item 1', 'test b item 1'] });
      expect(render("'^testa__test_list$'")).toEqual({ ok: true, value: '' });
      expect(render("'^testa__test_list$', pattern_type='regex'")).toEqual({ ok: true, value: ['test a item 1'] });
    } finally {
      delete process.env['ANSIBLE_MERGE_VARIABLES_PATTERN_TYPE'];
    }
  });
});

describe('merge_variables groups=: across the hosts of groups (test_all_hosts.yml, test_cross_host_merge_play.yml)', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('merges the variables of the hosts in the groups, in inventory order, each as its host has it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'beastie-merge-groups-'));
    const inventory = `all:
  vars:
    ansible_connection: local
  hosts:
    host0:
    host1:
      testdict1__merge_dict_ex: {item1: value1, list_item: [test1]}
      testdict2__merge_dict_ex: {item2: value2, list_item: [test2]}
      testdict__merge_dict_in: {item1: value1, list_item: [test1]}
    host2:
      testdict3__merge_dict_ex: {item3: value3, list_item: [test3]}
      testdict__merge_dict_in: {item2: value2, list_item: [test2]}
    host3:
      testdict__merge_dict_in: {item3: value3, list_item: [test3]}
dummy1: {hosts: {host1: }}
dummy2: {hosts: {host2: }}
dummy3: {hosts: {host3: }}
provider:
  vars:
    merge_result: "{{ lookup('community.general.merge_variables', 'merge2__', pattern_type='prefix', groups=['consumer']) }}"
  hosts: {host1: }
consumer:
  vars:
    service_data: {host: "{{ hostvars[groups['provider'] | first].inventory_hostname }}", user: usr, pass: pwd}
    merge2__1: "{{ service_data }}"
  hosts: {host2: }
`;
    const play = `- hosts: host0
  gather_facts: false
  tasks:
    - debug:
        msg: "{{ lookup('community.general.merge_variables', '__merge_dict_ex', pattern_type='suffix', groups=['all']) }}"
    - debug:
        msg: "{{ lookup('community.general.merge_variables', '__merge_dict_in', pattern_type='suffix', groups=['dummy1', 'dummy2']) }}"
    - debug:
        msg: "{{ lookup('community.general.merge_variables', '__merge_dict_in', initial_value=initial_dict, pattern_type='suffix', groups='dummy1,dummy2') }}"
      vars:
        initial_dict: {initial: initial_value}
    - debug:
        msg: "{{ lookup('community.general.merge_variables', '__merge_dict_in', pattern_type='suffix', groups=['nobody']) }}"
- hosts: host1
  gather_facts: false
  tasks:
    - debug:
        msg: "{{ merge_result }}"
`;
    const run = await runYaml(dir, { 'hosts.yml': inventory, 'site.yml': play });
    expect({ code: run.code, stderr: run.stderr, failed: run.events.filter((e) => e.status === 'failed') }).toEqual({ code: 0, stderr: '', failed: [] });
    expect(run.debug()).toEqual([
      { item1: 'value1', list_item: ['test1', 'test2', 'test3'], item2: 'value2', item3: 'value3' },
      { item1: 'value1', list_item: ['test1', 'test2'], item2: 'value2' },
      { initial: 'initial_value', item1: 'value1', list_item: ['test1', 'test2'], item2: 'value2' },
      '',
      // host2's merge2__1, rendered as host2 sees it: service_data is a variable of host2's group only.
      { host: 'host1', user: 'usr', pass: 'pwd' },
    ]);
  });
});

describe("merge_variables override='warn' in a run", () => {
  let dir: string;
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints the plugin's warning as a warning event of the task, once per play and message (Ansible's Display shows one once), and merges", async () => {
    dir = await mkdtemp(join(tmpdir(), 'beastie-merge-warn-'));
    const inventory = 'all:\n  hosts:\n    h1: {ansible_connection: local}\n    h2: {ansible_connection: local}\n';
    const play = `- hosts: all
  gather_facts: false
  vars:
    a__cfg: {port: 80}
    b__cfg: {port: 8080}
  tasks:
    - name: merged
      debug:
        msg: "{{ lookup('community.general.merge_variables', '__cfg$', override='warn') }}"
    - name: quiet
      debug:
        msg: "{{ lookup('community.general.merge_variables', '__cfg$', override='ignore') }}"
`;
    const run = await runYaml(dir, { 'hosts.yml': inventory, 'site.yml': play });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.debug()).toEqual([{ port: 8080 }, { port: 8080 }, { port: 8080 }, { port: 8080 }]);
    const warnings = run.events.filter((e) => e.event === 'warning');
    expect(warnings.map((e) => e.msg)).toEqual(["The key 'port' with value '80' will be overwritten with value '8080' from 'b__cfg.port'"]);
    // The task's own line (its `- name:`), as a task's other warnings are placed.
    expect(warnings[0]).toMatchObject({ source: { file: join(dir, 'site.yml'), line: 7 } });
  });
});
