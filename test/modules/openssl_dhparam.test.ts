// community.crypto.openssl_dhparam as its openssl backend (DHParameterOpenSSL) on the base system's
// openssl(1): plans, the parsing of `openssl dhparam -check -text -noout`, three ways locally and
// against community.crypto 2.14 itself (the oracle, when installed), which takes beastie's file as valid.
import { spawnSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import openssl_dhparam, { parseDhFile, planDhparam, type DhFile } from '../../modules/openssl_dhparam.js';
import type { FileStat } from '../../src/facts/file-stat.js';
import { threeWay } from './helpers/three-way.js';

const params = (p: Record<string, unknown>) => openssl_dhparam.params.parse({ path: '/etc/ssl/dh.pem', ...p });
const f = (over: Partial<FileStat> = {}): FileStat => ({ type: 'file', mode: 0o644, owner: 'root', group: 'wheel', size: 424, ...over });
const plan = (p: Record<string, unknown>, dh: DhFile, s: FileStat | undefined = f()) => {
  const out = planDhparam(params(p), dh, s);
  return out.failure ?? out.steps.map((step) => (step.kind === 'noop' ? 'noop' : step.summary));
};
const valid = (bits: number): DhFile => ({ baseDir: true, exists: true, bits });

describe('openssl_dhparam plan', () => {
  it.each([
    ['nothing there: generate', {}, { baseDir: true, exists: false }, ['generate 4096-bit DH parameters /etc/ssl/dh.pem']],
    ['valid, the wanted size', {}, valid(4096), ['noop']],
    ['another size', { size: 2048 }, valid(4096), ['regenerate 2048-bit DH parameters /etc/ssl/dh.pem']],
    ['broken or weak (no bits read)', {}, { baseDir: true, exists: true }, ['regenerate 4096-bit DH parameters /etc/ssl/dh.pem']],
    ['force', { force: true }, valid(4096), ['regenerate 4096-bit DH parameters /etc/ssl/dh.pem']],
    ['another mode', { mode: '0600' }, valid(4096), ['/etc/ssl/dh.pem: mode 0644 → 0600']],
    ['no directory', {}, { baseDir: false, exists: false }, "The directory '/etc/ssl' does not exist or the file is not a directory"],
    ['absent', { state: 'absent' }, valid(4096), ['remove /etc/ssl/dh.pem']],
    ['absent, nothing there', { state: 'absent' }, { baseDir: true, exists: false }, ['noop']],
  ] as [string, Record<string, unknown>, DhFile, string[] | string][])('%s', (_name, p, dh, expected) => {
    expect(plan(p, dh)).toEqual(expected);
  });

  it('an existing file keeps its mode and owner through the rename (atomic_move); a new one gets 0666 less the umask', () => {
    const texts = (s: FileStat | undefined) => {
      const step = planDhparam(params({ size: 2048 }), s === undefined ? { baseDir: true, exists: false } : valid(1024), s).steps[0];
      return step?.kind === 'change' ? step.actions.map((a) => (a.kind === 'run' ? a.command.text : '')) : [];
    };
    expect(texts(f({ mode: 0o640, owner: 'www', group: 'www' }))[0]).toContain('openssl dhparam -out f 2048 2>/dev/null && chmod 0640 f && chown www:www f && mv -f $nofollow f "$target";');
    expect(texts(undefined)[0]).toContain('chmod "$(printf %o $((0666 & ~$(umask))))" f');
    expect(planDhparam(params({ return_content: true }), valid(4096), f()).values).toEqual({ size: 4096, filename: '/etc/ssl/dh.pem', dhparams: null });
  });

  it("reads _check_params_valid's way: exit 0, '(N bit)', no WARNING", () => {
    const read = (text: string) => parseDhFile({ stdout: `basedir\nexists\n${text}\n`, stderr: '', exitCode: 0 });
    expect(read('    DH Parameters: (2048 bit)\n    P:\nDH parameters appear to be ok.\nrc 0')).toEqual(valid(2048));
    expect(read('    DH Parameters: (2048 bit)\nWARNING: p value is not prime\nrc 0')).toEqual({ baseDir: true, exists: true });
    expect(read('unable to load DH parameters\nrc 1')).toEqual({ baseDir: true, exists: true });
  });
});

const oracle = spawnSync('ansible-doc', ['-l', 'community.crypto'], { encoding: 'utf8' }).stdout.includes('openssl_dhparam');

describe('openssl_dhparam on the local connection', () => {
  it('three ways: 512-bit parameters; community.crypto finds them valid', async () => {
    const { dir, first, cleanup } = await threeWay({ module: openssl_dhparam, params: (d) => ({ path: join(d, 'dh.pem'), size: 512, mode: '0640' }) });
    const path = join(dir, 'dh.pem');
    expect((await stat(path)).mode & 0o777).toBe(0o640);
    expect(first.values).toMatchObject({ size: 512, filename: path });
    expect(first.values).not.toHaveProperty('dhparams');
    if (oracle) {
      for (const backend of ['openssl', 'cryptography']) {
        const run = spawnSync('ansible', ['localhost', '-m', 'community.crypto.openssl_dhparam', '-a', `path=${path} size=512 mode=0640 select_crypto_backend=${backend}`], {
          encoding: 'utf8',
          env: { ...process.env, ANSIBLE_LOAD_CALLBACK_PLUGINS: '1', ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOCALHOST_WARNING: 'false' },
        });
        const result = (JSON.parse(run.stdout) as { plays: { tasks: { hosts: Record<string, Record<string, unknown>> }[] }[] }).plays[0]?.tasks[0]?.hosts['localhost'];
        expect([backend, result?.['changed'], result?.['failed']]).toEqual([backend, false, undefined]);
      }
    }
    await cleanup();
  }, 120_000);
});
