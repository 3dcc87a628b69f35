// A failure inside a block as Ansible's strategy and PlayIterator treat it (ansible-core 2.14,
// checked with ansible-playbook 2.14.18 on ansible-core's own blocks target, main.yml: exit 0,
// ok=13 failed=4 rescued=2, as beastie now gives): meta clear_host_errors in an always section
// clears the failure for good, so the host goes on after the block and the run does not fail on
// it; any_errors_fatal inside a block with an always runs that always before anything stops.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localHosts, runYaml } from '../fixtures/runner/yaml-run.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-block-failures-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const recap = (run: { events: readonly { event: string; hosts?: Readonly<Record<string, Readonly<Record<string, number>>>> }[] }, host: string) =>
  run.events.find((e) => e.event === 'recap')?.hosts?.[host];

describe('failures inside blocks', () => {
  it('clear_host_errors in always: the host goes on after the block, and the run exits 0 with the failure still in the recap', async () => {
    const run = await runYaml(join(dir, 'cleared'), {
      'hosts.yml': localHosts({ h1: {} }),
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - block:
        - name: fails
          ansible.builtin.fail:
            msg: expected
      always:
        - ansible.builtin.debug:
            msg: always ran
        - ansible.builtin.meta: clear_host_errors
    - ansible.builtin.debug:
        msg: after the block
`,
    });
    expect(run.debug('h1')).toEqual(['expected', 'always ran', 'after the block']);
    expect(recap(run, 'h1')).toMatchObject({ failed: 1 });
    expect(run.code).toBe(0);
  });

  it('without clear_host_errors the failure stands after always: nothing more runs and the run exits 2', async () => {
    const run = await runYaml(join(dir, 'stands'), {
      'hosts.yml': localHosts({ h1: {} }),
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - block:
        - ansible.builtin.fail:
            msg: expected
      always:
        - ansible.builtin.debug:
            msg: always ran
    - ansible.builtin.debug:
        msg: after the block
`,
    });
    expect(run.debug('h1')).toEqual(['expected', 'always ran']);
    expect(run.code).toBe(2);
  });

  it('a failure cleared, then a new one: the run fails on the new one', async () => {
    const run = await runYaml(join(dir, 'again'), {
      'hosts.yml': localHosts({ h1: {} }),
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - block:
        - ansible.builtin.fail:
            msg: first
      always:
        - ansible.builtin.meta: clear_host_errors
    - ansible.builtin.fail:
        msg: second
`,
    });
    expect(recap(run, 'h1')).toMatchObject({ failed: 2 });
    expect(run.code).toBe(2);
  });

  it("any_errors_fatal inside a block with always: the always runs (the play's next tasks do not)", async () => {
    const run = await runYaml(join(dir, 'fatal'), {
      'hosts.yml': localHosts({ h1: {} }),
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - block:
        - block:
            - ansible.builtin.fail:
                msg: expected
          any_errors_fatal: true
      always:
        - ansible.builtin.debug:
            msg: always ran
    - ansible.builtin.debug:
        msg: after the block
`,
    });
    expect(run.debug('h1')).toEqual(['expected', 'always ran']);
    expect(run.code).toBe(2);
  });

  // Two hosts, as ansible-playbook 2.14.18 runs the same play (checked on two local hosts): the
  // failure on h1 lets every host run the always; h2, which did not fail, goes on after the block.
  it('any_errors_fatal on two hosts with an always: both run the always, the healthy host goes on after it', async () => {
    const run = await runYaml(join(dir, 'fatal-two'), {
      'hosts.yml': localHosts({ h1: {}, h2: {} }),
      'site.yml': `- hosts: all
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - block:
        - name: fails on h1
          ansible.builtin.command: /bin/false
          when: inventory_hostname == 'h1'
      always:
        - ansible.builtin.debug:
            msg: always ran
    - ansible.builtin.debug:
        msg: after the block
`,
    });
    expect(run.debug('h1')).toEqual(['always ran']);
    expect(run.debug('h2')).toEqual(['always ran', 'after the block']);
    expect(recap(run, 'h1')).toMatchObject({ ok: 1, failed: 1 });
    expect(recap(run, 'h2')).toMatchObject({ ok: 2, failed: 0, skipped: 1 });
    expect(run.code).toBe(2);
  });
});
