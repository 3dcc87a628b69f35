// community.crypto.openssl_privatekey on the base system's openssl(1): plans as
// module_backends/privatekey.py needs_regeneration / needs_conversion decide, the key file read by
// openssl pkey, fingerprints as get_fingerprint_of_bytes makes them; then against community.crypto
// 2.14 itself (Debian's ansible, the oracle) on the local connection: it takes beastie's keys as
// its own (not changed) and beastie reads its keys with the same fingerprints; three ways locally.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import openssl_privatekey, { parseKeyFile, planPrivateKey, type KeyFile } from '../../modules/openssl_privatekey.js';
import type { FileStat } from '../../src/facts/file-stat.js';
import { runLocal, threeWay } from './helpers/three-way.js';

const params = (p: Record<string, unknown>) => openssl_privatekey.params.parse({ path: '/etc/ssl/k.pem', ...p });
const key = (over: Partial<KeyFile> = {}): KeyFile => ({ kind: 'file', baseDir: true, format: 'pkcs1', readable: true, type: 'RSA', size: 4096, ...over });
const unreadable: KeyFile = { kind: 'file', baseDir: true, format: 'pkcs1', readable: false };
const f = (over: Partial<FileStat> = {}): FileStat => ({ type: 'file', mode: 0o600, owner: 'root', group: 'wheel', size: 3243, ...over });
const plan = (p: Record<string, unknown>, k: KeyFile, s: FileStat | undefined = f()) => {
  const out = planPrivateKey(params(p), k, s);
  return out.failure ?? out.steps.map((step) => (step.kind === 'noop' ? 'noop' : step.summary));
};

describe('openssl_privatekey plan', () => {
  const UNREADABLE = /^Unable to read the key\. The key is protected with a another passphrase \/ no passphrase or broken\./;
  it.each([
    ['nothing there: generate', {}, { kind: 'absent', baseDir: true } as KeyFile, ['generate RSA 4096 key /etc/ssl/k.pem']],
    ['the key as wanted', {}, key(), ['noop']],
    ['another size: regenerate (full_idempotence)', { size: 2048 }, key(), ['regenerate RSA 2048 key /etc/ssl/k.pem']],
    ['another size, regenerate: fail', { size: 2048, regenerate: 'fail' }, key(), /^Key has wrong type and\/or size\. Will not proceed\./],
    ['another size, regenerate: never', { size: 2048, regenerate: 'never' }, key(), ['noop']],
    ['another type', { type: 'Ed25519' }, key(), ['regenerate Ed25519 key /etc/ssl/k.pem']],
    ['ECC on its curve', { type: 'ECC', curve: 'secp256r1' }, key({ type: 'ECC', size: 256, curve: 'secp256r1' }), ['noop']],
    ['ECC on another curve', { type: 'ECC', curve: 'secp384r1' }, key({ type: 'ECC', size: 256, curve: 'secp256r1' }), ['regenerate ECC secp384r1 key /etc/ssl/k.pem']],
    ['unreadable, full_idempotence: regenerate', {}, unreadable, ['regenerate RSA 4096 key /etc/ssl/k.pem']],
    ['unreadable, partial_idempotence: refused', { regenerate: 'partial_idempotence' }, unreadable, UNREADABLE],
    ['unreadable, never: refused', { regenerate: 'never' }, unreadable, UNREADABLE],
    ['force: always regenerate', { force: true }, key(), ['regenerate RSA 4096 key /etc/ssl/k.pem']],
    ['format auto_ignore takes pkcs8', {}, key({ format: 'pkcs8' }), ['noop']],
    ['format pkcs1 wanted, pkcs8 there: regenerate', { format: 'pkcs1' }, key({ format: 'pkcs8' }), ['regenerate RSA 4096 key /etc/ssl/k.pem']],
    ['format pkcs1 wanted, pkcs8 there, convert', { format: 'pkcs1', format_mismatch: 'convert' }, key({ format: 'pkcs8' }), ['convert /etc/ssl/k.pem to pkcs1']],
    ['format wrong, regenerate: fail', { format: 'pkcs8', regenerate: 'fail' }, key(), /^Key has wrong format\..*To convert the key, set `format_mismatch` to `convert`\.$/],
    ['mode 0600 by default', {}, key(), ['noop']],
    ['another mode: chmod only', {}, key(), ['/etc/ssl/k.pem: mode 0644 → 0600'], f({ mode: 0o644 })],
    ['owner wanted', { owner: 'www' }, key(), ['/etc/ssl/k.pem: owner root → www']],
    ['no directory for it', {}, { kind: 'absent', baseDir: false } as KeyFile, 'The directory /etc/ssl does not exist or the file is not a directory'],
    ['a directory at path', {}, { kind: 'directory', baseDir: true } as KeyFile, '/etc/ssl/k.pem is a directory. Please specify a path to a file.'],
    ['passphrase refused with the reason', { passphrase: 'x' }, key(), /passphrase is not supported by beastie/],
    ['state absent', { state: 'absent' }, key(), ['remove /etc/ssl/k.pem']],
    ['state absent, nothing there', { state: 'absent' }, { kind: 'absent', baseDir: true } as KeyFile, ['noop']],
  ] as [string, Record<string, unknown>, KeyFile, string[] | string | RegExp, FileStat?][])('%s', (_name, p, k, expected, s) => {
    const got = plan(p, k, s ?? f());
    if (expected instanceof RegExp) expect(got).toMatch(expected);
    else expect(got).toEqual(expected);
  });

  it('commands: genpkey into a private temporary file renamed over the path, backup first; its values as dump() makes them', () => {
    const out = planPrivateKey(params({ type: 'ECC', curve: 'secp256r1', backup: true, owner: 'www' }), key(), f());
    const step = out.steps[0];
    if (step?.kind !== 'change') throw new Error('a change');
    const texts = step.actions.map((a) => (a.kind === 'run' ? a.command.text : ''));
    expect(texts[0]).toContain('target=/etc/ssl/k.pem\n'); expect(texts[0]).toContain('b=$target.$$.$(date +%Y-%m-%d@%H:%M:%S)~\n');
    expect(texts[0]).toContain('cp -p -- "$target" b && mv -f $nofollow b "$b"');
    // written in the install script's private directory, renamed without following a link
    expect(texts[1]).toContain('umask 077\ntarget=/etc/ssl/k.pem\ndir=/etc/ssl\n');
    expect(texts[1]).toContain('\nt=$(mktemp -d "$dir/.beastie.$$.XXXXXXXXXX") || exit 1');
    expect(texts[1]).toContain("if openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -pkeyopt ec_param_enc:named_curve | openssl pkey -traditional -out f");
    expect(texts[1]).toContain('&& mv -f $nofollow f "$target"; then cd / && rmdir -- "$t" 2>/dev/null; else rm -f f; cd / && rmdir -- "$t" 2>/dev/null; exit 1; fi');
    expect(texts.slice(2)).toEqual(['chown -h www /etc/ssl/k.pem', 'chmod $([ "$(uname -s)" = FreeBSD ] && echo -h) 0600 /etc/ssl/k.pem']);
    expect(out.values).toEqual({ filename: '/etc/ssl/k.pem', type: 'ECC', size: 4096, curve: 'secp256r1', fingerprint: null });
    expect(() => params({ type: 'ECC' })).toThrow(/type is ECC but all of the following are missing: curve/);
  });

  it('reads openssl pkey -text as community.crypto identifies keys', () => {
    const out = (lines: string[]) => parseKeyFile({ stdout: `basedir\n${lines.join('\n')}\n`, stderr: '', exitCode: 0 });
    expect(out(['header -----BEGIN RSA PRIVATE KEY-----', 'text Private-Key: (2048 bit, 2 primes)', 'text modulus:', 'pub 3082'])).toMatchObject({ kind: 'file', format: 'pkcs1', type: 'RSA', size: 2048, readable: true, publicDer: Buffer.from([0x30, 0x82]) });
    expect(out(['header -----BEGIN PRIVATE KEY-----', 'text Private-Key: (256 bit)', 'text ASN1 OID: prime256v1', 'pub '])).toMatchObject({ format: 'pkcs8', type: 'ECC', curve: 'secp256r1' });
    expect(out(['header -----BEGIN PRIVATE KEY-----', 'text ED25519 Private-Key:', 'pub 00'])).toMatchObject({ type: 'Ed25519' });
    expect(out(['header -----BEGIN DSA PRIVATE KEY-----', 'text Private-Key: (1024 bit)', 'text P:   '])).toMatchObject({ format: 'pkcs1', type: 'DSA', size: 1024 });
    expect(out(['header -----BEGIN ENCRYPTED PRIVATE KEY-----', 'pub '])).toMatchObject({ format: 'pkcs8', readable: false });
    expect(parseKeyFile({ stdout: 'absent\n', stderr: '', exitCode: 0 })).toEqual({ kind: 'absent', baseDir: false });
  });
});

const oracle = spawnSync('ansible-doc', ['-l', 'community.crypto'], { encoding: 'utf8' }).stdout.includes('openssl_privatekey');

/** community.crypto's openssl_privatekey through ansible (2.14, community.crypto 2.14 here): its result. */
function ansibleKey(args: string): Record<string, unknown> {
  const run = spawnSync('ansible', ['localhost', '-m', 'community.crypto.openssl_privatekey', '-a', args], {
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_LOAD_CALLBACK_PLUGINS: '1', ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOCALHOST_WARNING: 'false' },
  });
  const report = JSON.parse(run.stdout) as { plays: { tasks: { hosts: Record<string, Record<string, unknown>> }[] }[] };
  return report.plays[0]?.tasks[0]?.hosts['localhost'] ?? {};
}

describe('openssl_privatekey on the local connection, against community.crypto', () => {
  it('three ways: an ECC key, mode 0600; community.crypto then finds it as wanted, with the same fingerprint', async () => {
    const { dir, first, cleanup } = await threeWay({ module: openssl_privatekey, params: (d) => ({ path: join(d, 'ec.pem'), type: 'ECC', curve: 'secp384r1' }) });
    const path = join(dir, 'ec.pem');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(execFileSync('head', ['-n', '1', path], { encoding: 'utf8' })).toBe('-----BEGIN EC PRIVATE KEY-----\n');
    const der = execFileSync('openssl', ['pkey', '-in', path, '-pubout', '-outform', 'DER']);
    const sha256 = execFileSync('openssl', ['dgst', '-sha256', '-r'], { input: der, encoding: 'utf8' }).split(' ')[0] ?? '';
    expect(first.values).toMatchObject({ filename: path, type: 'ECC', curve: 'secp384r1' });
    expect((first.values['fingerprint'] as Record<string, string>)['sha256']).toBe(sha256.replace(/(..)(?!$)/g, '$1:'));
    if (oracle) {
      const theirs = ansibleKey(`path=${path} type=ECC curve=secp384r1`);
      expect(theirs['changed']).toBe(false);
      expect(theirs['fingerprint']).toEqual(first.values['fingerprint']);
    }
    await cleanup();
  }, 60_000);

  it.runIf(oracle)("community.crypto's own RSA key: beastie reads it as wanted, with its fingerprints; another size is regenerated by both", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beastie-privatekey-'));
    try {
      const path = join(dir, 'rsa.pem');
      const theirs = ansibleKey(`path=${path} size=1024`);
      expect(theirs['changed']).toBe(true);
      const ours = await runLocal(openssl_privatekey, { path, size: 1024 });
      expect(ours.status).toBe('ok');
      expect(ours.values['fingerprint']).toEqual(theirs['fingerprint']);
      expect(Object.keys(ours.values).sort()).toEqual(Object.keys(theirs).filter((k) => ['filename', 'type', 'size', 'curve', 'fingerprint', 'backup_file', 'privatekey'].includes(k)).sort());
      const failedTheirs = ansibleKey(`path=${path} size=2048 regenerate=fail`);
      const failedOurs = await runLocal(openssl_privatekey, { path, size: 2048, regenerate: 'fail' });
      expect([failedOurs.status, failedOurs.msg]).toEqual(['failed', failedTheirs['msg']]);
      const again = await runLocal(openssl_privatekey, { path, size: 2048, backup: true });
      expect(again.status).toBe('changed');
      expect(again.values['backup_file']).toMatch(new RegExp(`^${path}\\.\\d+\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~$`));
      expect(ansibleKey(`path=${path} size=2048`)['changed']).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
