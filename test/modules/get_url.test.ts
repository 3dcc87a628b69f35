import { describe, expect, it } from 'vitest';
import get_url, { downloadCommand, planGetUrl, registerGetUrl, urlFilename } from '../../modules/get_url.js';
import { CHMOD_NOFOLLOW } from '../../modules/support/file-attributes.js';
import { ENTER_PRIVATE_DIRECTORY } from '../../src/transport/install-file.js';

const URL = 'https://download.freebsd.org/releases/ISO-IMAGES/14.1/FreeBSD-14.1-RELEASE-amd64-bootonly.iso.xz';
const g = (p: Record<string, unknown>) => get_url.params.parse({ url: URL, dest: '/vms/img.xz', ...p });
const file = (size = 10) => ({ type: 'file' as const, mode: 0o644, owner: 'root', group: 'wheel', size });
const none = { dest: undefined, destDigest: undefined, inDir: undefined, inDirDigest: undefined };
const view = (plan: ReturnType<typeof planGetUrl>) => plan.failure ?? plan.steps.flatMap((s) => (s.kind === 'noop' ? [`noop: ${s.reason}`] : s.actions.map((a) => (a.kind === 'run' ? a.command.text.replace(CHMOD_NOFOLLOW.text, "-h").slice(0, 40) : ''))));
const SUM = 'a'.repeat(64);

describe('get_url plan', () => {
  it.each([
    ['downloads a missing file', {}, none, ['umask 077\ntarget=/vms/img.xz\ndir=/vms\nca']],
    ['an existing file is kept without force', {}, { ...none, dest: file() }, ['noop: file already exists: /vms/img.xz']],
    ['force downloads again', { force: true }, { ...none, dest: file() }, ['umask 077\ntarget=/vms/img.xz\ndir=/vms\nca']],
    ['a matching checksum is kept', { checksum: `sha256:${SUM}` }, { ...none, dest: file(), destDigest: SUM }, ['noop: /vms/img.xz has the checksum']],
    ['a different checksum downloads', { checksum: `sha256:${SUM}` }, { ...none, dest: file(), destDigest: 'b'.repeat(64) }, ['umask 077\ntarget=/vms/img.xz\ndir=/vms\nca']],
    ['a directory dest takes the URL\'s name', { dest: '/vms/.iso' }, { ...none, dest: { ...file(), type: 'directory' as const }, inDir: file() }, ['noop: file already exists: /vms/.iso/FreeBSD-14.1-RELEASE-amd64-bootonly.iso.xz']],
    ['mode on a kept file', { mode: '0600' }, { ...none, dest: file() }, ['chmod -h 0600 /vms/img.xz']],
  ])('%s', (_name, p, facts, expected) => {
    expect(view(planGetUrl(g(p), facts))).toEqual(expected);
  });

  it('the download verifies the checksum before the rename, and registers what Ansible does', () => {
    const text = downloadCommand(g({ checksum: `sha256:${SUM}`, validate_certs: false }), '/vms/img.xz').text;
    expect(text).toContain(`fetch -q -T 10 --no-verify-peer --no-verify-hostname -o f ${URL}`);
    // into the private directory the install script makes and checks (mktemp -d, cd -P, refused when swapped)
    expect(text).toContain(ENTER_PRIVATE_DIRECTORY.text);
    expect(text.indexOf(ENTER_PRIVATE_DIRECTORY.text)).toBeLessThan(text.indexOf('fetch -q'));
    expect(text.indexOf(`[ "$got" = ${SUM} ]`)).toBeLessThan(text.indexOf('mv -f $nofollow f "$target"'));
    expect(registerGetUrl([{ stdout: `${'c'.repeat(40)} 98332812\n` } as never])).toEqual({ checksum_src: 'c'.repeat(40), checksum_dest: 'c'.repeat(40), size: 98332812, status_code: 200, msg: 'OK (98332812 bytes)' });
    expect(urlFilename('https://x.org/a/b.tar.gz?x=1')).toBe('b.tar.gz');
  });

  it('refuses bad checksums and URLs at load', () => {
    expect(() => g({ checksum: 'crc32:abc' })).toThrow(/<algorithm>:<checksum>/);
    expect(() => g({ checksum: 'sha256:https://x/SHA256SUMS' })).toThrow(/checksum URL/);
    expect(() => g({ checksum: 'sha1:abc' })).toThrow(/40 hexadecimal/);
    expect(() => g({ url: 'gopher://x' })).toThrow(/URL/);
  });
});
