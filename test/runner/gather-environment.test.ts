// Fact gathering runs under the play's `environment:`, as Ansible's setup task inherits it, so the
// env facts show it; an entry that needs the env facts themselves is left out while gathering
// (Task._post_validate_environment skips a template naming an undefined ansible_env). Checked
// with ansible-playbook 2.14.18 on ansible-core's environment target (test_environment.yml:
// ok=29 changed=13, as beastie now gives; it failed at its first assert before).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localHosts, runYaml } from '../fixtures/runner/yaml-run.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-gather-env-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('gathering facts under the play environment', () => {
  it('the env facts carry the play environment, less what needs them', async () => {
    const run = await runYaml(dir, {
      'hosts.yml': localHosts({ h1: {} }),
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.command: /bin/sh -c 'echo $PATH'
      register: plain_path
- hosts: all
  environment:
    PATH: "{{ ansible_env.PATH }}:/lola"
    lola: ido
  tasks:
    - ansible.builtin.assert:
        that:
          - ansible_env.lola == 'ido'
          - "'/lola' not in ansible_env.PATH"
          - ansible_env.PATH == plain_path.stdout
    - ansible.builtin.command: /bin/sh -c 'echo $PATH'
      register: task_path
    - ansible.builtin.assert:
        that:
          - task_path.stdout == ansible_env.PATH + ':/lola'
`,
    });
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
    expect(run.events.filter((e) => e.event === 'task_result' && e.status === 'failed')).toEqual([]);
  });
});
