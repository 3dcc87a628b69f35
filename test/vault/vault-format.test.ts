// The vault format against Debian's ansible-vault (ansible-core), in both directions.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { decryptPayload, encryptVault, isVaulted, parseEnvelope } from '../../src/vault/vault-format.js';
import { VaultSecrets } from '../../src/vault/vault-keyring.js';

const ANSIBLE_VAULT = '/usr/bin/ansible-vault';
let dir: string;
beforeAll(async () => {
  // scripts/setup-test-deps.sh installs ansible-core; without it this suite cannot prove compatibility.
  if (!existsSync(ANSIBLE_VAULT)) throw new Error(`${ANSIBLE_VAULT} is missing: run sh scripts/setup-test-deps.sh`);
  dir = await mkdtemp(join(tmpdir(), 'beastie-vault-'));
  await writeFile(join(dir, 'pw'), 'correct horse\n');
  await writeFile(join(dir, 'pw2'), 'battery staple\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ansibleVault(args: string[], input?: string): string {
  return execFileSync(ANSIBLE_VAULT, args, { cwd: dir, input, env: { ...process.env, ANSIBLE_CONFIG: join(dir, 'none.cfg'), HOME: dir }, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

const password = Buffer.from('correct horse');
const where = { file: 'x.yml', line: 1, column: 1 };

describe('vault format', () => {
  it('decrypts what ansible-vault encrypts (1.1, and 1.2 with a label)', async () => {
    await writeFile(join(dir, 'plain.yml'), 'db_password: s3cr3t\nport: 5432\n');
    ansibleVault(['encrypt', '--vault-password-file', 'pw', 'plain.yml']);
    const text = await readFile(join(dir, 'plain.yml'), 'utf8');
    expect(text.startsWith('$ANSIBLE_VAULT;1.1;AES256\n')).toBe(true);
    expect(decryptPayload(parseEnvelope(text), password)?.toString()).toBe('db_password: s3cr3t\nport: 5432\n');
    expect(decryptPayload(parseEnvelope(text), Buffer.from('wrong'))).toBeUndefined();

    const labelled = ansibleVault(['encrypt_string', '--vault-id', 'prod@pw2', 'hunter2']);
    const envelope = labelled.replace(/^!vault \|\n/, '').split('\n').map((line) => line.trim()).join('\n');
    expect(parseEnvelope(envelope).label).toBe('prod');
    const keyring = new VaultSecrets([{ label: 'dev', password, source: 'pw' }, { label: 'prod', password: Buffer.from('battery staple'), source: 'pw2' }]);
    expect(keyring.decrypt(envelope, where)).toBe('hunter2');
    expect(keyring.revealed.has('hunter2')).toBe(true);
  });

  it('ansible-vault decrypts what beastie encrypts, 1.1 and 1.2', async () => {
    const plaintext = 'line one\nünïcode ✓\n'.repeat(20);
    await writeFile(join(dir, 'ours.txt'), encryptVault(Buffer.from(plaintext), password));
    expect(ansibleVault(['view', '--vault-password-file', 'pw', 'ours.txt'])).toBe(plaintext);
    await writeFile(join(dir, 'ours12.txt'), encryptVault(Buffer.from('x'), Buffer.from('battery staple'), 'prod'));
    expect((await readFile(join(dir, 'ours12.txt'), 'utf8')).split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;prod');
    expect(ansibleVault(['decrypt', '--vault-id', 'prod@pw2', '--output', '-', 'ours12.txt'])).toBe('x');
    // Every padding length (0..16 bytes short of a block) survives the round trip.
    for (let length = 0; length <= 17; length++) {
      const value = 'a'.repeat(length);
      expect(decryptPayload(parseEnvelope(encryptVault(Buffer.from(value), password)), password)?.toString()).toBe(value);
    }
  });

  it('lays out envelopes as Ansible does: 80-column lines and a final newline; a known salt gives a fixed text', () => {
    const envelope = encryptVault(Buffer.from('secret'), password, undefined, Buffer.alloc(32, 7));
    const lines = envelope.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(1, -2).every((line) => line.length === 80)).toBe(true);
    expect(encryptVault(Buffer.from('secret'), password, undefined, Buffer.alloc(32, 7))).toBe(envelope);
    expect(isVaulted(envelope)).toBe(true);
    expect(isVaulted('plain: yaml')).toBe(false);
  });

  it('a tampered ciphertext or HMAC fails the HMAC check; no secret is invalid input at the value', () => {
    const envelope = parseEnvelope(encryptVault(Buffer.from('secret'), password));
    const inner = Buffer.from(envelope.payload, 'hex').toString('latin1').split('\n');
    const flipped = `${inner[0]}\n${inner[1]}\n${(inner[2] ?? '').replace(/^./, (c) => (c === '0' ? '1' : '0'))}`;
    expect(decryptPayload({ ...envelope, payload: Buffer.from(flipped, 'latin1').toString('hex') }, password)).toBeUndefined();
    const none = new VaultSecrets([]);
    expect(() => none.decrypt(encryptVault(Buffer.from('s'), password), { file: 'group_vars/all.yml', line: 3, column: 7 })).toThrow(InvalidInputError);
    const wrong = new VaultSecrets([{ label: 'default', password: Buffer.from('nope'), source: 'pw' }]);
    let caught: unknown;
    try {
      wrong.decrypt(encryptVault(Buffer.from('s'), password), where);
    } catch (error) {
      caught = error;
    }
    expect((caught as InvalidInputError).message).toContain('decryption failed');
    expect((caught as InvalidInputError).source).toEqual(where);
  });
});
