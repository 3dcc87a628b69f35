import { describe, expect, it } from 'vitest';
import { parsePathStat, parseStatLine, pathStatFact } from '../../src/facts/path-stat.js';
import { readFacts } from '../../src/facts/read-facts.js';
import { LocalTransport } from '../../src/transport/local.js';
import { sectionsOutput } from '../helpers/sections-output.js';

const out = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });

describe('parseStatLine', () => {
  it('reads FreeBSD stat -f (octal st_mode, %F times, st_flags, birthtime)', () => {
    expect(parseStatLine('bsd 92 1033 100644 1 0 0 1340 1700000000.123456789 1700000001.000000000 1700000002.5 8 32768 0 root wheel 2048 1699999999.000000000')).toEqual({
      dev: 92, inode: 1033, rawMode: 0o100644, nlink: 1, uid: 0, gid: 0, size: 1340, atime: 1700000000.123456789, mtime: 1700000001, ctime: 1700000002.5,
      blocks: 8, blockSize: 32768, rdev: 0, owner: 'root', group: 'wheel', flags: 2048, birthtime: 1699999999,
    });
  });

  it('reads GNU stat -c (hex st_mode)', () => {
    expect(parseStatLine('gnu 65024 1196069 81a4 1 0 0 1340 1.5 2.5 3.5 8 4096 0 root root')).toMatchObject({ rawMode: 0o100644, mtime: 2.5, owner: 'root' });
    expect(parseStatLine('gnu 1 2 3')).toBeUndefined();
  });

  it('splits the sections: access, link, source, checksum, mime', () => {
    const stdout = '@@section stat@@\nbsd 1 2 120755 1 0 0 4 1 1 1 0 4096 0 root wheel 0 1\n@@section access@@\narx\n@@section link@@\ndash\n@@section source@@\n/bin/dash\n@@section checksum@@\n@@section mime@@\ninode/symlink; charset=binary\n';
    expect(parsePathStat(out(sectionsOutput(stdout)), { follow: false, checksum: 'sha1', mime: true })).toMatchObject({
      exists: true, readable: true, writeable: false, executable: true, linkTarget: 'dash', linkSource: '/bin/dash', mime: 'inode/symlink; charset=binary',
    });
    expect(parsePathStat(out('absent\n'), { follow: false, mime: false })).toEqual({ exists: false });
  });
});

describe('pathStatFact on this machine', () => {
  it('reads a file, a link followed and not, and a missing path in one round trip', async () => {
    const [file, link, followed, missing] = await readFacts(new LocalTransport(), [
      pathStatFact('/etc/passwd', { follow: false, checksum: 'sha256', mime: false }),
      pathStatFact('/bin/sh', { follow: false, checksum: 'sha1', mime: false }),
      pathStatFact('/bin/sh', { follow: true, checksum: 'md5', mime: false }),
      pathStatFact('/nonexistent/x', { follow: false, mime: false }),
    ]);
    expect(file).toMatchObject({ exists: true, stat: { owner: 'root' }, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(link).toMatchObject({ exists: true, stat: { rawMode: expect.any(Number) }, linkTarget: expect.any(String) });
    expect(link).not.toHaveProperty('checksum');
    expect(followed).toMatchObject({ exists: true, checksum: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(missing).toEqual({ exists: false });
  });
});
