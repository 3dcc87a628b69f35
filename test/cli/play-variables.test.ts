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

describe('vars_prompt', () => {
  const prompted = [
    '- hosts: h1',
    '  gather_facts: false',
    '  vars:',
    '    zone: lab',
    '  vars_prompt:',
    '    - name: user',
    '      prompt: User name',
    '      private: no',
    '      default: "admin-{{ zone }}"',
    '    - name: secret',
    '      prompt: Password',
    '      confirm: yes',
    '    - name: hashed',
    '      prompt: Hashed',
    '      encrypt: "{{ scheme | default(\'bcrypt\') }}"',
    '      salt: saltsalt',
    '    - name: raw',
    '      private: false',
    '      unsafe: true',
    '  tasks:',
    '    - name: show',
    '      t_debug:',
    '        msg: "{{ [user, secret, hashed, raw] }}"',
    '',
  ].join('\n');

  it('asks each question (private ones without echo), takes the default for an empty answer, confirms, hashes, keeps unsafe answers untemplated', async () => {
    const asked: string[] = [];
    const lines = ['', '{{ zone }}'];
    const secrets = ['pw1', 'pw2', 'pw', 'pw', 'secret'];
    const run = await yamlPlay(dir, { 'hosts.yml': hosts, 'site.yml': prompted }, ['-e', 'scheme=sha256_crypt'], {
      askLine: async (prompt) => (asked.push(`line ${prompt}`), lines.shift() ?? ''),
      askSecret: async (prompt) => (asked.push(`secret ${prompt}`), secrets.shift() ?? ''),
    });
    expect(run.code).toBe(0);
    // do_var_prompt's texts: "PROMPT [DEFAULT]: ", "confirm …", "NAME: " for a prompt without text.
    expect(asked).toEqual(['line User name [admin-lab]: ', 'secret Password: ', 'secret confirm Password: ', 'secret Password: ', 'secret confirm Password: ', 'secret Hashed: ', 'line raw: ']);
    expect(run.stdout).toContain('***** VALUES ENTERED DO NOT MATCH ****');
    // The hash ansible 2.14 prints for password_hash('sha256_crypt', 'saltsalt') of 'secret'.
    expect(run.msg('show')).toEqual(['admin-lab', 'pw', '$5$rounds=535000$saltsalt$VSmVlMm.XSbjLKI0G48ksoE0xc0243La2Jr.EPuau75', '{{ zone }}']);
  });

  it('encrypt names a password_hash scheme; one beastie lacks is exit 5 before anything runs', async () => {
    const run = await yamlPlay(dir, { 'hosts.yml': hosts, 'site.yml': prompted }, ['-e', 'user=u secret=s raw=r'], { askSecret: async () => 'secret' });
    expect(run.code).toBe(5);
    expect(run.stderr).toContain("password_hash: hash type 'bcrypt' is not supported by beastie");
    expect(run.opened).toEqual([]);
  });

  it('does not ask what -e gives; without a terminal a default is taken with a warning, and a question without one is exit 5 naming it, nothing contacted', async () => {
    const given = await yamlPlay(dir, { 'hosts.yml': hosts, 'site.yml': prompted }, ['-e', 'user=u secret=s hashed=h raw=r']);
    expect(given.code).toBe(0);
    expect(given.msg('show')).toEqual(['u', 's', 'h', 'r']);
    const defaulted = await yamlPlay(dir, { 'site.yml': prompted }, ['-e', 'secret=s hashed=h raw=r']);
    expect(defaulted.code).toBe(0);
    expect(defaulted.msg('show')).toEqual(['admin-lab', 's', 'h', 'r']);
    expect(defaulted.stderr).toContain('[WARNING]: Not prompting as we are not in interactive mode');
    const missing = await yamlPlay(dir, { 'site.yml': prompted }, ['-e', 'hashed=h raw=r']);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toMatch(/site\.yml:10:7: vars_prompt 'secret' needs an answer, and there is no terminal to ask on/);
    expect(missing.stderr).toContain('-e secret=VALUE');
    expect(missing.opened).toEqual([]);
  });

  it('a vars_prompt entry without name, or with an unknown key, is a load error at its line', async () => {
    const bad = await yamlPlay(dir, { 'hosts.yml': hosts, 'site.yml': '- hosts: h1\n  vars_prompt:\n    - prompt: Who\n    - name: x\n      promt: typo\n  tasks: []\n' }, ['--syntax-check']);
    expect(bad.code).toBe(5);
    expect(bad.stderr).toMatch(/site\.yml:3:7: a vars_prompt entry needs 'name:'/);
    expect(bad.stderr).toMatch(/site\.yml:5:7: unknown vars_prompt key 'promt'[\s\S]*did you mean 'prompt'/);
  });
});

describe('ansible.cfg roles_path and load warnings', () => {
  it('finds roles in roles_path from ansible.cfg (relative to the file), after roles/ beside the playbook', async () => {
    const run = await yamlPlay(dir, {
      'hosts.yml': hosts,
      'ansible.cfg': '[defaults]\nroles_path = shared/roles:other\n',
      'shared/roles/greet/tasks/main.yml': '- name: hello\n  t_debug:\n    msg: "hello from {{ role_name }}"\n',
      'site.yml': '- hosts: h1\n  gather_facts: false\n  roles: [greet]\n',
    });
    expect(run.code).toBe(0);
    expect(run.msg('hello')).toBe('hello from greet');
  });

  it('--syntax-check and --list-tasks print the load warnings (a duplicate key) as Ansible does', async () => {
    const files = { 'hosts.yml': hosts, 'site.yml': '- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: twice\n      t_debug:\n        msg: a\n        msg: b\n' };
    for (const mode of ['--syntax-check', '--list-tasks']) {
      const run = await yamlPlay(dir, files, [mode]);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/\[WARNING\]: .*site\.yml:7:9: .*msg/);
    }
  });
});

describe('vars_files read when the play runs', () => {
  const twoHosts = 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n      site: lab\n    h2:\n      ansible_connection: local\n      site: prod\n';

  it('names templated on inventory variables are read per host, each name may use the files before it', async () => {
    const run = await yamlPlay(dir, {
      'hosts.yml': twoHosts,
      'vars/lab.yml': 'zone: lab-zone\nnext: lab-extra\n',
      'vars/prod.yml': 'zone: prod-zone\nnext: prod-extra\n',
      'vars/lab-extra.yml': 'extra: from-lab\n',
      'vars/prod-extra.yml': 'extra: from-prod\n',
      'site.yml': [
        '- hosts: all',
        '  gather_facts: false',
        '  vars_files:',
        '    - "vars/{{ site }}.yml"',
        '    - "vars/{{ next }}.yml"',
        // No facts gathered: Ansible skips an entry it cannot name.
        '    - "vars/{{ never_defined }}.yml"',
        '  tasks:',
        '    - name: show',
        '      t_debug:',
        '        msg: "{{ zone }} {{ extra }}"',
        '',
      ].join('\n'),
    });
    expect(run.code).toBe(0);
    expect(run.msg('show', 'h1')).toBe('lab-zone from-lab');
    expect(run.msg('show', 'h2')).toBe('prod-zone from-prod');
  });

  it('with facts: names see the facts, and a name still undefined fails the host (Ansible: "an undefined variable was found…")', async () => {
    const run = await yamlPlay(dir, {
      'hosts.yml': hosts,
      'vars/facts.yml': 'from_facts: yes\n',
      'site.yml': [
        '- hosts: h1',
        '  vars_files:',
        '    - "vars/{{ \'facts\' if ansible_hostname is defined else \'none\' }}.yml"',
        '    - "vars/{{ never_defined }}.yml"',
        '  tasks:',
        '    - name: show',
        '      t_debug:',
        '        msg: "{{ from_facts }}"',
        '',
      ].join('\n'),
    });
    expect(run.code).toBe(2);
    const failed = run.events.filter((e) => e.event === 'task_result' && e.task === 'Reading vars_files');
    expect(failed.map((e) => [e.host, e.msg])).toEqual([['h1', expect.stringMatching(/site\.yml:4:7: an undefined variable was found when attempting to template the vars_files item 'vars\/\{\{ never_defined \}\}\.yml': 'never_defined' is undefined/)]]);
    expect(run.events.some((e) => e.task === 'show')).toBe(false);
  });

  it('a host whose file is missing fails before its first task (ansible: "vars file … was not found"); the others run', async () => {
    const run = await yamlPlay(dir, {
      'hosts.yml': twoHosts,
      'vars/lab.yml': 'zone: lab-zone\n',
      'site.yml': ['- hosts: all', '  gather_facts: false', '  vars_files:', '    - "vars/{{ site }}.yml"', '  tasks:', '    - name: show', '      t_debug:', '        msg: "{{ zone }}"', ''].join('\n'),
    });
    expect(run.code).toBe(2);
    const failed = run.events.filter((e) => e.event === 'task_result' && e.task === 'Reading vars_files');
    expect(failed.map((e) => [e.host, e.status, e.msg])).toEqual([['h2', 'failed', expect.stringMatching(/site\.yml:4:7: vars file vars\/\{\{ site \}\}\.yml was not found/)]]);
    expect(run.msg('show', 'h1')).toBe('lab-zone');
    expect(run.events.some((e) => e.event === 'task_result' && e.task === 'show' && e.host === 'h2')).toBe(false);
  });
});
