// Vaulted content end to end through `beastie play`: whole encrypted vars files (vars_files,
// group_vars, -e @file), `!vault` values, --vault-id / --vault-password-file; the decrypted values
// reach the hosts' commands and never the output or the log.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, type MainWiring } from '../../src/cli/main.js';
import { vaultStringYaml } from '../../src/cli/vault-command.js';
import { allModules } from '../../modules/all.js';
import { moduleRegistry } from '../../src/module-api/registry.js';
import { loadPlaybook } from '../../src/playbook/load.js';
import { encryptVault } from '../../src/vault/vault-format.js';
import { testServices, TestTransportFactory } from '../fixtures/runner/harness.js';
import { testModules } from '../fixtures/runner/test-modules.js';
import { localHosts, runYaml } from '../fixtures/runner/yaml-run.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-playvault-'));
  await writeFile(join(dir, 'pw'), 'correct horse\n');
  await writeFile(join(dir, 'prod.pw'), 'battery staple\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modules = moduleRegistry([...allModules, ...testModules]);

async function play(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const wiring: MainWiring = {
    loadPlaybook: async (path, { extraVars, vault }) => loadPlaybook(path, { extraVars, vault, modules }),
    services: testServices(),
    transports: () => new TestTransportFactory(),
    modules: moduleRegistry(testModules),
  };
  const code = await main(['play', 'site.yml', '-i', 'hosts.yml', ...argv], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {}, cwd: dir }, wiring);
  return { code, stdout, stderr };
}

const vaulted = (text: string, password = 'correct horse', label?: string) => encryptVault(Buffer.from(text), Buffer.from(password), label);

describe('beastie play with Ansible Vault', () => {
  it('reads vaulted group_vars (made by ansible-vault), vars_files, -e @file and !vault values; output and log censor them', async () => {
    await mkdir(join(dir, 'group_vars'));
    await writeFile(join(dir, 'group_vars', 'all.yml'), 'group_secret: from-group-vars\n');
    execFileSync('/usr/bin/ansible-vault', ['encrypt', '--vault-password-file', 'pw', 'group_vars/all.yml'], { cwd: dir, env: { ...process.env, ANSIBLE_CONFIG: join(dir, 'none.cfg'), HOME: dir }, stdio: 'pipe' });
    await writeFile(join(dir, 'hosts.yml'), 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n');
    await writeFile(join(dir, 'secrets.yml'), vaulted('file_secret: from-vars-file\n', 'battery staple', 'prod'));
    await writeFile(join(dir, 'extra.yml'), vaulted('extra_secret: from-extra-vars\n'));
    const inline = vaultStringYaml(vaulted('inline-value'), 'inline_secret').replace(/^/gm, '    ');
    await writeFile(
      join(dir, 'site.yml'),
      [
        '- hosts: all',
        '  gather_facts: false',
        '  vars_files: [secrets.yml]',
        '  vars:',
        inline.trimEnd(),
        '  tasks:',
        `    - t_cmd: { cmd: "printf '%s %s %s %s' '{{ group_secret }}' '{{ file_secret }}' '{{ inline_secret }}' '{{ extra_secret }}' > ${join(dir, 'out')}" }`,
        '    - t_debug: { msg: "the secret is {{ inline_secret }}" }',
        '',
      ].join('\n'),
    );
    const log = join(dir, 'run.log');
    const run = await play(['--vault-id', 'dev@pw', '--vault-id', 'prod@prod.pw', '-e', '@extra.yml', '--json', '--log-file', log, '-vvv']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await readFile(join(dir, 'out'), 'utf8')).toBe('from-group-vars from-vars-file inline-value from-extra-vars');
    const logged = await readFile(log, 'utf8');
    expect(logged).toContain('printf');
    const shown = run.stdout + logged;
    expect(shown).toContain('the secret is ***');
    for (const secret of ['from-group-vars', 'from-vars-file', 'inline-value', 'from-extra-vars']) expect(shown).not.toContain(secret);
  });

  it('without the right secret: exit 5 at the vaulted value, nothing run', async () => {
    await writeFile(join(dir, 'hosts.yml'), 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n');
    await writeFile(join(dir, 'site.yml'), ['- hosts: all', '  vars:', vaultStringYaml(vaulted('v'), 'x').replace(/^/gm, '    ').trimEnd(), '  tasks:', `    - t_cmd: { cmd: "touch ${join(dir, 'ran')}" }`, ''].join('\n'));
    const none = await play([]);
    expect(none.code).toBe(5);
    expect(none.stderr).toContain(`${join(dir, 'site.yml')}:3:`);
    expect(none.stderr).toContain('no vault secret was given');
    const wrong = await play(['--vault-password-file', 'prod.pw']);
    expect(wrong.code).toBe(5);
    expect(wrong.stderr).toContain('decryption failed');
    await expect(readFile(join(dir, 'ran'))).rejects.toThrow();
  });

  // Files the run reads itself, named by host variables (ricardobranco777's and jantuomi's
  // per-host vars files and task files), decrypt with the run's secrets as the load does.
  describe('files read while the run runs', () => {
    const files = (out: string) => ({
      'hosts.yml': localHosts({ h1: { env_name: 'prod' } }),
      'site.yml': [
        '- hosts: all',
        '  gather_facts: false',
        '  vars_files: ["vars/{{ env_name }}.yml"]',
        '  tasks:',
        '    - include_vars: "{{ env_name }}-extra.yml"',
        '    - include_tasks: "{{ env_name }}-tasks.yml"',
        '',
      ].join('\n'),
      // vars_files per host and include_vars: whole encrypted files; the task file: a !vault value.
      'vars/prod.yml': vaulted('a_secret: from-run-time-vars-file\n'),
      'vars/prod-extra.yml': ['plain: visible', vaultStringYaml(vaulted('from-include-vars'), 'b_secret')].join('\n'),
      'prod-tasks.yml': [
        '- name: write them',
        '  vars:',
        vaultStringYaml(vaulted('from-task-file'), 'c_secret').replace(/^/gm, '    ').trimEnd(),
        `  shell: "printf '%s %s %s %s' '{{ a_secret }}' '{{ b_secret }}' '{{ c_secret }}' '{{ plain }}' > ${out}"`,
        '- debug: msg="shown {{ b_secret }}"',
        '',
      ].join('\n'),
    });

    it('vars_files named by host variables, include_vars and include_tasks decrypt with the run\'s secrets; output censors them', async () => {
      const out = join(dir, 'out');
      const run = await runYaml(dir, files(out), ['--vault-password-file', join(dir, 'pw'), '-vvv']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(await readFile(out, 'utf8')).toBe('from-run-time-vars-file from-include-vars from-task-file visible');
      expect(run.debug()).toEqual(['shown ***']);
      for (const secret of ['from-run-time-vars-file', 'from-include-vars', 'from-task-file']) expect(run.stdout).not.toContain(secret);
    });

    it('without a secret, or with the wrong one, the host fails at the vaulted file or value, no plaintext shown', async () => {
      const out = join(dir, 'out');
      const none = await runYaml(dir, files(out));
      expect(none.code).not.toBe(0);
      const reading = none.events.find((e) => e.event === 'task_result' && e.status === 'failed');
      expect(reading?.task).toBe('Reading vars_files');
      expect(reading?.msg).toContain(`${join(dir, 'vars/prod.yml')}:1:1`);
      expect(reading?.msg).toContain('no vault secret was given');
      // The wrong secret gets as far as each file: the vars file first.
      const wrong = await runYaml(dir, files(out), ['--vault-password-file', join(dir, 'prod.pw')]);
      const failed = wrong.events.filter((e) => e.event === 'task_result' && e.status === 'failed');
      expect(failed.map((e) => e.task)).toEqual(['Reading vars_files']);
      expect(failed[0]?.msg).toContain('decryption failed');
      await expect(readFile(out)).rejects.toThrow();
      for (const run of [none, wrong]) for (const secret of ['from-run-time-vars-file', 'from-include-vars', 'from-task-file']) expect(run.stdout + run.stderr).not.toContain(secret);
    });

    it('include_vars and include_tasks: a !vault value that no secret opens fails the task at its line and column', async () => {
      const out = join(dir, 'out');
      const other = (text: string) => vaultStringYaml(encryptVault(Buffer.from(text), Buffer.from('battery staple')), 'b_secret');
      const base = files(out);
      const run = await runYaml(
        dir,
        {
          ...base,
          'vars/prod.yml': 'a_secret: plain\n',
          'vars/prod-extra.yml': ['plain: visible', other('from-include-vars')].join('\n'),
          'site.yml': base['site.yml'].replace('    - include_vars:', '    - ignore_errors: true\n      include_vars:'),
          'prod-tasks.yml': ['- debug: msg=before', `- vars:\n${other('from-task-file').replace(/^/gm, '    ').trimEnd()}\n  debug: var=b_secret`, ''].join('\n'),
        },
        ['--vault-password-file', join(dir, 'pw')],
      );
      const failed = run.events.filter((e) => e.event === 'task_result' && e.status === 'failed');
      expect(failed.map((e) => e.task)).toEqual(['include_vars', 'include_tasks']);
      expect(failed[0]?.msg).toContain(`${join(dir, 'vars/prod-extra.yml')}:2:11`);
      expect(failed[1]?.msg).toContain(`${join(dir, 'prod-tasks.yml')}:3:15`);
      for (const failure of failed) expect(failure.msg).toContain('decryption failed');
      expect(run.debug()).toEqual([]);
      expect(run.stdout + run.stderr).not.toMatch(/from-include-vars|from-task-file/);
    });
  });
});
