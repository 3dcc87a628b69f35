// `with_<lookup>:` loops as Ansible runs them (each maps onto lookup X), loop_control, and loops on
// include_tasks — YAML playbooks run end to end over the local connection. Expected items are what
// ansible-playbook 2.x prints for the same tasks.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runYaml, type YamlRun } from '../fixtures/runner/yaml-run.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-with-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The debug msg of each item of the task named `task`, in order. */
function itemMsgs(run: YamlRun, task: string): unknown[] {
  return run.events.filter((e) => e.event === 'item_result' && e.task === task).map((e) => e.values?.['msg']);
}

async function tasks(yaml: string, files: Record<string, string> = {}, vars = ''): Promise<YamlRun> {
  const run = await runYaml(dir, { 'site.yml': `- hosts: all\n  gather_facts: false\n${vars}  tasks:\n${yaml}`, ...files });
  expect(run.stderr).toBe('');
  return run;
}

describe('with_* loops', () => {
  it('with_items flattens one level; loop and with_list do not', async () => {
    const run = await tasks(
      `
    - name: items
      debug: msg="{{ item }}"
      with_items: "{{ pkgs }}"
    - name: list
      debug: msg="{{ item }}"
      with_list: "{{ pkgs }}"
    - name: loop
      debug: msg="{{ item }}"
      loop: "{{ pkgs }}"
`,
      {},
      '  vars:\n    pkgs: [[nginx, [curl]], git]\n',
    );
    expect(run.code).toBe(0);
    expect(itemMsgs(run, 'items')).toEqual(['nginx', ['curl'], 'git']);
    expect(itemMsgs(run, 'list')).toEqual([['nginx', ['curl']], 'git']);
    expect(itemMsgs(run, 'loop')).toEqual([['nginx', ['curl']], 'git']);
  });

  it('with_items of a plain string is one item, and the items are registered as results', async () => {
    const run = await tasks(`
    - name: one
      debug: msg="{{ item }}"
      with_items: sshd
      register: out
    - name: results
      debug: msg="{{ out.results | map(attribute='item') | list }}"
`);
    expect(itemMsgs(run, 'one')).toEqual(['sshd']);
    expect(run.debug()).toContainEqual(['sshd']);
  });

  it('with_dict walks a mapping as key/value pairs', async () => {
    const run = await tasks(
      `
    - name: users
      debug: msg="{{ item.key }} uid={{ item.value.uid }}"
      with_dict: "{{ users }}"
`,
      {},
      '  vars:\n    users:\n      alice: {uid: 1001}\n      bob: {uid: 1002}\n',
    );
    expect(itemMsgs(run, 'users')).toEqual(['alice uid=1001', 'bob uid=1002']);
  });

  it('with_indexed_items, with_together, with_nested', async () => {
    const run = await tasks(`
    - name: indexed
      debug: msg="{{ item.0 }}:{{ item.1 }}"
      with_indexed_items: [a, b]
    - name: together
      debug: msg="{{ item.0 }}-{{ item.1 }}"
      with_together:
        - [1, 2, 3]
        - [x, y]
    - name: nested
      debug: msg="{{ item[0] }}/{{ item[1] }}"
      with_nested:
        - [web, db]
        - [a, b]
`);
    expect(itemMsgs(run, 'indexed')).toEqual(['0:a', '1:b']);
    // together pads the shorter list with None (izip_longest), which renders empty (ansible-core 2.x prints "3-")
    expect(itemMsgs(run, 'together')).toEqual(['1-x', '2-y', '3-']);
    expect(itemMsgs(run, 'nested')).toEqual(['web/a', 'web/b', 'db/a', 'db/b']);
  });

  it('with_subelements pairs each parent with each subelement; skip_missing skips parents without it', async () => {
    const run = await tasks(
      `
    - name: keys
      debug: msg="{{ item.0.name }} {{ item.1 }}"
      with_subelements:
        - "{{ users }}"
        - keys
        - skip_missing: true
`,
      {},
      '  vars:\n    users:\n      - {name: alice, keys: [k1, k2]}\n      - {name: bob}\n      - {name: carol, keys: [k3]}\n',
    );
    expect(itemMsgs(run, 'keys')).toEqual(['alice k1', 'alice k2', 'carol k3']);
  });

  it('with_sequence reads start/end/stride/format and the short form', async () => {
    const run = await tasks(`
    - name: long
      debug: msg="{{ item }}"
      with_sequence: start=2 end=10 stride=4 format=jail%02d
    - name: short
      debug: msg="{{ item }}"
      with_sequence: 3-5
    - name: count
      debug: msg="{{ item }}"
      with_sequence: count=2
`);
    expect(itemMsgs(run, 'long')).toEqual(['jail02', 'jail06', 'jail10']);
    expect(itemMsgs(run, 'short')).toEqual(['3', '4', '5']);
    expect(itemMsgs(run, 'count')).toEqual(['1', '2']);
  });

  it('with_fileglob finds files under files/ beside the playbook; with_first_found the first that exists; with_lines a command\'s lines', async () => {
    const run = await tasks(
      `
    - name: glob
      debug: msg="{{ item | basename }}"
      with_fileglob: "conf.d/*.conf"
    - name: first
      debug: msg="{{ item | basename }}"
      with_first_found:
        - files: [missing.yml, "{{ os_file }}", default.yml]
          paths: [vars]
    - name: lines
      debug: msg="{{ item }}"
      with_lines: printf 'one\\ntwo\\n'
`,
      { 'files/conf.d/a.conf': 'a', 'files/conf.d/b.conf': 'b', 'files/conf.d/c.txt': 'c', 'vars/FreeBSD.yml': '', 'vars/default.yml': '' },
      '  vars:\n    os_file: FreeBSD.yml\n',
    );
    // In glob.glob's order, the directory's own (not sorted), as Ansible gives them: compared as a set.
    expect(itemMsgs(run, 'glob').map(String).sort()).toEqual(['a.conf', 'b.conf']);
    expect(itemMsgs(run, 'first')).toEqual(['FreeBSD.yml']);
    expect(itemMsgs(run, 'lines')).toEqual(['one', 'two']);
  });

  it('with_random_choice picks one of the terms', async () => {
    const run = await tasks(`
    - name: pick
      debug: msg="{{ item }}"
      with_random_choice: [red, green, blue]
`);
    const picked = itemMsgs(run, 'pick');
    expect(picked).toHaveLength(1);
    expect(['red', 'green', 'blue']).toContain(picked[0]);
  });

  it('set_fact with templated key=value names, one per item (ansible-core lookup_* targets)', async () => {
    const run = await tasks(`
    - set_fact: "{{ 'x' + item }}={{ item }}"
      with_sequence: start=1 end=2
    - set_fact: "{{ item.0 }}={{ item.1 }}"
      with_together: [[a, b], [1, 2]]
    - set_fact: "{{ item }}=moo"
      with_items: [cow]
    - debug: msg="{{ x1 }}{{ x2 }} {{ a }}{{ b }} {{ cow }}"
`);
    expect(run.debug()).toEqual(['12 12 moo']);
  });

  it('an undefined variable in the terms fails the task at run time with the name', async () => {
    const run = await tasks(`
    - name: undefined terms
      debug: msg="{{ item }}"
      with_items: "{{ not_defined }}"
`);
    expect(run.code).not.toBe(0);
    const failed = run.events.find((e) => e.event === 'task_result' && e.task === 'undefined terms');
    expect(failed?.status).toBe('failed');
    expect(failed?.msg).toContain("'not_defined' is undefined");
  });
});

describe('loop_control', () => {
  it('loop_var, index_var, label and the extended ansible_loop', async () => {
    const run = await tasks(`
    - name: extended
      debug: msg="{{ idx }} {{ pkg }} {{ ansible_loop.revindex }} {{ ansible_loop.previtem | default('-') }} {{ ansible_loop.nextitem | default('-') }} {{ ansible_loop.allitems | length }}"
      with_items: [a, b, c]
      loop_control:
        loop_var: pkg
        index_var: idx
        label: "{{ pkg | upper }}"
        extended: yes
        pause: 0.01
`);
    expect(itemMsgs(run, 'extended')).toEqual(['0 a 3 - b 3', '1 b 2 a c 3', '2 c 1 b - 3']);
    expect(run.events.filter((e) => e.event === 'item_result' && e.task === 'extended').map((e) => e.item)).toEqual(['A', 'B', 'C']);
  });
});

describe('loops on include_tasks', () => {
  it('includes the file once per item, the item visible inside; when is evaluated per item', async () => {
    const run = await tasks(
      `
    - name: each jail
      include_tasks: jail.yml
      with_items: [www, db, skip]
      loop_control:
        loop_var: jail
      when: jail != 'skip'
`,
      { 'jail.yml': '- name: in jail\n  debug: msg="jail {{ jail }}"\n' },
    );
    expect(run.code).toBe(0);
    expect(run.debug()).toEqual(['jail www', 'jail db']);
  });
});

describe('with_* given a mapping as its terms (listify_lookup_plugin_terms leaves it whole)', () => {
  it('with_list and with_indexed_items refuse it with the lookup’s message; with_items walks its keys', async () => {
    const run = await tasks(
      `
    - name: list
      debug: msg="{{ item }}"
      with_list: "{{ a_dict }}"
      register: as_list
      ignore_errors: true
    - name: indexed
      debug: msg="{{ item }}"
      with_indexed_items: "{{ a_dict }}"
      register: as_indexed
      ignore_errors: true
    - name: items
      debug: msg="{{ item }}"
      with_items: "{{ a_dict }}"
    - assert:
        that:
          - as_list is failed
          - "'with_list expects a list' in as_list.msg"
          - "'with_indexed_items expects a list' in as_indexed.msg"
`,
      {},
      '  vars:\n    a_dict: {k1: v1, k2: v2}\n',
    );
    expect(itemMsgs(run, 'items')).toEqual(['k1', 'k2']);
    expect(run.code).toBe(0);
  });
});

describe('a loop over an undefined variable', () => {
  it('is skipped under a false when (TaskExecutor keeps the error until the conditional holds), fails under a true one', async () => {
    const run = await tasks(`
    - name: with_list skipped
      debug: msg="loop"
      when: false
      with_list: "{{ fake_var }}"
      register: with_result
      failed_when: with_result is not skipped
    - name: loop skipped
      debug: msg="loop"
      when: false
      loop: "{{ fake_var }}"
      register: loop_result
      failed_when: loop_result is not skipped
    - name: loop run
      debug: msg="loop"
      when: true
      loop: "{{ fake_var }}"
      ignore_errors: true
      register: run_result
    - assert:
        that:
          - run_result is failed
          - "'fake_var' in run_result.msg"
`);
    expect(run.code).toBe(0);
    expect(run.events.filter((e) => e.event === 'task_result' && (e.task === 'with_list skipped' || e.task === 'loop skipped')).map((e) => e.status)).toEqual(['skipped', 'skipped']);
  });
});
