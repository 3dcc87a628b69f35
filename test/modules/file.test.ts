import { lstat, mkdir, readlink, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import file, { planFile } from '../../modules/file.js';
import type { FileStat } from '../../src/facts/file-stat.js';
import { runLocal, threeWay } from './helpers/three-way.js';

const params = (p: Record<string, unknown>) => file.params.parse({ path: '/p', ...p });
const f = (over: Partial<FileStat> = {}): FileStat => ({ type: 'file', mode: 0o644, owner: 'root', group: 'wheel', size: 0, ...over });
const commands = (plan: ReturnType<typeof planFile>) =>
  plan.failure ?? plan.steps.flatMap((s) => (s.kind === 'change' ? s.actions.map((a) => (a.kind === 'run' ? a.command.text : a.path)) : [`noop: ${s.reason}`]));

describe('file plan', () => {
  it.each([
    ['directory, missing', { state: 'directory', mode: '0755' }, undefined, ['mkdir -p /p', 'chmod 0755 /p']],
    ['directory, present', { state: 'directory', mode: '0755' }, f({ type: 'directory', mode: 0o755 }), ['noop: /p is a directory as wanted']],
    ['directory, other mode', { state: 'directory', mode: '0700' }, f({ type: 'directory', mode: 0o755 }), ['chmod 0700 /p']],
    ['directory over a file', { state: 'directory' }, f(), '/p already exists as a file, not a directory'],
    ['absent, present', { state: 'absent' }, f({ type: 'directory' }), ['rm -rf /p']],
    ['absent, missing', { state: 'absent' }, undefined, ['noop: /p is absent']],
    ['touch, missing', { state: 'touch', owner: 'www', group: 'www' }, undefined, ['touch /p', 'chown www:www /p']],
    ['touch, present keeps times', { state: 'touch' }, f(), ['noop: /p is a file as wanted']],
    ['file, missing', { state: 'file' }, undefined, 'file /p is absent, cannot continue — use state: touch to create it'],
    ['file, group differs', { group: 'operator' }, f(), ['chown :operator /p']],
    ['link, missing', { state: 'link', src: '/usr/local/etc' }, undefined, ['ln -sfn /usr/local/etc /p']],
    ['link, right target', { state: 'link', src: '/a' }, f({ type: 'link', linkTarget: '/a' }), ['noop: /p is a link as wanted']],
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
    expect(() => file.params.parse({ path: '/x', state: 'hard' })).toThrow();
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
