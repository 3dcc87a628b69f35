// The generic modules as playbook authors use them, through the real command line on the local
// connection: free-form commands, args:, aliases, templates from templates/, registered results,
// set_fact, assert, debug — applied, then --check on a fresh target, then applied again.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recapOf, runBeastie, taskResults, type CliRun } from '../helpers/beastie-cli.js';
import { snapshot } from './helpers/three-way.js';

let work: string;
const explain = (run: CliRun) => `exit ${run.exitCode}\n${run.stderr}\n${run.stdout.slice(-3000)}`;

const playbook = `- hosts: all
  gather_facts: false
  vars:
    guest: test
  tasks:
    - name: directory
      file:
        path: "{{ target }}/vms"
        state: directory
        mode: "0755"
    - name: loader.conf
      copy:
        dest: "{{ target }}/loader.conf"
        content: |
          vmm_load="YES"
    - name: vm_enable line
      lineinfile:
        dest: "{{ target }}/rc.conf"
        regexp: ^vm_enable=
        line: vm_enable="YES"
        create: true
    - name: managed block
      blockinfile:
        path: "{{ target }}/rc.conf"
        block: |
          vm_dir="{{ target }}/vms"
    - name: guest configuration
      template:
        src: guest.conf.hbs
        dest: "{{ target }}/vms/"
    - name: initialise once
      command: touch initialised creates=initialised
      args:
        chdir: "{{ target }}"
    - name: count lines
      shell: wc -l < rc.conf
      args:
        chdir: "{{ target }}"
      register: lines
      changed_when: false
    - name: remember
      set_fact:
        rc_lines: "{{ lines.stdout }}"
    - name: check
      assert:
        that:
          - rc_lines | int == 4
        fail_msg: "rc.conf has {{ rc_lines }} lines"
    - name: show
      debug:
        var: rc_lines
`;

async function inventory(target: string): Promise<string> {
  const path = join(work, `inventory-${target.split('/').at(-1)}.yml`);
  await writeFile(path, `all:\n  hosts:\n    localhost:\n      ansible_connection: local\n      target: ${target}\n`);
  return path;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'beastie-play-'));
  await mkdir(join(work, 'templates'));
  await writeFile(join(work, 'templates', 'guest.conf.hbs'), 'loader="bhyveload"\nname="{{ guest }}"\n');
  await writeFile(join(work, 'site.yml'), playbook);
  await mkdir(join(work, 'applied'));
  await mkdir(join(work, 'fresh'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('a playbook of generic modules on the local connection', () => {
  it('applies (changed), --check on a fresh target changes nothing, applies again (nothing changed)', async () => {
    const applied = join(work, 'applied');
    const first = await runBeastie(['play', join(work, 'site.yml'), '-i', await inventory(applied), '--json']);
    expect(first.exitCode, explain(first)).toBe(0);
    expect(recapOf(first)['localhost']).toMatchObject({ changed: 6, failed: 0 });
    expect(await readFile(join(applied, 'loader.conf'), 'utf8')).toBe('vmm_load="YES"\n');
    expect(await readFile(join(applied, 'rc.conf'), 'utf8')).toBe(`vm_enable="YES"\n# BEGIN ANSIBLE MANAGED BLOCK\nvm_dir="${applied}/vms"\n# END ANSIBLE MANAGED BLOCK\n`);
    expect(await readFile(join(applied, 'vms', 'guest.conf'), 'utf8')).toBe('loader="bhyveload"\nname="test"\n');
    expect(taskResults(first).find((e) => e['task'] === 'show')?.['values']).toMatchObject({ rc_lines: '4' });

    const fresh = join(work, 'fresh');
    const before = await snapshot(fresh);
    const check = await runBeastie(['play', join(work, 'site.yml'), '-i', await inventory(fresh), '--json', '--check']);
    // In --check nothing is written, so blockinfile (without create) finds no rc.conf, as in Ansible.
    const checkStatus = Object.fromEntries(taskResults(check).map((e) => [e['task'], e['status']]));
    expect(checkStatus).toMatchObject({ directory: 'changed', 'loader.conf': 'changed', 'vm_enable line': 'changed', 'managed block': 'failed' });
    expect(await snapshot(fresh)).toEqual(before);

    const second = await runBeastie(['play', join(work, 'site.yml'), '-i', await inventory(applied), '--json']);
    expect(second.exitCode, explain(second)).toBe(0);
    expect(recapOf(second)['localhost'], JSON.stringify(taskResults(second).filter((e) => e['status'] !== 'ok').map((e) => [e['task'], e['status'], e['msg']]))).toMatchObject({ changed: 0, failed: 0 });
  }, 120_000);
});
