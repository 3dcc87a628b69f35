// community.general.sysrc as Ansible's own integration tests use it, in a playbook of beastie's
// own run through the command line against a simulated host: registered results judged by
// assert, `value` registered, defaults not counted as set, sysrc -a read back with from_yaml,
// and the OID-style name failing with Ansible's message under failed_when.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recapOf, runBeastie } from '../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';

let fleet: TestFleet;
let work: string;

const playbook = `- hosts: all
  tasks:
    - name: ntpd starts at boot
      community.general.sysrc:
        name: ntpd_enable
        value: "YES"
      register: first
    - name: ntpd starts at boot (again)
      community.general.sysrc:
        name: ntpd_enable
        value: "YES"
      register: again
    - name: a list with another delimiter
      community.general.sysrc:
        name: beastie_list
        state: value_present
        delim: ","
        value: b
      register: listed
    - name: nothing to take away from a default-only value
      community.general.sysrc:
        name: rc_conf_files
        state: value_absent
        path: /tmp/empty.conf
      register: defaults_only
    - name: flags with equals signs
      community.general.sysrc:
        name: sshd_flags
        value: "-o Port=22 -o X=y"
      register: flags
    - name: read rc.conf back
      ansible.builtin.command: sysrc -a
      register: all_vars
    - name: a name sysrc cannot take
      community.general.sysrc:
        name: kern.hostname
        value: x
      register: oid
      failed_when:
        - oid is not failed
        - "'Name may only contain alpha-numeric and underscore characters' != oid.msg"
    - name: what was registered
      vars:
        conf: "{{ all_vars.stdout | from_yaml }}"
      ansible.builtin.assert:
        that:
          - first.changed
          - not again.changed
          - first.value == 'YES'
          - listed.changed and listed.value == 'b'
          - not defaults_only.changed
          - flags.value == conf.sshd_flags
          # YAML 1.1 (Ansible's from_yaml) may read YES as true: either is truthy.
          - conf.ntpd_enable
`;

beforeAll(async () => {
  fleet = await startFleet({ hosts: 1, profile: 'current' });
  work = await mkdtemp(join(tmpdir(), 'beastie-sysrc-play-'));
  await writeFile(join(work, 'play.yml'), playbook);
}, 180_000);
afterAll(async () => {
  await fleet?.down();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('community.general.sysrc in a playbook', () => {
  it('runs to its end: every registered result as the assert expects', async () => {
    const run = await runBeastie(['play', join(work, 'play.yml'), '-i', fleet.inventory, '--json'], { timeoutMs: 240_000 });
    expect(run.exitCode, `${run.stderr}\n${run.stdout.slice(-3000)}`).toBe(0);
    expect(recapOf(run)['sim01']).toMatchObject({ failed: 0, changed: 4 });
  }, 300_000);
});
