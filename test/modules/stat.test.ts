import { describe, expect, it } from 'vitest';
import stat, { parseMime, planStat, statOptions } from '../../modules/stat.js';
import type { PathStat } from '../../src/facts/path-stat.js';

const params = (p: Record<string, unknown>) => stat.params.parse({ path: '/p', ...p });
const found = (rawMode: number, over: Partial<Extract<PathStat, { exists: true }>> = {}): PathStat => ({
  exists: true,
  stat: { dev: 92, inode: 7, rawMode, nlink: 1, uid: 0, gid: 0, size: 12, atime: 1.5, mtime: 2.5, ctime: 3.5, blocks: 8, blockSize: 32768, rdev: 0, owner: 'root', group: 'wheel', flags: 0, birthtime: 1 },
  readable: true,
  writeable: true,
  executable: false,
  ...over,
});

describe('stat params', () => {
  it('takes Ansible\'s aliases and defaults (sha1, mime, attributes)', () => {
    expect(stat.params.parse({ dest: '/x' })).toEqual({ path: '/x', follow: false, get_checksum: true, checksum_algorithm: 'sha1', get_mime: true, get_attributes: true });
    expect(stat.params.parse({ name: '/x', checksum: 'sha256', mime: false })).toMatchObject({ path: '/x', checksum_algorithm: 'sha256', get_mime: false });
    expect(() => stat.params.parse({})).toThrow(/"path"/);
    expect(() => stat.params.parse({ path: '/x', checksum_algorithm: 'crc32' })).toThrow();
  });

  it('reads only what the parameters ask for', () => {
    expect(statOptions(params({ get_checksum: false, get_mime: false, follow: true }))).toEqual({ follow: true, checksum: undefined, mime: false });
    expect(statOptions(params({ checksum_algo: 'md5' }))).toEqual({ follow: false, checksum: 'md5', mime: true });
  });
});

describe('stat plan: Ansible\'s result dictionary', () => {
  it('a missing path: exists false only, never changed', () => {
    expect(planStat(params({}), { exists: false })).toEqual({ steps: [{ kind: 'noop', reason: '/p does not exist' }], values: { stat: { exists: false } } });
  });

  it('a regular file: type flags, mode as four octal digits, permission bits, names, checksum, mime', () => {
    const plan = planStat(params({}), found(0o104755, { checksum: 'ab'.repeat(20), mime: 'text/plain; charset=us-ascii' }));
    expect(plan.steps).toEqual([{ kind: 'noop', reason: '/p exists' }]);
    expect(plan.values?.['stat']).toEqual({
      exists: true, path: '/p', mode: '4755', isdir: false, ischr: false, isblk: false, isreg: true, isfifo: false, islnk: false, issock: false,
      uid: 0, gid: 0, size: 12, inode: 7, dev: 92, nlink: 1, atime: 1.5, mtime: 2.5, ctime: 3.5,
      wusr: true, rusr: true, xusr: true, wgrp: false, rgrp: true, xgrp: true, woth: false, roth: true, xoth: true, isuid: true, isgid: false,
      blocks: 8, block_size: 32768, device_type: 0, flags: 0, birthtime: 1, readable: true, writeable: true, executable: false,
      pw_name: 'root', gr_name: 'wheel', checksum: 'ab'.repeat(20), mimetype: 'text/plain', charset: 'us-ascii', attributes: [],
    });
  });

  it('a link not followed: islnk, lnk_target and lnk_source', () => {
    const values = planStat(params({ get_mime: false, get_attributes: false }), found(0o120755, { linkTarget: '../x', linkSource: '/x' })).values?.['stat'];
    expect(values).toMatchObject({ islnk: true, isreg: false, mode: '0755', lnk_target: '../x', lnk_source: '/x' });
    expect(values).not.toHaveProperty('mimetype');
    expect(values).not.toHaveProperty('attributes');
  });

  it('directories, devices, fifos and sockets', () => {
    const kind = (rawMode: number) => Object.entries(planStat(params({}), found(rawMode)).values?.['stat'] as Record<string, unknown>).filter(([k, v]) => k.startsWith('is') && v === true).map(([k]) => k);
    expect(kind(0o040755)).toEqual(['isdir']);
    expect(kind(0o020666)).toEqual(['ischr']);
    expect(kind(0o060640)).toEqual(['isblk']);
    expect(kind(0o010644)).toEqual(['isfifo']);
    expect(kind(0o140777)).toEqual(['issock']);
  });

  it('mime text as file(1) -i prints it, else unknown', () => {
    expect(parseMime('application/x-executable; charset=binary')).toEqual(['application/x-executable', 'binary']);
    expect(parseMime(undefined)).toEqual(['unknown', 'unknown']);
  });
});
