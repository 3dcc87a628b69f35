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
});
