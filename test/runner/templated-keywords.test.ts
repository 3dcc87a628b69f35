// Keywords Ansible templates: retries/delay/until, throttle, loop_var per host when the task runs;
// serial and strategy when the play starts — YAML playbooks run end to end over the local connection.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localHosts, runYaml } from '../fixtures/runner/yaml-run.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-templated-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('templated task keywords', () => {
  it('retries, delay, throttle and loop_var render per host', async () => {
    const run = await runYaml(dir, {
      'hosts.yml': localHosts({ h1: { tries: 2 }, h2: { tries: 1 } }),
      'site.yml': `- hosts: all
  gather_facts: false
  vars: {wait: 0, name_of_var: pkg, limit: 1}
  tasks:
    - command: "false"
      register: out
      until: out.rc == 0
      retries: "{{ tries }}"
      delay: "{{ wait }}"
      throttle: "{{ limit }}"
      ignore_errors: true
    - debug: msg="{{ out.attempts | default('once') }}"
    - debug: msg="{{ pkg }}"
      loop: [a, b]
      loop_control:
        loop_var: "{{ name_of_var }}"
`,
    });
    expect(run.stderr).toBe('');
    expect(run.debug('h1')).toEqual([3]);
    expect(run.debug('h2')).toEqual([2]);
    const items = run.events.filter((e) => e.event === 'item_result' && e.host === 'h1').map((e) => e.values?.['msg']);
    expect(items).toEqual(['a', 'b']);
  });

  it('a templated number that is not one fails the task at its keyword', async () => {
    const run = await runYaml(dir, {
      'hosts.yml': localHosts(),
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n      register: out\n      until: out.rc == 0\n      retries: "{{ \'many\' }}"\n',
    });
    expect(run.code).toBe(2);
    const failed = run.events.find((e) => e.event === 'task_result' && e.status === 'failed');
    expect(failed?.msg).toContain("site.yml:7:16: 'retries' must be a whole number (0 or more): '{{ 'many' }}' rendered to string 'many'");
  });
});

describe('templated async and poll', () => {
  it('render per host (vbotka pf: async: "{{ pf_async_timeout }}"); a value that is not a number fails at async', async () => {
    const run = await runYaml(dir, {
      'hosts.yml': localHosts({ h1: { limit: 30 }, h2: { limit: 'long' } }),
      'site.yml': '- hosts: all\n  gather_facts: false\n  vars: {every: 1}\n  tasks:\n    - command: echo hi\n      async: "{{ limit }}"\n      poll: "{{ every }}"\n      register: out\n    - debug: msg="{{ out.stdout }}"\n',
    });
    expect(run.debug('h1')).toEqual(['hi']);
    const failed = run.events.find((e) => e.event === 'task_result' && e.status === 'failed');
    expect([failed?.host, failed?.msg]).toEqual(['h2', expect.stringContaining("site.yml:6:14: 'async' must be a whole number (0 or more): '{{ limit }}' rendered to string 'long'")]);
  });
});

describe('templated play keywords', () => {
  it('serial and strategy render over play vars and extra vars; host_pinned runs as free', async () => {
    const run = await runYaml(
      dir,
      {
        'hosts.yml': localHosts({ h1: {}, h2: {} }),
        'site.yml': '- hosts: all\n  gather_facts: false\n  serial: "{{ batch }}"\n  strategy: "{{ how }}"\n  vars: {how: host_pinned}\n  tasks:\n    - debug: msg=hi\n',
      },
      ['-e', 'batch=1'],
    );
    expect(run.stderr).toBe('');
    expect(run.events.filter((e) => e.event === 'batch_start').length).toBe(2);
  });
});

describe('run_once as Ansible runs it', () => {
  it('a template renders with the first host\'s variables; the one result is every host\'s', async () => {
    const run = await runYaml(dir, {
      'hosts.yml': localHosts({ h1: {}, h2: {} }),
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - command: echo {{ inventory_hostname }}
      register: once
      run_once: "{{ inventory_hostname == 'h1' }}"
    - command: echo {{ inventory_hostname }}
      register: each
      run_once: "{{ inventory_hostname == 'h2' }}"
    - debug: msg="{{ once.stdout }} {{ each.stdout }}"
`,
    });
    expect(run.stderr).toBe('');
    // The first command ran once (on h1); the second, whose template h1 renders false, on both.
    const ran = run.events.filter((e) => e.event === 'task_result' && e.task === 'command').map((e) => e.host);
    expect(ran[0]).toBe('h1');
    expect(ran.slice(1).sort()).toEqual(['h1', 'h2']);
    expect(run.debug('h1')).toEqual(['h1 h1']);
    expect(run.debug('h2')).toEqual(['h1 h2']);
  });

  it('its failure fails every host of the batch (a rescue takes them all); ignore_errors keeps them going', async () => {
    const run = await runYaml(dir, {
      'hosts.yml': localHosts({ h1: {}, h2: {} }),
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - block:
        - command: "false"
          run_once: true
      rescue:
        - debug: msg="rescued"
    - command: "false"
      run_once: true
      ignore_errors: true
    - debug: msg="still here"
    - command: "false"
      run_once: true
    - debug: msg="never"
`,
    });
    expect(run.code).toBe(2);
    for (const host of ['h1', 'h2']) expect(run.debug(host)).toEqual(['rescued', 'still here']);
    const failed = run.events.filter((e) => e.event === 'task_result' && e.status === 'failed');
    // One result line per run_once task, the first host's, as Ansible shows it.
    expect(failed.map((e) => e.host)).toEqual(['h1', 'h1', 'h1']);
  });

  it('a template that renders to no boolean fails the task at run_once', async () => {
    const run = await runYaml(dir, {
      'hosts.yml': localHosts(),
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n      run_once: "{{ \'often\' }}"\n',
    });
    expect(run.code).toBe(2);
    const failed = run.events.find((e) => e.event === 'task_result' && e.status === 'failed');
    expect(failed?.msg).toContain("site.yml:5:17: 'run_once' must be true or false: '{{ 'often' }}' rendered to string 'often'");
  });
});

describe('no_log as Ansible templates it', () => {
  it('a template renders per host before anything shows (vbotka\'s no_log: "{{ not debug_classified | bool }}"), on a task and on a block', async () => {
    const run = await runYaml(dir, {
      'hosts.yml': localHosts({ h1: { debug_classified: false }, h2: { debug_classified: 'yes' } }),
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: Show the secret
      command: echo s3cret-{{ inventory_hostname }}
      no_log: "{{ not debug_classified | bool }}"
    - name: Classified block
      no_log: "{{ not debug_classified | bool }}"
      block:
        - name: In the block
          command: echo block-{{ inventory_hostname }}
`,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const results = run.events.filter((e) => e.event === 'task_result');
    expect(results.map((e) => [e.host, e.task, (e as { stdout?: string }).stdout])).toEqual(
      expect.arrayContaining([
        ['h1', 'Show the secret', undefined],
        ['h2', 'Show the secret', 's3cret-h2'],
        ['h1', 'In the block', undefined],
        ['h2', 'In the block', 'block-h2'],
      ]),
    );
    expect(JSON.stringify(run.events)).not.toContain('s3cret-h1');
    expect(JSON.stringify(run.events)).not.toContain('block-h1');
  });

  it('a template that renders to no boolean fails the task at no_log; a plain non-boolean is a load error', async () => {
    const run = await runYaml(dir, {
      'hosts.yml': localHosts(),
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n      no_log: "{{ \'sometimes\' }}"\n',
    });
    expect(run.code).toBe(2);
    const failed = run.events.find((e) => e.event === 'task_result' && e.status === 'failed');
    expect(failed?.msg).toContain("site.yml:5:15: 'no_log' must be true or false: '{{ 'sometimes' }}' rendered to string 'sometimes'");
    const refused = await runYaml(dir, { 'hosts.yml': localHosts(), 'site.yml': '- hosts: all\n  tasks:\n    - command: "true"\n      no_log: sometimes\n' });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain("site.yml:4:15: 'no_log' must be true or false (got string 'sometimes')");
  });
});
