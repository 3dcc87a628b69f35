// community.crypto.openssl_csr (subject and subjectAltName) on the base system's openssl(1): plans as
// module_backends/csr.py _check_csr decides, the parsing of openssl req's output, three ways locally
// and against community.crypto 2.14 itself (the oracle, when installed): it takes beastie's request as
// its own (not changed), and beastie takes community.crypto's.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import openssl_csr, { csrAsWanted, parseCsrFile, planCsr, subjectArgument, wantedAltNames, type CsrFile } from '../../modules/openssl_csr.js';
import type { FileStat } from '../../src/facts/file-stat.js';
import { runLocal, threeWay } from './helpers/three-way.js';

const params = (p: Record<string, unknown>) => openssl_csr.params.parse({ path: '/etc/ssl/r.csr', privatekey_path: '/etc/ssl/k.pem', ...p });
const f = (over: Partial<FileStat> = {}): FileStat => ({ type: 'file', mode: 0o644, owner: 'root', group: 'wheel', size: 500, ...over });
const csr = (over: Partial<CsrFile> = {}): CsrFile => ({
  baseDir: true, exists: true, readable: true, subject: [['CN', 'www.example.org']], altNames: ['DNS:www.example.org'], altNamesCritical: false, otherExtensions: [], signatureValid: true, csrPublic: 'aa', keyPublic: 'aa', ...over,
});
const plan = (p: Record<string, unknown>, c: CsrFile) => {
  const out = planCsr(params(p), c, f());
  return out.failure ?? out.steps.map((step) => (step.kind === 'noop' ? 'noop' : step.summary));
};

describe('openssl_csr plan', () => {
  const regenerate = ['regenerate the request /etc/ssl/r.csr for /CN=www.example.org'];
  it.each([
    ['nothing there', {}, { baseDir: true, exists: false, keyPublic: 'aa' }, ['generate the request /etc/ssl/r.csr for /CN=www.example.org']],
    ['as wanted (SAN DNS:CN by default)', {}, csr(), ['noop']],
    ['another CN', { common_name: 'other.example.org' }, csr(), ['regenerate the request /etc/ssl/r.csr for /CN=other.example.org']],
    ['subject order does not count', { O: 'Example' }, csr({ subject: [['CN', 'www.example.org'], ['O', 'Example']] }), ['noop']],
    ['no SAN wanted, one there', { use_common_name_for_san: false }, csr(), regenerate],
    ['SAN criticality differs', { subject_alt_name_critical: true }, csr(), regenerate],
    ['an extension beastie does not ask for', {}, csr({ otherExtensions: ['X509v3 Key Usage'] }), regenerate],
    ['signed by another key', {}, csr({ csrPublic: 'bb' }), regenerate],
    ['bad signature', {}, csr({ signatureValid: false }), regenerate],
    ['broken file', {}, csr({ readable: false }), regenerate],
    ['force', { force: true }, csr(), regenerate],
    ['unreadable key', {}, csr({ keyPublic: undefined as never }), 'Error while reading private key /etc/ssl/k.pem: openssl pkey cannot read it without a passphrase'],
    ['no directory', {}, { baseDir: false, exists: false }, 'The directory /etc/ssl does not exist or the file is not a directory'],
    ['absent', { state: 'absent' }, csr(), ['remove /etc/ssl/r.csr']],
  ] as [string, Record<string, unknown>, CsrFile, string[] | string][])('%s', (_name, p, c, expected) => {
    expect(plan({ common_name: 'www.example.org', ...p }, c)).toEqual(expected);
  });

  it('subject, SAN and the request command as community.crypto builds them', () => {
    const p = params({ C: 'FI', organization_name: 'A/B+C', CN: 'w', subject: { title: 'x' }, subject_alt_name: ['DNS:w', 'IP:10.0.0.1'], subject_alt_name_critical: true });
    expect(subjectArgument([['C', 'FI'], ['O', 'A/B+C'], ['CN', 'w'], ['title', 'x']])).toBe('/C=FI/O=A\\/B\\+C/CN=w/title=x');
    expect(wantedAltNames(p)).toEqual(['DNS:w', 'IP:10.0.0.1']);
    const step = planCsr(p, { baseDir: true, exists: false, keyPublic: 'aa' }, undefined).steps[0];
    const text = step?.kind === 'change' && step.actions[0]?.kind === 'run' ? step.actions[0].command.text : '';
    expect(text).toContain('key=/etc/ssl/k.pem\n');
    // written as f in the install script's private directory, renamed over the path without following a link
    expect(text).toContain("openssl req -new -key \"$key\" -subj '/C=FI/O=A\\/B\\+C/CN=w/title=x' -addext subjectAltName=critical,DNS:w,IP:10.0.0.1 -sha256 -out f");
    expect(text).toContain('mv -f $nofollow f "$target"');
    expect(() => params({ key_usage: ['digitalSignature'] })).toThrow();
    expect(() => params({ subject_alt_name: ['w'] })).toThrow(/Cannot parse Subject Alternative Name/);
  });

  it('reads openssl req: subject lines, requested extensions, verify, public keys', () => {
    const out = parseCsrFile({
      stdout: ['basedir', 'keypub 3059', 'exists', '[subject]', 'subject=', '    C = FI', '    CN = www.example.org', '[text]', 'Certificate Request:', '    Data:', '        Attributes:', '            Requested Extensions:', '                X509v3 Subject Alternative Name: critical', '                    DNS:www.example.org, IP Address:10.0.0.1', '                X509v3 Key Usage: critical', '                    Digital Signature', '    Signature Algorithm: ecdsa-with-SHA256', '[verify]', 'Certificate request self-signature verify OK', 'csrpub 3059', ''].join('\n'),
      stderr: '',
      exitCode: 0,
    });
    expect(out).toEqual({ baseDir: true, keyPublic: '3059', exists: true, readable: true, subject: [['C', 'FI'], ['CN', 'www.example.org']], altNames: ['DNS:www.example.org', 'IP:10.0.0.1'], altNamesCritical: true, otherExtensions: ['X509v3 Key Usage'], signatureValid: true, csrPublic: '3059' });
    expect(csrAsWanted(params({ C: 'FI', CN: 'www.example.org', subject_alt_name: ['IP:10.0.0.1', 'DNS:www.example.org'], subject_alt_name_critical: true }), { ...out, otherExtensions: [] })).toBe(true);
  });
});

const oracle = spawnSync('ansible-doc', ['-l', 'community.crypto'], { encoding: 'utf8' }).stdout.includes('openssl_csr ');

function ansibleCsr(args: string): Record<string, unknown> {
  const run = spawnSync('ansible', ['localhost', '-m', 'community.crypto.openssl_csr', '-a', args], {
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_LOAD_CALLBACK_PLUGINS: '1', ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOCALHOST_WARNING: 'false' },
  });
  return (JSON.parse(run.stdout) as { plays: { tasks: { hosts: Record<string, Record<string, unknown>> }[] }[] }).plays[0]?.tasks[0]?.hosts['localhost'] ?? {};
}

describe('openssl_csr on the local connection, against community.crypto', () => {
  it('three ways; each takes the other\'s request as wanted; a changed SAN is regenerated by both', async () => {
    const keyDir = await mkdtemp(join(tmpdir(), 'beastie-csr-key-'));
    try {
      const key = join(keyDir, 'k.pem');
      await writeFile(key, execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']));
      const { dir, first, cleanup } = await threeWay({ module: openssl_csr, params: (d) => ({ path: join(d, 'r.csr'), privatekey_path: key, CN: 'www.example.org', O: 'Example/Org' }) });
      const path = join(dir, 'r.csr');
      expect(first.values).toMatchObject({ filename: path, privatekey: key, subject: [['O', 'Example/Org'], ['CN', 'www.example.org']], subjectAltName: ['DNS:www.example.org'] });
      expect(execFileSync('openssl', ['req', '-in', path, '-noout', '-subject', '-nameopt', 'RFC2253'], { encoding: 'utf8' })).toBe('subject=CN=www.example.org,O=Example/Org\n');
      if (oracle) {
        expect(ansibleCsr(`path=${path} privatekey_path=${key} common_name=www.example.org organization_name=Example/Org`)['changed']).toBe(false);
        const theirs = join(dir, 'theirs.csr');
        expect(ansibleCsr(`path=${theirs} privatekey_path=${key} common_name=www.example.org subject_alt_name=DNS:www.example.org,IP:10.0.0.1`)['changed']).toBe(true);
        expect((await runLocal(openssl_csr, { path: theirs, privatekey_path: key, common_name: 'www.example.org', subject_alt_name: ['DNS:www.example.org', 'IP:10.0.0.1'] })).status).toBe('ok');
        expect((await runLocal(openssl_csr, { path: theirs, privatekey_path: key, common_name: 'www.example.org' })).status).toBe('changed');
        expect(ansibleCsr(`path=${theirs} privatekey_path=${key} common_name=www.example.org`)['changed']).toBe(false);
      }
      await cleanup();
    } finally {
      await rm(keyDir, { recursive: true, force: true });
    }
  }, 120_000);
});
