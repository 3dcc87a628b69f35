import { chmod, mkdtemp, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileStatFact, parseFileStat } from '../../src/facts/file-stat.js';
import { readFacts } from '../../src/facts/read-facts.js';
import { LocalTransport } from '../../src/transport/local.js';

const out = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });

describe('parseFileStat', () => {
  it('reads FreeBSD stat -f output (octal st_mode)', () => {
    expect(parseFileStat(out('bsd 100644 root wheel 1234\n'))).toEqual({ type: 'file', mode: 0o644, owner: 'root', group: 'wheel', size: 1234 });
    expect(parseFileStat(out('bsd 41777 root wheel 512\n'))).toMatchObject({ type: 'directory', mode: 0o1777 });
    expect(parseFileStat(out('bsd 120755 root wheel 7\nlink /usr/bin\n'))).toMatchObject({ type: 'link', linkTarget: '/usr/bin' });
  });

  it('reads GNU stat -c output (hex st_mode)', () => {
    expect(parseFileStat(out('gnu 81a4 root root 3\n'))).toEqual({ type: 'file', mode: 0o644, owner: 'root', group: 'root', size: 3 });
    expect(parseFileStat(out('gnu 41ed www www 4096\n'))).toMatchObject({ type: 'directory', mode: 0o755 });
    expect(parseFileStat(out('gnu 21b6 root root 0\n'))).toMatchObject({ type: 'other' });
  });

  it('says absent when nothing is there', () => {
    expect(parseFileStat(out('absent\n'))).toBeUndefined();
  });
});

describe('fileStatFact on this machine', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beastie-stat-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads files, directories, links (also dangling) and absence in one round trip', async () => {
    await writeFile(join(dir, 'f'), 'abc');
    await chmod(join(dir, 'f'), 0o640);
    await mkdir(join(dir, 'd'));
    await chmod(join(dir, 'd'), 0o750);
    await symlink('nowhere', join(dir, "it's a link"));
    const facts = ['f', 'd', "it's a link", 'missing'].map((name) => fileStatFact(join(dir, name)));
    const [file, directory, link, missing] = await readFacts(new LocalTransport(), facts);
    const me = userInfo().username;
    expect(file).toMatchObject({ type: 'file', mode: 0o640, size: 3, owner: me });
    expect(directory).toMatchObject({ type: 'directory', mode: 0o750 });
    expect(link).toMatchObject({ type: 'link', linkTarget: 'nowhere' });
    expect(missing).toBeUndefined();
  });
});
