// include_vars as Ansible content writes it: a file (free form or file:), name:, dir: with
// files_matching / ignore_files / depth, the role's vars/ searched first — end to end, local connection.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runYaml } from '../fixtures/runner/yaml-run.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-incvars-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const play = (tasks: string) => `- hosts: all\n  gather_facts: false\n  vars:\n    os: FreeBSD\n  tasks:\n${tasks}`;

describe('include_vars', () => {
  it('a file by free-form name (templated, found in vars/), then file: with name:', async () => {
    const run = await runYaml(dir, {
      'site.yml': play(`
    - include_vars: "{{ os }}.yml"
    - include_vars:
        file: extra.json
        name: extra
    - debug: msg="{{ pkg_tool }} {{ extra.port }}"
`),
      'vars/FreeBSD.yml': 'pkg_tool: pkg\n',
      'extra.json': '{"port": 8080}\n',
    });
    expect(run.stderr).toBe('');
    expect(run.debug()).toEqual(['pkg 8080']);
  });

  it('dir: sorted files, later ones winning; files_matching, ignore_files and depth', async () => {
    const run = await runYaml(dir, {
      'site.yml': play(`
    - include_vars:
        dir: conf
        files_matching: '^[ab]'
        ignore_files: [b-skip.yml]
        depth: 1
      register: loaded
    - debug: msg="{{ x }} {{ loaded.ansible_included_var_files | map('basename') | list }}"
`),
      'vars/conf/a.yml': 'x: a\n',
      'vars/conf/b.yml': 'x: b\n',
      'vars/conf/b-skip.yml': 'x: skipped\n',
      'vars/conf/c.yml': 'x: c\n',
      'vars/conf/deeper/a2.yml': 'x: deep\n',
    });
    expect(run.stderr).toBe('');
    expect(run.debug()).toEqual(["b ['a.yml', 'b.yml']"]);
  });

  it("in a role, the role's vars/ is searched first", async () => {
    const run = await runYaml(dir, {
      'site.yml': '- hosts: all\n  gather_facts: false\n  roles: [web]\n',
      'roles/web/tasks/main.yml': '- include_vars: os.yml\n- debug: msg="{{ where }}"\n',
      'roles/web/vars/os.yml': 'where: role\n',
      'vars/os.yml': 'where: playbook\n',
    });
    expect(run.debug()).toEqual(['role']);
  });

  it('a missing file fails the task at run time, naming what was tried', async () => {
    const run = await runYaml(dir, { 'site.yml': play('    - include_vars: nope.yml\n') });
    expect(run.code).toBe(2);
    const failed = run.events.find((e) => e.event === 'task_result' && e.status === 'failed');
    expect(failed?.msg).toContain("include_vars: could not find or access 'nope.yml'");
  });
});
