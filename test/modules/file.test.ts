import { spawnSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import file, { planDiffPeek, planFile } from '../../modules/file.js';
import type { FileStat } from '../../src/facts/file-stat.js';
import { runLocal, threeWay } from './helpers/three-way.js';

const params = (p: Record<string, unknown>) => file.params.parse({ path: '/p', ...p });
const f = (over: Partial<FileStat> = {}): FileStat => ({ type: 'file', mode: 0o644, owner: 'root', group: 'wheel', size: 0, ...over });
const commands = (plan: ReturnType<typeof planFile>) =>
  plan.failure ?? plan.steps.flatMap((s) => (s.kind === 'change' ? s.actions.map((a) => (a.kind === 'run' ? a.command.text : a.path)) : [`noop: ${s.reason}`]));

describe('file plan', () => {
  it.each([
    ['directory, missing', { state: 'directory', mode: '0755' }, undefined, ['mkdir -p /p', 'chmod $([ "$(uname -s)" = FreeBSD ] && echo -h) 0755 /p']],
    ['directory, present', { state: 'directory', mode: '0755' }, f({ type: 'directory', mode: 0o755 }), ['noop: /p is a directory as wanted']],
    ['directory, other mode', { state: 'directory', mode: '0700' }, f({ type: 'directory', mode: 0o755 }), ['chmod $([ "$(uname -s)" = FreeBSD ] && echo -h) 0700 /p']],
    ['directory over a file', { state: 'directory' }, f(), '/p already exists as a file, not a directory'],
    ['absent, present', { state: 'absent' }, f({ type: 'directory' }), ['rm -rf /p']],
    ['absent, missing', { state: 'absent' }, undefined, ['noop: /p is absent']],
    ['touch, missing', { state: 'touch', owner: 'www', group: 'www' }, undefined, ['touch /p', 'chown -h www:www /p']],
    ['touch, present keeps times', { state: 'touch' }, f(), ['noop: /p is a file as wanted']],
    ['file, missing', { state: 'file' }, undefined, 'file /p is absent, cannot continue — use state: touch to create it'],
    ['file, group differs', { group: 'operator' }, f(), ['chown -h :operator /p']],
    ['link, missing', { state: 'link', src: '/usr/local/etc' }, undefined, ['ln -sfn /usr/local/etc /p']],
    // modules/file.py 2.14 ensure_symlink: without src an existing link keeps its target; anything else needs src.
    ['link without src, a link there', { state: 'link', follow: false, owner: 'www' }, f({ type: 'link', linkTarget: '/b' }), ['chown -h www /p']],
    ['link without src, nothing there', { state: 'link' }, undefined, 'src is required for creating new symlinks'],
    ['link without src, a file there', { state: 'link', force: true }, f(), 'src is required for creating new symlinks'],
    ['link, right target', { state: 'link', src: '/a', follow: false }, f({ type: 'link', linkTarget: '/a' }), ['noop: /p is a link as wanted']],
    ['link, other target', { state: 'link', src: '/a' }, f({ type: 'link', linkTarget: '/b' }), ['ln -sfn /a /p']],
    ['link over a file refused', { state: 'link', src: '/a' }, f(), 'refusing to convert /p from a file to a symlink — set force: true to replace it'],
    ['link over a file with force', { state: 'link', src: '/a', force: true }, f(), ['rm -f /p', 'ln -sfn /a /p']],
  ])('%s', (_name, p, current, expected) => {
    expect(commands(planFile(params(p), current))).toEqual(expected);
  });

  it('shows state, mode and owner before and after', () => {
    const plan = planFile(params({ state: 'directory', mode: '0750' }), undefined);
    expect(plan.steps[0]).toMatchObject({ diff: { header: '/p', before: 'state: absent\n', after: 'state: directory\nmode: 0750\n' } });
  });

  it('takes Ansible aliases and refuses src without link', () => {
    expect(file.params.parse({ dest: '/x', state: 'touch' })).toMatchObject({ path: '/x' });
    expect(() => file.params.parse({ path: '/x', src: '/y' })).toThrow(/only for state link/);
    // Ansible's action plugins pass _diff_peek (plugins/action/__init__.py _get_diff_data); state hard without src loads (ensure_hardlink decides).
    expect(file.params.parse({ path: '/x', _diff_peek: true })).toMatchObject({ _diff_peek: true });
    expect(file.params.parse({ path: '/x', state: 'hard' })).toMatchObject({ state: 'hard' });
  });

  it("_diff_peek: never changed; appears_binary and add_path_info's keys, none of them for a missing path", () => {
    const at = (rawMode: number, nlink = 1) => ({ exists: true, stat: { dev: 1, inode: 7, nlink, rawMode, uid: 80, gid: 80, owner: 'www', group: 'www', size: 12, atime: 0, mtime: 0, ctime: 0, blocks: 0, blockSize: 0, rdev: 0 }, readable: true, writeable: true, executable: false }) as const;
    const peek = planDiffPeek('/p', at(0o100640), at(0o100640), false);
    expect(peek.steps.every((s) => s.kind === 'noop')).toBe(true);
    expect(peek.values).toEqual({ path: '/p', appears_binary: false, uid: 80, gid: 80, owner: 'www', group: 'www', mode: '0640', state: 'file', size: 12 });
    expect(planDiffPeek('/p', at(0o100644), at(0o100644, 2), true).values).toMatchObject({ appears_binary: true, state: 'hard' });
    expect(planDiffPeek('/p', at(0o120755), at(0o100644), false).values).toMatchObject({ state: 'link', mode: '0755' });
    expect(planDiffPeek('/p', at(0o40755), at(0o40755), false).values).toMatchObject({ state: 'directory' });
    expect(planDiffPeek('/p', { exists: false }, { exists: false }, false).values).toEqual({ path: '/p', appears_binary: false });
    // A dangling link: os.path.exists is false, so add_path_info adds nothing.
    expect(planDiffPeek('/p', at(0o120755), { exists: false }, false).values).toEqual({ path: '/p', appears_binary: false });
  });
});

describe('file on the local connection', () => {
  it('three ways: a directory with a mode', async () => {
    const { dir, cleanup } = await threeWay({ module: file, params: (dir) => ({ path: join(dir, 'vms', 'guest'), state: 'directory', mode: '0750' }) });
    expect((await stat(join(dir, 'vms', 'guest'))).mode & 0o777).toBe(0o750);
    await cleanup();
  });

  it('three ways: touch', async () => {
    const { dir, cleanup } = await threeWay({ module: file, params: (dir) => ({ path: join(dir, 'flag'), state: 'touch', mode: '0600' }) });
    expect((await stat(join(dir, 'flag'))).mode & 0o777).toBe(0o600);
    await cleanup();
  });

  it('three ways: a symbolic link', async () => {
    const { dir, cleanup } = await threeWay({ module: file, params: (dir) => ({ path: join(dir, 'current'), state: 'link', src: 'releases/1' }) });
    expect(await readlink(join(dir, 'current'))).toBe('releases/1');
    await cleanup();
  });

  it('three ways: absent', async () => {
    const { dir, cleanup } = await threeWay({
      module: file,
      prepare: async (dir) => {
        await mkdir(join(dir, 'old', 'deep'), { recursive: true });
        await writeFile(join(dir, 'old', 'deep', 'x'), 'x');
      },
      params: (dir) => ({ path: join(dir, 'old'), state: 'absent' }),
    });
    await expect(lstat(join(dir, 'old'))).rejects.toThrow(/ENOENT/);
    await cleanup();
  });

  it('three ways: mode of an existing file (default state)', async () => {
    const { dir, cleanup } = await threeWay({
      module: file,
      prepare: (dir) => writeFile(join(dir, 'f'), 'x', { mode: 0o644 }),
      params: (dir) => ({ path: join(dir, 'f'), mode: '0400' }),
    });
    expect((await stat(join(dir, 'f'))).mode & 0o777).toBe(0o400);
    await cleanup();
  });

  it('state file on a missing path fails', async () => {
    expect((await runLocal(file, { path: '/nonexistent/beastie', state: 'file' })).status).toBe('failed');
  });
});

describe('file: recurse, hard links and times', () => {
  const dir = f({ type: 'directory', mode: 0o755 });
  const entry = (path: string, type: 'file' | 'directory' | 'link', mode: number, owner = 'root') => ({ path, type, mode, owner, group: 'wheel' });
  it('recurse: chown/chmod below the path by find(1) only when an entry differs', () => {
    const tree = [entry('/p/a', 'file', 0o640), entry('/p/d', 'directory', 0o750), entry('/p/l', 'link', 0o777)];
    expect(commands(planFile(params({ state: 'directory', recurse: true, mode: 'u=rwX,g=rX,o=' }), f({ type: 'directory', mode: 0o750 }), { tree }))).toEqual(['noop: /p is a directory as wanted']);
    expect(commands(planFile(params({ state: 'directory', recurse: true, owner: 'www', mode: 'u=rwX,g=rX,o=' }), dir, { tree }))).toEqual([
      'chown -h www /p',
      'chmod $([ "$(uname -s)" = FreeBSD ] && echo -h) 0750 /p',
      "find /p -mindepth 1 -execdir chown -h www {} +",
    ]);
    const [noop, chmod] = commands(planFile(params({ state: 'directory', recurse: true, mode: '0700' }), f({ type: 'directory', mode: 0o700 }), { tree }));
    expect(noop).toBe('noop: /p is a directory as wanted');
    // chmod never without an option that leaves a link's target alone: FreeBSD's -h, GNU's --no-dereference, or refused.
    expect(chmod).toMatch(/^if \[ "\$\(uname -s\)" = FreeBSD \]; then nofollow=-h; elif chmod --help 2>\/dev\/null \| grep -q -e --no-dereference; then nofollow=--no-dereference; else echo .* >&2; exit 1; fi; find \/p -mindepth 1 ! -type l -execdir chmod "\$nofollow" 0700 \{\} \+$/);
    // …checked before the chown too, so a host that cannot is refused before anything changes.
    expect(commands(planFile(params({ state: 'directory', recurse: true, owner: 'www', mode: '0700' }), f({ type: 'directory', mode: 0o700, owner: 'www' }), { tree })).slice(1, 2)[0]).toMatch(/^if .* exit 1; fi; find \/p -mindepth 1 -execdir chown -h www \{\} \+$/);
    expect(() => params({ state: 'file', recurse: true })).toThrow(/recurse option requires state to be 'directory'/);
    // No state: as modules/file.py, the path's present state, or directory when it is missing.
    expect(commands(planFile(params({ recurse: true, mode: '0700' }), dir, { tree: [] }))).toEqual(['chmod $([ "$(uname -s)" = FreeBSD ] && echo -h) 0700 /p']);
    expect(commands(planFile(params({ recurse: true }), undefined))).toEqual(['mkdir -p /p']);
    expect(planFile(params({ recurse: true }), f()).failure).toBe("recurse option requires state to be 'directory'");
  });
  const node = (inode: number, nlink = 1) => ({ exists: true, stat: { dev: 1, inode, nlink, rawMode: 0o100644, mtime: 0, atime: 0 } }) as never;
  it('hard: ln -f when absent or a symlink; ok on the same inode; Ansible\'s refusals otherwise', () => {
    const p = params({ state: 'hard', src: '/s' });
    expect(commands(planFile(p, undefined, { src: node(5) }))).toEqual(['ln -f /s /p']);
    expect(commands(planFile(p, f({ type: 'link', linkTarget: '/x' }), { src: node(5), detail: node(9) }))).toEqual(['ln -f /s /p']);
    expect(commands(planFile(p, f(), { src: node(5, 2), detail: node(5, 2) }))).toEqual(['noop: /p is a file as wanted']);
    expect(commands(planFile(p, f(), { src: node(5), detail: node(9) }))).toBe('Cannot link, file exists at destination');
    expect(commands(planFile(p, f(), { src: node(5), detail: node(9, 2) }))).toBe('Cannot link, different hard link exists at destination');
    expect(commands(planFile(params({ state: 'hard', src: '/s', force: true }), f(), { src: node(5), detail: node(9) }))).toEqual(['ln -f /s /p']);
    expect(commands(planFile(p, undefined, { src: { exists: false } }))).toBe('src does not exist');
    expect(commands(planFile(params({ state: 'hard' }), undefined, {}))).toBe('src is required for creating new hardlinks');
  });
  it("hard without src: Ansible's ensure_hardlink 2.14 keeps a path that is already a hard link (st_nlink > 1), refuses anything else at run time", () => {
    // Loads: Ansible refuses it only when the task runs (its file target asserts the message on a failed task).
    const p = params({ state: 'hard', owner: 'www' });
    expect(commands(planFile(p, f({ owner: 'www' }), { detail: node(5, 2) }))).toEqual(['noop: /p is a file as wanted']);
    expect(commands(planFile(p, f(), { detail: node(5, 2) }))).toEqual(['chown -h www /p']);
    expect(commands(planFile(p, f(), { detail: node(5, 1) }))).toBe('src is required for creating new hardlinks');
    expect(commands(planFile(p, f({ type: 'link', linkTarget: '/x' }), { detail: node(5, 2) }))).toBe('src is required for creating new hardlinks');
    expect(commands(planFile(p, f({ type: 'directory' }), { detail: node(5, 3) }))).toBe('src is required for creating new hardlinks');
    expect(commands(planFile(p, undefined, {}))).toBe('src is required for creating new hardlinks');
  });
  it('times: a given time is set with touch -t until the file has it; now always; preserve never', () => {
    const stamp = { ...params({ modification_time: '202601020304.05' }) };
    const at = (mtime: number) => ({ exists: true, stat: { dev: 1, inode: 1, nlink: 1, rawMode: 0o100644, mtime, atime: 0 } }) as never;
    expect(commands(planFile(stamp, f(), { detail: at(100.5), times: { '202601020304.05': 1767323045 } }))).toEqual(['noop: /p is a file as wanted', 'touch -m -t 202601020304.05 /p']);
    expect(commands(planFile(stamp, f(), { detail: at(1767323045), times: { '202601020304.05': 1767323045 } }))).toEqual(['noop: /p is a file as wanted']);
    expect(commands(planFile(params({ access_time: 'now', modification_time: 'preserve' }), f(), { detail: at(1) }))).toEqual(['noop: /p is a file as wanted', 'touch -a /p']);
    expect(() => params({ modification_time: '2026-01-02' })).toThrow(/Error while obtaining timestamp for time 2026-01-02 using format %Y%m%d%H%M.%S: time data '2026-01-02' does not match format/);
    expect(params({ modification_time: '2026-01-02 03:04', modification_time_format: '%Y-%m-%d %H:%M' }).modification_time).toBe('2026-01-02 03:04');
  });
});

describe('file: recurse, hard and times on the local connection', () => {
  it('recurse with mode: done where chmod can leave a link alone, refused before any change where it cannot', async () => {
    // GNU chmod before coreutils 9.5 (Debian 12's 9.1) has no --no-dereference: a file swapped for a link
    // after find's look would have the link's target changed, so the task fails with the reason and
    // changes nothing (before, it ran chmod without it: the race of docs/file-writes.md "file recurse").
    const canLeaveLinks = spawnSync('chmod', ['--help'], { encoding: 'utf8' }).stdout.includes('--no-dereference');
    const dir = await mkdtemp(join(tmpdir(), 'beastie-recurse-'));
    try {
      await mkdir(join(dir, 'site/sub'), { recursive: true, mode: 0o700 });
      await writeFile(join(dir, 'site/sub/index.html'), 'x', { mode: 0o600 });
      const outcome = await runLocal(file, { path: join(dir, 'site'), state: 'directory', recurse: true, mode: 'u=rwX,g=rX,o=rX' });
      if (canLeaveLinks) {
        expect(outcome.status).toBe('changed');
        expect((await stat(join(dir, 'site/sub/index.html'))).mode & 0o777).toBe(0o644);
      } else {
        expect(outcome.status).toBe('failed');
        expect(outcome.msg).toContain("recurse with mode refused below");
        expect(outcome.msg).toContain('no -h or --no-dereference');
        expect((await stat(join(dir, 'site/sub'))).mode & 0o777).toBe(0o700);
        expect((await stat(join(dir, 'site/sub/index.html'))).mode & 0o777).toBe(0o600);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('three ways each', async () => {
    // Recurse with mode only where this controller's chmod can do it race-free (the test above).
    if (spawnSync('chmod', ['--help'], { encoding: 'utf8' }).stdout.includes('--no-dereference')) {
      const recurse = await threeWay({
        module: file,
        prepare: async (d) => {
          await mkdir(join(d, 'site/sub'), { recursive: true, mode: 0o700 });
          await writeFile(join(d, 'site/sub/index.html'), 'x', { mode: 0o600 });
        },
        params: (d) => ({ path: join(d, 'site'), state: 'directory', recurse: true, mode: 'u=rwX,g=rX,o=rX' }),
      });
      expect((await stat(join(recurse.dir, 'site/sub'))).mode & 0o777).toBe(0o755);
      expect((await stat(join(recurse.dir, 'site/sub/index.html'))).mode & 0o777).toBe(0o644);
      await recurse.cleanup();
    }
    const hard = await threeWay({ module: file, prepare: (d) => writeFile(join(d, 'a'), 'x'), params: (d) => ({ path: join(d, 'b'), src: join(d, 'a'), state: 'hard' }) });
    expect((await stat(join(hard.dir, 'b'))).ino).toBe((await stat(join(hard.dir, 'a'))).ino);
    await hard.cleanup();
    const times = await threeWay({ module: file, prepare: (d) => writeFile(join(d, 't'), 'x'), params: (d) => ({ path: join(d, 't'), modification_time: '202001020304.05' }) });
    const mtime = (await stat(join(times.dir, 't'))).mtime;
    expect([mtime.getFullYear(), mtime.getMonth() + 1, mtime.getDate(), mtime.getHours(), mtime.getMinutes(), mtime.getSeconds()]).toEqual([2020, 1, 2, 3, 4, 5]);
    await times.cleanup();
  });
});
