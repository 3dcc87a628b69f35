import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import find, { planFind } from '../../modules/find.js';
import type { PathStatRecord } from '../../src/facts/path-stat.js';
import { runLocal } from './helpers/three-way.js';

const f = (p: Record<string, unknown>) => find.params.parse({ paths: '/d', ...p });
const rec = (rawMode: number, over: Partial<PathStatRecord> = {}): PathStatRecord => ({ dev: 1, inode: 1, rawMode, nlink: 1, uid: 0, gid: 0, size: 100, atime: 1000, mtime: 1000, ctime: 1000, blocks: 0, blockSize: 0, rdev: 0, owner: 'root', group: 'wheel', ...over });
const facts = { now: 1000 + 86400 * 10, missing: [], checksums: new Map(), containing: new Set(['/d/a.log']),
  entries: [
    { path: '/d/a.log', stat: rec(0o100644, { size: 5000 }) },
    { path: '/d/b.conf', stat: rec(0o100600, { mtime: 1000 + 86400 * 10 }) },
    { path: '/d/.hidden.log', stat: rec(0o100644) },
    { path: '/d/sub', stat: rec(0o040755) },
    { path: '/d/link', stat: rec(0o120777) },
  ] };
const paths = (p: Record<string, unknown>) => (planFind(f(p), facts).values?.['files'] as { path: string }[]).map((x) => x.path);

describe('find filters (Ansible\'s pfilter, agefilter, sizefilter, contentfilter)', () => {
  it.each([
    ['files by default, no hidden', {}, ['/d/a.log', '/d/b.conf']],
    ['globs', { patterns: '*.log' }, ['/d/a.log']],
    ['hidden', { patterns: ['*.log'], hidden: true }, ['/d/a.log', '/d/.hidden.log']],
    ['regex from the start', { patterns: ['b\\.'], use_regex: true }, ['/d/b.conf']],
    ['excludes', { excludes: '*.conf' }, ['/d/a.log']],
    ['directories', { file_type: 'directory' }, ['/d/sub']],
    ['any', { file_type: 'any' }, ['/d/a.log', '/d/b.conf', '/d/sub', '/d/link']],
    ['older than a week', { age: '1w' }, ['/d/a.log']],
    ['newer than a day', { age: '-1d' }, ['/d/b.conf']],
    ['at least 1k', { size: '1k' }, ['/d/a.log']],
    ['contains', { contains: 'ERROR' }, ['/d/a.log']],
  ])('%s', (_name, p, expected) => {
    expect(paths(p)).toEqual(expected);
  });

  it('registers files with stat keys, matched, examined, msg', () => {
    const values = planFind(f({ patterns: '*.log' }), facts).values;
    expect(values).toMatchObject({ matched: 1, examined: 5, msg: 'All paths examined', files: [{ path: '/d/a.log', mode: '0644', isreg: true, size: 5000, pw_name: 'root', gr_name: 'wheel' }] });
    expect(() => f({ age: '2 days' })).toThrow(/an age/);
  });
});

describe('find on the local connection (GNU stat here)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beastie-find-'));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'a.log'), 'an ERROR here\n');
    await writeFile(join(dir, 'sub', 'b.log'), 'fine\n');
    await writeFile(join(dir, 'name with space.log'), 'x\n');
    await symlink('a.log', join(dir, 'l.log'));
    await utimes(join(dir, 'sub', 'b.log'), new Date('2020-01-01'), new Date('2020-01-01'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('walks, stats in bulk, recurses, checks content and checksums', async () => {
    const flat = await runLocal(find, { paths: dir, patterns: '*.log' });
    expect(flat.status).toBe('ok');
    expect((flat.values['files'] as { path: string }[]).map((x) => x.path).sort()).toEqual([join(dir, 'a.log'), join(dir, 'name with space.log')]);
    const deep = await runLocal(find, { paths: [dir, '/nonexistent-beastie'], patterns: ['*.log'], recurse: true, age: '1w', get_checksum: true });
    expect(deep.values).toMatchObject({ matched: 1, files: [{ path: join(dir, 'sub', 'b.log'), checksum: expect.stringMatching(/^[0-9a-f]{40}$/) }], skipped_paths: { '/nonexistent-beastie': expect.stringContaining('was skipped') } });
    const containing = await runLocal(find, { paths: dir, contains: 'ERR[O]R', recurse: true });
    expect((containing.values['files'] as { path: string }[]).map((x) => x.path)).toEqual([join(dir, 'a.log')]);
    const links = await runLocal(find, { paths: dir, file_type: 'link' });
    expect(links.values).toMatchObject({ files: [{ path: join(dir, 'l.log'), islnk: true }] });
  });

  it("tells a missing path by a section of the frame's own, never by text: a directory holding only '@@missing@@' is walked", async () => {
    // Before, a path that was not a directory printed the fixed line @@missing@@ into its stat section.
    const odd = join(dir, 'odd');
    await mkdir(odd);
    await writeFile(join(odd, '@@missing@@'), '@@missing@@\n');
    const result = await runLocal(find, { paths: [odd, join(dir, 'absent'), join(dir, 'a.log')], patterns: '*' });
    expect(result.values).toMatchObject({ matched: 1, files: [{ path: join(odd, '@@missing@@') }] });
    expect(Object.keys(result.values['skipped_paths'] as Record<string, string>).sort()).toEqual([join(dir, 'a.log'), join(dir, 'absent')]);
  });
});

describe('find and hostile file names (a name with a newline, forged lines, a leading -)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beastie-find-names-'));
    await writeFile(join(dir, 'clean.log'), 'fine\n');
    await writeFile(join(dir, '-q.log'), 'an ERROR\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /**
   * A directory whose name is `x`, a newline and `line`, holding the whole of `dir` again below it: a
   * file FILE there has the path `dir/x⏎LINE` + `dir/FILE`, so its second line is LINE + `dir/FILE`,
   * what a host user who can write `dir` makes to forge a line naming any path.
   */
  async function forging(line: string, file: string, text: string): Promise<string> {
    const below = join(dir, `x${line.length}\n${line}`) + dir;
    await mkdir(below, { recursive: true });
    await writeFile(join(below, file), text);
    return join(below, file);
  }

  it('never adds an entry a name made of a newline and a whole stat line forges, nor takes a checksum or content match another name lists', async () => {
    // A line of the old GNU format (fields, then the path last) for a file the directory does not
    // hold; a line `DIGEST  PATH` as sha1sum prints; a line PATH as grep -l prints. Before, each of
    // these was read as the host's: an entry, the clean file's checksum, the clean file matching.
    const fields = '66306 1 81a4 1 0 0 7 1000000000.000000000 1000000000.000000000 1000000000.000000000 root root ';
    const forgedEntry = await forging(fields, 'forged.log', 'x\n');
    const forgedSum = await forging(`${'0'.repeat(40)}  `, 'clean.log', 'x\n');
    const forgedMatch = await forging('', 'clean.log', 'an ERROR\n');
    const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
    const all = await runLocal(find, { paths: dir, patterns: '*.log', recurse: true, get_checksum: true });
    const files = all.values['files'] as { path: string; checksum?: string }[];
    expect(files.map((x) => x.path).sort()).toEqual([join(dir, '-q.log'), join(dir, 'clean.log'), forgedEntry, forgedSum, forgedMatch].sort());
    expect(files.map((x) => x.path)).not.toContain(join(dir, 'forged.log'));
    expect(files.find((x) => x.path === join(dir, 'clean.log'))?.checksum).toBe(sha1('fine\n'));
    expect(files.find((x) => x.path === join(dir, '-q.log'))?.checksum).toBe(sha1('an ERROR\n'));
    expect(files.find((x) => x.path === forgedEntry)?.checksum).toBe(sha1('x\n'));
    const containing = await runLocal(find, { paths: dir, patterns: '*.log', recurse: true, contains: 'ERROR' });
    expect((containing.values['files'] as { path: string }[]).map((x) => x.path).sort()).toEqual([join(dir, '-q.log'), forgedMatch].sort());
  });
});

describe("find's search paths", () => {
  it.each(['-delete', '!', '('])('walks %s, a relative path find(1) would read as part of its expression, and names what it finds under it', async (path) => {
    const dir = await mkdtemp(join(tmpdir(), 'beastie-find-operand-'));
    const cwd = process.cwd();
    try {
      await mkdir(join(dir, path));
      await writeFile(join(dir, path, 'a.log'), 'an ERROR\n');
      await writeFile(join(dir, 'outside.log'), 'an ERROR\n');
      process.chdir(dir);
      const found = await runLocal(find, { paths: [path], patterns: '*.log', get_checksum: true, contains: 'ERROR' });
      expect(found.status).toBe('ok');
      expect((found.values['files'] as { path: string; checksum?: string }[]).map((x) => [x.path, x.checksum])).toEqual([[`${path}/a.log`, createHash('sha1').update('an ERROR\n').digest('hex')]]);
      // nothing was deleted or walked outside it
      expect((await runLocal(find, { paths: ['.'], patterns: '*.log', recurse: true })).values['matched']).toBe(2);
    } finally {
      process.chdir(cwd);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
