// A role written the way community.general's own sysrc integration target is written, run through
// the command line against a fresh simulated host (issue 10, "the sysrc integration test runs to
// its end and green"): one outer block guarded by ansible_facts, the host's /etc/rc.conf and
// /boot/loader.conf cached with `cat` first (a fresh UFS install has an empty loader.conf, so that
// cat succeeds), each change made, checked with `check_mode: true` and made again, the files read
// back with `egrep -v ^\#` and judged with `in stdout_lines`, a block's own vars, `from_yaml` of
// `sysrc -a`, a file copied from the role's files/, `failed_when` lists, and an `always:` that
// restores both files with `copy: content:` of what was cached.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recapOf, runBeastie, taskResults, type CliRun } from '../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';

const tasks = String.raw`---
- name: On FreeBSD only
  when:
    - ansible_facts.distribution == 'FreeBSD'
  block:
    - name: Keep rc.conf
      ansible.builtin.command: "cat /etc/rc.conf"
      register: kept_rcconf

    - name: Keep loader.conf
      ansible.builtin.command: "cat /boot/loader.conf"
      register: kept_loaderconf

    - name: Set ntpd_flags
      community.general.sysrc:
        name: ntpd_flags
        value: "-g"
      register: set_flags

    - name: Set ntpd_flags (checkmode)
      community.general.sysrc:
        name: ntpd_flags
        value: "-x"
      check_mode: true
      register: set_flags_checkmode

    - name: Set ntpd_flags (idempotent)
      community.general.sysrc:
        name: ntpd_flags
        value: "-g"
      register: set_flags_again

    - name: Read rc.conf
      ansible.builtin.shell: "cat /etc/rc.conf | egrep -v ^\\#"
      register: rcconf_now

    - name: rc.conf as expected
      ansible.builtin.assert:
        that:
          - set_flags.changed
          - set_flags_checkmode.changed
          - not set_flags_again.changed
          - "'ntpd_flags=\"-g\"' in rcconf_now.stdout_lines"
          - "'ntpd_flags=\"-x\"' not in rcconf_now.stdout_lines"

    - name: Load vmm at boot
      community.general.sysrc:
        name: vmm_load
        state: present
        value: "YES"
        path: /boot/loader.conf
      register: vmm

    - name: Load vmm at boot (checkmode)
      community.general.sysrc:
        name: vmm_load
        value: "NO"
        path: /boot/loader.conf
      check_mode: true
      register: vmm_checkmode

    - name: Read loader.conf
      ansible.builtin.shell: "cat /boot/loader.conf | egrep -v ^\\#"
      register: loaderconf_now

    - name: loader.conf as expected
      ansible.builtin.assert:
        that:
          - vmm.changed
          - vmm_checkmode.changed
          - "'vmm_load=\"YES\"' in loaderconf_now.stdout_lines"
          - "'vmm_load=\"NO\"' not in loaderconf_now.stdout_lines"

    - name: Start with one interface
      community.general.sysrc:
        name: cloned_interfaces
        value: "lo1"

    - name: Add a bridge
      community.general.sysrc:
        name: cloned_interfaces
        state: value_present
        value: "bridge0"
      register: bridge

    - name: Take a word away (checkmode)
      community.general.sysrc:
        name: cloned_interfaces
        state: value_absent
        value: "lo1"
      check_mode: true
      register: no_lo1

    - name: Remove a variable
      community.general.sysrc:
        name: cloned_interfaces
        state: absent
      register: gone

    - name: Remove it again
      community.general.sysrc:
        name: cloned_interfaces
        state: absent
      register: gone_again

    - name: Flags with equals signs
      vars:
        flags: "-o Port=2022 -o ListenAddress=*"
      block:
        - name: Set sshd_flags
          community.general.sysrc:
            name: sshd_flags
            value: "{{ flags }}"
          register: sshd_flags_set

        - name: All variables
          ansible.builtin.command: sysrc -a
          register: all_vars

        - name: Flags as expected
          vars:
            conf: "{{ all_vars.stdout | from_yaml }}"
          ansible.builtin.assert:
            that:
              - bridge.changed
              - no_lo1.changed
              - gone.changed
              - not gone_again.changed
              - "flags == sshd_flags_set.value"
              - "flags == conf.sshd_flags"

    - name: A default is not a setting of the file
      community.general.sysrc:
        name: dumpdir
        state: absent
        path: /tmp/sysrc-target-empty.conf
      register: default_only
      failed_when: default_only.changed

    - name: Copy a file with a multi-line value
      ansible.builtin.copy:
        src: multi.conf
        dest: /tmp/sysrc-target-multi.conf

    - name: Change the one-line value in it
      community.general.sysrc:
        name: one
        value: two
        path: /tmp/sysrc-target-multi.conf
      register: multi

    - name: Read it back
      ansible.builtin.command: "cat /tmp/sysrc-target-multi.conf"
      register: multi_now

    - name: Changed where expected
      ansible.builtin.assert:
        that:
          - multi.changed
          - >
            'one="two"' in multi_now.stdout_lines

    - name: An OID is not a variable
      community.general.sysrc:
        name: kern.securelevel
        value: "1"
      register: oid
      failed_when:
        - oid is not failed
        - >
          'Name may only contain alpha-numeric and underscore characters' != oid.msg

  always:
    - name: Put rc.conf back
      ansible.builtin.copy:
        content: "{{ kept_rcconf.stdout }}"
        dest: /etc/rc.conf

    - name: Put loader.conf back
      ansible.builtin.copy:
        content: "{{ kept_loaderconf.stdout }}"
        dest: /boot/loader.conf
`;

const multiConf = 'one="one"\njail_list="\n  a\n  b"\n';

let fleet: TestFleet;
let work: string;
let run: CliRun;

beforeAll(async () => {
  fleet = await startFleet({ hosts: 1, profile: 'current' });
  work = await mkdtemp(join(tmpdir(), 'beastie-sysrc-target-'));
  await mkdir(join(work, 'roles', 'sysrc_idioms', 'tasks'), { recursive: true });
  await mkdir(join(work, 'roles', 'sysrc_idioms', 'files'));
  await writeFile(join(work, 'roles', 'sysrc_idioms', 'tasks', 'main.yml'), tasks);
  await writeFile(join(work, 'roles', 'sysrc_idioms', 'files', 'multi.conf'), multiConf);
  await writeFile(join(work, 'site.yml'), '- hosts: sim01\n  gather_facts: true\n  roles:\n    - sysrc_idioms\n');
  run = await runBeastie(['play', join(work, 'site.yml'), '-i', fleet.inventory, '--json'], { timeoutMs: 300_000 });
}, 400_000);
afterAll(async () => {
  await fleet?.down();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("a role in the sysrc integration target's idioms", () => {
  it('runs to its end with no failure, every assert passing', () => {
    const failed = taskResults(run).filter((e) => e['status'] === 'failed').map((e) => `${String(e['task'])}: ${String(e['msg'])}`);
    expect(failed, `${run.stderr}\n${run.stdout.slice(-3000)}`).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(recapOf(run)['sim01']).toMatchObject({ failed: 0, unreachable: 0, skipped: 0 });
  });

  it('ran the check-mode tasks without changing the files, and the outer block guarded by facts ran', () => {
    const status = (name: string) => taskResults(run).find((e) => e['task'] === name)?.['status'];
    expect(status('Set ntpd_flags (checkmode)')).toBe('changed');
    expect(status('Set ntpd_flags (idempotent)')).toBe('ok');
    expect(status('Keep loader.conf')).toBe('changed');
  });

  it("left the host's rc.conf and loader.conf as always: restored them", async () => {
    const rc = await fleet.ssh('sim01', 'cat /etc/rc.conf; echo ---; cat /boot/loader.conf');
    expect(rc.stdout).toBe(
      'hostname="sim01"\nifconfig_em0="DHCP"\nsshd_enable="YES"\n# Set dumpdev to "AUTO" to enable crash dumps, "NO" to disable\ndumpdev="AUTO"---\n',
    );
  });
});
