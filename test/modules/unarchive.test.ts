import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import unarchive, { entryDifference, handlerName, planUnarchive, type UnarchiveFacts } from '../../modules/unarchive.js';
import { parseArchiveEntries, parseArchiveManifest } from '../../src/facts/archive-manifest.js';
import type { PathStat, PathStatRecord } from '../../src/facts/path-stat.js';
import { runLocal, threeWay } from './helpers/three-way.js';

const params = (p: Record<string, unknown>) => unarchive.params.parse({ src: 'site.tgz', dest: '/www', ...p });
const sha = (c: string) => c.repeat(64);
const record = (rawMode: number, extra: Partial<PathStatRecord> = {}): PathStatRecord => ({
  dev: 1, inode: 2, rawMode, nlink: 1, uid: 0, gid: 0, size: 4, atime: 0, mtime: 100, ctime: 0, blocks: 0, blockSize: 512, rdev: 0, owner: 'root', group: 'wheel', ...extra,
});
const at = (rawMode: number, extra: Partial<PathStatRecord> = {}, checksum?: string): PathStat => ({
  exists: true, stat: record(rawMode, extra), readable: true, writeable: true, executable: false, ...(checksum === undefined ? {} : { checksum }),
});
const dir = at(0o040755);
const entries = [
  { path: 'css', type: 'directory', mtime: 50 },
  { path: 'css/a.css', type: 'file', mtime: 50, sha256: sha('a') },
] as const;
/** The facts of a local archive (its bytes read) unless `local` is false: a host archive, none read. */
const facts = (current: PathStat[], extra: Partial<UnarchiveFacts> = {}, local = true): UnarchiveFacts => ({ dest: dir, archive: { kind: 'entries', entries }, current, ...(local ? { content: Buffer.from('tgz') } : {}), ...extra });

describe('unarchive: the archive manifest', () => {
  it('parses the walk\'s lines, leaving out what it cannot read', () => {
    expect(parseArchiveEntries(`d 50 - ./css\nf 50 ${sha('a')} ./css/a b.css\nl 51 - ./link\no 52 - ./fifo\nnoise\n`)).toEqual([
      { path: 'css', type: 'directory', mtime: 50 },
      { path: 'css/a b.css', type: 'file', mtime: 50, sha256: sha('a') },
      { path: 'link', type: 'link', mtime: 51 },
      { path: 'fifo', type: 'other', mtime: 52 },
    ]);
  });
  it('tells a missing archive from one tar cannot read', () => {
    expect(parseArchiveManifest({ exitCode: 3, stdout: '', stderr: '' })).toEqual({ kind: 'missing' });
    expect(parseArchiveManifest({ exitCode: 4, stdout: '', stderr: 'tar: Error opening archive: Unrecognized archive format\n' })).toEqual({ kind: 'unreadable', message: 'tar: Error opening archive: Unrecognized archive format' });
  });
  it('says how the command exited when it printed nothing on stderr, leaving out the entries it printed', () => {
    expect(parseArchiveManifest({ exitCode: 5, stdout: 'f 1733100000 - ./etc/x\n', stderr: ' \n' })).toEqual({ kind: 'unreadable', message: 'tar exited 5' });
  });
});

describe('unarchive: plan', () => {
  it('is ok when every entry is in dest with the archive\'s content', () => {
    const plan = planUnarchive(params({}), facts([dir, at(0o100644, {}, sha('a'))]));
    expect(plan.steps).toEqual([{ kind: 'noop', reason: 'the 2 entries of site.tgz are in /www' }]);
    expect(plan.values).toMatchObject({ dest: '/www', src: 'site.tgz', handler: 'TgzArchive', state: 'directory', uid: 0, gid: 0, owner: 'root', group: 'wheel', mode: '0755' });
  });
  it('unpacks when a file is missing or differs, sending the controller\'s bytes on stdin', () => {
    const plan = planUnarchive(params({}), facts([dir, at(0o100644, {}, sha('b'))]));
    const step = plan.steps[0];
    if (step?.kind !== 'change') throw new Error('expected a change');
    expect(step.summary).toBe('unpack site.tgz into /www (css/a.css differs)');
    const action = step.actions[0];
    expect(action?.kind === 'run' && action.stdin).toEqual(Buffer.from('tgz'));
    expect(action?.kind === 'run' && action.command.text).toContain('cat > "$t"/archive && if [ "$(head -c 2 "$t"/archive)" = PK ]; then unzip -q -o "$t"/archive -d /www; else tar -xf "$t"/archive -C /www ; fi');
    expect(planUnarchive(params({}), facts([dir, { exists: false }])).steps[0]).toMatchObject({ summary: 'unpack site.tgz into /www (css/a.css is missing)' });
  });
  it('extracts a host archive in place with exclude and keep_newer', () => {
    const step = planUnarchive(params({ remote_src: true, src: '/tmp/s.tar', exclude: ['*.bak'], keep_newer: true }), facts([{ exists: false }, { exists: false }], {}, false)).steps[0];
    expect(step?.kind === 'change' && step.actions[0]?.kind === 'run' ? step.actions[0].command.text : '').toBe(
      'if [ "$(head -c 2 /tmp/s.tar)" = PK ]; then unzip -q -o -u /tmp/s.tar -x \'*.bak\' -d /www; else tar -xf /tmp/s.tar -C /www --exclude \'*.bak\' --keep-newer-files; fi',
    );
  });
  it('sets owner, group and mode on every entry (links: owner only) and compares them', () => {
    const p = params({ owner: 'www', group: 'www', mode: '0640' });
    const step = planUnarchive(p, facts([dir, at(0o100644, {}, sha('a'))])).steps[0];
    expect(step?.kind === 'change' && step.summary).toBe('unpack site.tgz into /www (css is owned by root, css/a.css is owned by root)');
    expect(step?.kind === 'change' && step.actions[0]?.kind === 'run' ? step.actions[0].command.text : '').toContain('&& chown -h www:www /www/css /www/css/a.css && chmod 0640 /www/css /www/css/a.css');
    expect(entryDifference(entries[1], at(0o100640, { owner: 'www', group: 'www' }, sha('a')), p)).toBeUndefined();
  });
  it('keep_newer: a differing file newer than the archive\'s copy is left', () => {
    expect(entryDifference(entries[1], at(0o100644, { mtime: 60 }, sha('b')), params({ keep_newer: true }))).toBeUndefined();
    expect(entryDifference(entries[1], at(0o100644, { mtime: 40 }, sha('b')), params({ keep_newer: true }))).toBe('css/a.css differs');
    expect(entryDifference(entries[0], at(0o100644), params({}))).toBe('css is a file, the archive has a directory');
  });
  it('fails with Ansible\'s messages; creates skips', () => {
    expect(planUnarchive(params({}), facts([], { dest: { exists: false } })).failure).toBe("Destination '/www' is not a directory");
    expect(planUnarchive(params({ remote_src: true }), facts([], { archive: { kind: 'missing' } })).failure).toBe("Source 'site.tgz' does not exist");
    expect(planUnarchive(params({}), facts([], { archive: { kind: 'unreadable', message: 'bad' } })).failure).toMatch(/^Failed to find handler for "site.tgz"/);
    expect(planUnarchive(params({ creates: '/www/x' }), facts([], { creates: at(0o100644) })).steps).toEqual([{ kind: 'noop', reason: 'skipped, since /www/x exists' }]);
  });
  it('lists the entries as files with list_files; names the handler as Ansible', () => {
    expect(planUnarchive(params({ list_files: true }), facts([dir, at(0o100644, {}, sha('a'))])).values?.['files']).toEqual(['css/', 'css/a.css']);
    expect(['a.zip', 'a.tar', 'a.tar.bz2', 'a.txz', 'a.tar.zst', 'a.tgz'].map(handlerName)).toEqual(['ZipArchive', 'TarArchive', 'TarBzipArchive', 'TarXzArchive', 'TarZstdArchive', 'TgzArchive']);
  });
  it('refuses a URL src at load time', () => {
    expect(() => params({ src: 'https://example.org/a.tgz' })).toThrow(/download it with get_url first/);
  });
});

describe('unarchive on the local connection', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'beastie-unarchive-src-'));
    await mkdir(join(work, 'tree/conf'), { recursive: true });
    await writeFile(join(work, 'tree/conf/a.conf'), 'a=1\n');
    await writeFile(join(work, 'tree/b.txt'), 'b\n');
    execFileSync('tar', ['-czf', join(work, 'site.tgz'), '-C', join(work, 'tree'), '.']);
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('three ways from a controller archive: unpacks, --check changes nothing, again ok; registers Ansible\'s keys', async () => {
    const { first, cleanup, dir } = await threeWay({ module: unarchive, params: (d) => ({ src: 'site.tgz', dest: d, list_files: true }), vars: { playbook_dir: work } });
    expect(await readFile(join(dir, 'conf/a.conf'), 'utf8')).toBe('a=1\n');
    expect(first.values).toMatchObject({ dest: dir, src: 'site.tgz', handler: 'TgzArchive', state: 'directory', files: ['b.txt', 'conf/', 'conf/a.conf'], extract_results: { rc: 0 } });
    await cleanup();
  });
  it('a changed file is unpacked again; keep_newer leaves a newer one', async () => {
    const dest = await mkdtemp(join(tmpdir(), 'beastie-unarchive-dest-'));
    const archive = join(work, 'site.tgz');
    expect((await runLocal(unarchive, { src: archive, dest, remote_src: true })).status).toBe('changed');
    await writeFile(join(dest, 'b.txt'), 'local\n');
    const future = new Date(Date.now() + 3_600_000);
    await utimes(join(dest, 'b.txt'), future, future);
    expect((await runLocal(unarchive, { src: archive, dest, remote_src: true, keep_newer: true })).status).toBe('ok');
    expect((await runLocal(unarchive, { src: archive, dest, remote_src: true })).status).toBe('changed');
    expect(await readFile(join(dest, 'b.txt'), 'utf8')).toBe('b\n');
    expect((await stat(join(dest, 'conf'))).isDirectory()).toBe(true);
    await rm(dest, { recursive: true, force: true });
  });
  it('fails with Ansible\'s texts for a missing host archive and a file dest', async () => {
    expect((await runLocal(unarchive, { src: join(work, 'none.tgz'), dest: work, remote_src: true })).msg).toBe(`Source '${join(work, 'none.tgz')}' does not exist`);
    expect((await runLocal(unarchive, { src: join(work, 'site.tgz'), dest: join(work, 'tree/b.txt'), remote_src: true })).msg).toBe(`Destination '${join(work, 'tree/b.txt')}' is not a directory`);
  });
});
