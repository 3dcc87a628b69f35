// `beastie vault` and the vault secret sources (files, scripts, client scripts, prompts).
import { moduleRegistry } from '../../src/module-api/registry.js';
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, type MainWiring } from '../../src/cli/main.js';
import { loadVaultSecrets, splitVaultId, vaultIdList } from '../../src/vault/vault-secret-sources.js';
import { testServices, TestTransportFactory } from '../fixtures/runner/harness.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-vaultcmd-'));
  await writeFile(join(dir, 'pw'), '  correct horse  \n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const wiring: MainWiring = { loadPlaybook: async () => ({ path: 'x', plays: [], warnings: [] }), services: testServices(), transports: () => new TestTransportFactory(), modules: moduleRegistry([]) };

async function vault(args: string[], stdin = '', answers: string[] = []) {
  let stdout = '';
  let stderr = '';
  const prompts: string[] = [];
  const code = await main(['vault', ...args], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: {},
    cwd: dir,
    readStdin: async () => Buffer.from(stdin),
    askSecret: async (prompt) => {
      prompts.push(prompt);
      return answers.shift() ?? '';
    },
  }, wiring);
  return { code, stdout, stderr, prompts };
}

function ansibleVault(args: string[]): string {
  return execFileSync('/usr/bin/ansible-vault', args, { cwd: dir, env: { ...process.env, ANSIBLE_CONFIG: join(dir, 'none.cfg'), HOME: dir }, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

describe('beastie vault', () => {
  it('encrypt in place keeps the mode; view and decrypt give the text back; ansible-vault reads it', async () => {
    await writeFile(join(dir, 'secrets.yml'), 'token: abc123\n', { mode: 0o640 });
    const encrypted = await vault(['encrypt', '--vault-password-file', 'pw', 'secrets.yml']);
    expect(encrypted).toMatchObject({ code: 0, stderr: 'Encryption successful\n' });
    expect((await readFile(join(dir, 'secrets.yml'), 'utf8')).startsWith('$ANSIBLE_VAULT;1.1;AES256\n')).toBe(true);
    expect((await stat(join(dir, 'secrets.yml'))).mode & 0o777).toBe(0o640);
    expect((await vault(['view', '--vault-password-file', 'pw', 'secrets.yml'])).stdout).toBe('token: abc123\n');
    expect(ansibleVault(['decrypt', '--vault-password-file', 'pw', '--output', '-', 'secrets.yml'])).toBe('token: abc123\n');
    expect((await vault(['encrypt', '--vault-password-file', 'pw', 'secrets.yml'])).code).toBe(5);
    expect(await vault(['decrypt', '--vault-password-file', 'pw', 'secrets.yml'])).toMatchObject({ code: 0, stderr: 'Decryption successful\n' });
    expect(await readFile(join(dir, 'secrets.yml'), 'utf8')).toBe('token: abc123\n');
  });

  it('encrypt_string prints the !vault block ansible-vault prints, which ansible-vault decrypts', async () => {
    const run = await vault(['encrypt_string', '--vault-id', 'prod@pw', '-n', 'db_password', 'hunter2']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^db_password: !vault \|\n {10}\$ANSIBLE_VAULT;1\.2;AES256;prod\n( {10}[0-9a-f]{1,80}\n)+$/);
    const envelope = run.stdout.split('\n').slice(1).map((line) => line.trim()).join('\n');
    await writeFile(join(dir, 'value.vault'), envelope);
    expect(ansibleVault(['decrypt', '--vault-id', 'prod@pw', '--output', '-', 'value.vault'])).toBe('hunter2');
    const fromStdin = await vault(['encrypt_string', '--vault-password-file', 'pw', '--stdin-name', 'key'], 'from stdin');
    expect(fromStdin.stdout.startsWith('key: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n')).toBe(true);
  });

  it('views a file ansible-vault encrypted; rekey moves it to a new password', async () => {
    await writeFile(join(dir, 'theirs.yml'), 'a: 1\n');
    ansibleVault(['encrypt', '--vault-password-file', 'pw', 'theirs.yml']);
    expect((await vault(['view', '--vault-password-file', 'pw', 'theirs.yml'])).stdout).toBe('a: 1\n');
    await writeFile(join(dir, 'pw-new'), 'new one\n');
    expect((await vault(['rekey', '--vault-password-file', 'pw', '--new-vault-password-file', 'pw-new', 'theirs.yml'])).code).toBe(0);
    expect(ansibleVault(['decrypt', '--vault-password-file', 'pw-new', '--output', '-', 'theirs.yml'])).toBe('a: 1\n');
    const wrong = await vault(['view', '--vault-password-file', 'pw', 'theirs.yml']);
    expect(wrong.code).toBe(5);
    expect(wrong.stderr).toContain('decryption failed');
  });

  it('asks for a new password twice when encrypting; refuses unknown actions with a suggestion', async () => {
    const asked = await vault(['encrypt'], 'x: 1\n', ['pass', 'pass']);
    expect(asked.prompts).toEqual(['New Vault password: ', 'Confirm New Vault password: ']);
    expect(asked.stdout.startsWith('$ANSIBLE_VAULT;1.1;AES256\n')).toBe(true);
    expect((await vault(['encrypt'], 'x', ['a', 'b'])).stderr).toContain('do not match');
    const typo = await vault(['decrpyt']);
    expect(typo.code).toBe(5);
    expect(typo.stderr).toContain("did you mean 'decrypt'?");
    const two = await vault(['encrypt', '--vault-id', 'a@pw', '--vault-id', 'b@pw'], 'x');
    expect(two.stderr).toContain('--encrypt-vault-id');
  });
});

describe('vault secret sources', () => {
  it("orders vault ids as ansible's CLI: --vault-id, then password files, then the prompt", () => {
    expect(vaultIdList({ vaultIds: ['dev@a'], passwordFiles: ['b'], askVaultPass: true }, false)).toEqual(['dev@a', 'default@b', 'default@prompt_ask_vault_pass']);
    expect(vaultIdList({ vaultIds: [], passwordFiles: [], askVaultPass: false }, false)).toEqual([]);
    expect(vaultIdList({ vaultIds: [], passwordFiles: [], askVaultPass: false }, true)).toEqual(['default@prompt_ask_vault_pass']);
    expect(splitVaultId('prod@prompt')).toEqual({ label: 'prod', source: 'prompt' });
    expect(splitVaultId('file.txt')).toEqual({ label: 'default', source: 'file.txt' });
  });

  it('reads files stripped, runs executable scripts, passes --vault-id to -client scripts', async () => {
    await writeFile(join(dir, 'script.sh'), '#!/bin/sh\necho "from script"\n');
    await chmod(join(dir, 'script.sh'), 0o755);
    await writeFile(join(dir, 'keys-client.sh'), '#!/bin/sh\n[ "$1" = --vault-id ] && [ "$2" = prod ] && { echo "prod secret"; exit 0; }\nexit 2\n');
    await chmod(join(dir, 'keys-client.sh'), 0o755);
    const secrets = await loadVaultSecrets(['pw', 'dev@script.sh', 'prod@keys-client.sh', 'ask@prompt'], dir, async () => 'typed');
    expect(secrets.map((s) => [s.label, s.password.toString()])).toEqual([
      ['default', 'correct horse'],
      ['dev', 'from script'],
      ['prod', 'prod secret'],
      ['ask', 'typed'],
    ]);
    await expect(loadVaultSecrets(['qa@keys-client.sh'], dir, undefined)).rejects.toThrow("has no secret for vault id 'qa'");
    await writeFile(join(dir, 'broken.sh'), '#!/bin/sh\necho "not a secret"\nexit 3\n');
    await chmod(join(dir, 'broken.sh'), 0o755);
    await expect(loadVaultSecrets(['broken.sh'], dir, undefined)).rejects.toMatchObject({ message: `vault password script ${join(dir, 'broken.sh')} exited 3` });
    await writeFile(join(dir, 'empty'), '\n');
    await expect(loadVaultSecrets(['empty'], dir, undefined)).rejects.toThrow('is empty');
    await expect(loadVaultSecrets(['prompt'], dir, undefined)).rejects.toThrow('needs a terminal');
    await expect(loadVaultSecrets(['missing'], dir, undefined)).rejects.toThrow('was not found');
  });
});
