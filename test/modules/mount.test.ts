import { describe, expect, it } from 'vitest';
import mount, { editFstab, escapeFstab, fstabLine, planMount } from '../../modules/mount.js';

const m = (p: Record<string, unknown>) => mount.params.parse({ path: '/dev/fd', src: 'fdesc', fstype: 'fdescfs', state: 'mounted', ...p });
const fstab = (text: string, mounted: string[] = []) => ({ fstab: { kind: 'file' as const, content: Buffer.from(text) }, stat: { type: 'file' as const, mode: 0o644, owner: 'root', group: 'wheel', size: text.length }, mounted });
const view = (plan: ReturnType<typeof planMount>) => plan.failure ?? plan.steps.flatMap((s) => (s.kind === 'noop' ? [`noop: ${s.reason}`] : s.actions.map((a) => (a.kind === 'run' ? a.command.text : `put ${a.path}: ${String(a.content)}`))));

describe('mount fstab lines', () => {
  it('writes fstab(5) lines, escapes spaces, noauto without boot', () => {
    expect(fstabLine(m({}))).toBe('fdesc\t/dev/fd\tfdescfs\trw\t0\t0\n');
    expect(fstabLine(m({ path: '/mnt/my disk', src: '/dev/da0', fstype: 'msdosfs', boot: false }))).toBe('/dev/da0\t/mnt/my\\040disk\tmsdosfs\trw,noauto\t0\t0\n');
    expect(escapeFstab('a\\b')).toBe('a\\134b');
  });
  it('replaces the path\'s line, keeps an equivalent one, appends, removes', () => {
    const text = '# Device\tMountpoint\n/dev/ada0p2\t/\tufs\trw\t1\t1\nfdesc /dev/fd fdescfs ro 0 0\n';
    expect(editFstab(text, m({}), true)).toBe('# Device\tMountpoint\n/dev/ada0p2\t/\tufs\trw\t1\t1\nfdesc\t/dev/fd\tfdescfs\trw\t0\t0\n');
    expect(editFstab('fdesc  /dev/fd  fdescfs  rw  0  0\n', m({}), true)).toBe('fdesc  /dev/fd  fdescfs  rw  0  0\n');
    expect(editFstab('/dev/ada0p2\t/\tufs\trw\t1\t1', m({}), true)).toBe('/dev/ada0p2\t/\tufs\trw\t1\t1\nfdesc\t/dev/fd\tfdescfs\trw\t0\t0\n');
    expect(editFstab(text, m({ state: 'absent' }), false)).toBe('# Device\tMountpoint\n/dev/ada0p2\t/\tufs\trw\t1\t1\n');
  });
});

describe('mount plan', () => {
  it.each([
    ['mounted: line and mount', {}, fstab(''), ['put /etc/fstab: fdesc\t/dev/fd\tfdescfs\trw\t0\t0\n', 'mkdir -p /dev/fd && mount /dev/fd']],
    ['mounted already', {}, fstab('fdesc\t/dev/fd\tfdescfs\trw\t0\t0\n', ['/dev/fd']), ['noop: /etc/fstab is up to date']],
    ['present: the line only', { state: 'present' }, fstab(''), ['put /etc/fstab: fdesc\t/dev/fd\tfdescfs\trw\t0\t0\n']],
    ['unmounted', { state: 'unmounted' }, fstab('', ['/dev/fd']), ['umount /dev/fd']],
    ['unmounted already', { state: 'unmounted' }, fstab(''), ['noop: /dev/fd is not mounted']],
    ['absent: line and mount', { state: 'absent' }, fstab('fdesc\t/dev/fd\tfdescfs\trw\t0\t0\n', ['/dev/fd']), ['put /etc/fstab: ', 'umount /dev/fd']],
  ])('%s', (_name, p, facts, expected) => {
    expect(view(planMount(m(p), facts))).toEqual(expected);
  });
  it('refuses what Ansible refuses', () => {
    expect(() => mount.params.parse({ path: '/mnt', state: 'mounted' })).toThrow(/missing: src, fstype/);
    expect(() => m({ opts: 'rw\tx' })).toThrow(/no tab/);
    expect(mount.params.parse({ name: '/mnt', state: 'unmounted' })).toMatchObject({ path: '/mnt' });
  });
});
