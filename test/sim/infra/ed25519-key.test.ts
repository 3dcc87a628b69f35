import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from '../../../sim/infra/ed25519-key.js';
import { runProcess } from '../../../sim/infra/run-process.js';

describe('generateEd25519KeyPair', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes a private key OpenSSH reads back to the same public key and comment', async () => {
    dir = await mkdtemp(join(tmpdir(), 'beastie-key-'));
    const pair = generateEd25519KeyPair('root@sim07');
    await writeFile(join(dir, 'key'), pair.privateKey, { mode: 0o600 });
    const derived = await runProcess(['ssh-keygen', '-y', '-f', join(dir, 'key')]);
    expect(derived.stderr).toBe('');
    expect(derived.stdout.trim()).toBe(pair.publicKey);
    expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} root@sim07$/);
  });

  it('makes a different key every time', () => {
    expect(generateEd25519KeyPair('a').publicKey).not.toBe(generateEd25519KeyPair('a').publicKey);
  });
});
