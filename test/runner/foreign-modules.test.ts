// Ansible's modules for other systems (pacman, apt, systemd…) in the idiom of shared setup roles:
// behind `when: ansible_os_family == …` they load and are skipped; a task that does run fails with
// the message of src/playbook/foreign-modules.ts, on the controller. Local connection, no SSH.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runYaml } from '../fixtures/runner/yaml-run.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-foreign-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const setup = `- hosts: all
  gather_facts: false
  vars:
    os_family: FreeBSD
  tasks:
    - name: Arch packages
      community.general.pacman:
        name: [git]
        update_cache: true
      when: os_family == "Archlinux"
    - name: Debian packages
      ansible.builtin.apt: name=git state=present
      when: os_family == "Debian"
    - name: FreeBSD
      debug: msg="pkgng {{ os_family }}"
`;

describe('modules for other systems', () => {
  it('load (any parameters) and are skipped behind their when', async () => {
    const listed = await runYaml(join(dir, 'list'), { 'site.yml': setup }, ['--list-tasks']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const run = await runYaml(join(dir, 'run'), { 'site.yml': setup });
    expect(run.code).toBe(0);
    const statuses = run.events.filter((e) => e.event === 'task_result').map((e) => `${e.task}: ${e.status}`);
    expect(statuses).toEqual(['Arch packages: skipped', 'Debian packages: skipped', 'FreeBSD: ok']);
    expect(run.debug()).toEqual(['pkgng FreeBSD']);
  });

  it('fail the host with a clear message when the task runs', async () => {
    const run = await runYaml(join(dir, 'ran'), { 'site.yml': setup.replace('os_family: FreeBSD', 'os_family: Debian') });
    expect(run.code).toBe(2);
    const failed = run.events.find((e) => e.event === 'task_result' && e.status === 'failed');
    expect(failed?.task).toBe('Debian packages');
    expect(failed?.msg).toContain("ansible.builtin.apt manages Debian's and Ubuntu's packages: beastie runs FreeBSD hosts");
    expect(failed?.msg).toContain('use community.general.pkgng');
    // The host failed there: the play's later task does not run on it.
    expect(run.events.some((e) => e.event === 'task_result' && e.task === 'FreeBSD')).toBe(false);
  });

  it('a misspelt module is still an error at load time', async () => {
    const run = await runYaml(join(dir, 'typo'), { 'site.yml': '- hosts: all\n  tasks:\n    - pacmann: {name: git}\n' }, ['--syntax-check']);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain("unknown module 'pacmann'");
  });
});
