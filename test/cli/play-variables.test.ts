// Variables as Ansible loads them, end to end on YAML files: !unsafe, vars_prompt, playbook-adjacent
// group_vars/host_vars, hostvars. Expected texts as ansible-playbook 2.14 printed them for the same files.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { yamlPlay } from '../fixtures/runner/yaml-play.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-vars-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const hosts = 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n      raw_inv: !unsafe "{{ inv }}"\n';

describe('!unsafe', () => {
  it('is a string never templated: in vars, inventory, parameters, and through another variable', async () => {
    const run = await yamlPlay(dir, {
      'hosts.yml': hosts,
      'site.yml': [
        '- hosts: h1',
        '  gather_facts: false',
        '  vars:',
        '    b: B',
        '    kept: !unsafe "{{ b }} {% if x %}"',
        '    through: "{{ kept }}!"',
        '  tasks:',
        '    - name: show',
        '      t_debug:',
        '        msg: "{{ [kept, through, raw_inv] }}"',
        '    - name: param',
        '      t_debug:',
        '        msg: !unsafe "{{ lookup(\'pipe\', \'id\') }}"',
        '',
      ].join('\n'),
    });
    expect(run.code).toBe(0);
    expect(run.msg('show')).toEqual(['{{ b }} {% if x %}', '{{ b }} {% if x %}!', '{{ inv }}']);
    expect(run.msg('param')).toBe("{{ lookup('pipe', 'id') }}");
  });
});
