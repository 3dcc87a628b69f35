// copy's and template's `follow` and copy's `local_follow` (ansible-core 2.14 plugins/action/copy.py,
// modules/copy.py): a destination link is replaced by the file unless `follow` writes through it;
// the cases of ansible-core's copy and template integration targets ("Follow=True tests",
// "templating the symlink"), on the local connection, three ways.
import { lstat, mkdir, mkdtemp, readFile, readlink, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import copy, { planWrite } from '../../modules/copy.js';
import template from '../../modules/template.js';
import { parseRealPath } from '../../src/facts/real-path.js';
import { runLocal, threeWay } from './helpers/three-way.js';

const link = { type: 'link' as const, mode: 0o755, owner: 'root', group: 'wheel', size: 13, linkTarget: './follow_test' };
const found = (text: string) => ({ kind: 'found' as const, content: Buffer.from(text) });

let playbook: string;
beforeAll(async () => {
  playbook = await mkdtemp(join(tmpdir(), 'beastie-follow-pb-'));
  await mkdir(join(playbook, 'files'));
  await mkdir(join(playbook, 'templates'));
  await writeFile(join(playbook, 'files', 'foo.txt'), 'foo.txt\n');
  await symlink('foo.txt', join(playbook, 'files', 'foo-link.txt'));
  await writeFile(join(playbook, 'templates', 'foo.j2'), '{{ templated_var }}\n');
});
afterAll(() => rm(playbook, { recursive: true, force: true }));
const vars = () => ({ playbook_dir: playbook, templated_var: 'templated_var_loaded' });

describe('a destination link, planned', () => {
  it('not followed: the link is replaced by a new file (mode 0644, the writer as owner), shown as the link', () => {
    const plan = planWrite({ source: found('modified'), destination: { path: '/d/follow_link', current: { stat: link, sha256: undefined } } }, { force: true }, 'content');
    expect(plan.failure).toBeUndefined();
    expect(plan.steps[0]).toMatchObject({
      kind: 'change',
      summary: 'update /d/follow_link from content',
      actions: [{ kind: 'put', path: '/d/follow_link', mode: 0o644 }],
      diff: { header: '/d/follow_link', before: '(symbolic link to ./follow_test)\n', after: 'modified' },
    });
    // no owner or group: the writer's own
    const step = plan.steps[0];
    const put = step?.kind === 'change' ? step.actions[0] : undefined;
    expect(put).not.toHaveProperty('owner');
    expect(put).not.toHaveProperty('group');
  });

  it('force: false leaves an existing link alone, as Ansible (the link exists)', () => {
    const plan = planWrite({ source: found('x'), destination: { path: '/d/l', current: { stat: link, sha256: undefined } } }, { force: false }, 'content');
    expect(plan.steps).toEqual([{ kind: 'noop', reason: '/d/l exists (force: false)' }]);
  });

  it('realpath(1) output: the path without its newline; nothing for a failure or a relative answer', () => {
    expect(parseRealPath({ stdout: '/usr/local/etc/a b\n', stderr: '', exitCode: 0 })).toBe('/usr/local/etc/a b');
    expect(parseRealPath({ stdout: '', stderr: 'realpath: x: No such file or directory', exitCode: 1 })).toBeUndefined();
    expect(parseRealPath({ stdout: 'x\n', stderr: '', exitCode: 0 })).toBeUndefined();
  });

  it('the parameters and their defaults', () => {
    expect(copy.params.parse({ dest: '/d', content: 'x' })).toMatchObject({ follow: false, local_follow: true });
    expect(template.params.parse({ dest: '/d', src: 't.j2' })).toMatchObject({ follow: false });
    expect(() => template.params.parse({ dest: '/d', src: 't.j2', local_follow: true })).toThrow(/local_follow/);
  });
});

describe('copy and template onto a link, on the local connection', () => {
  const prepare = async (dir: string) => {
    await writeFile(join(dir, 'follow_test'), 'this is the follow test file\n');
    await symlink('./follow_test', join(dir, 'follow_link'));
  };

  it('follow: true writes the file the link points to and keeps the link; dest is the real path (three ways)', async () => {
    const { first, second, dir, cleanup } = await threeWay({ module: copy, vars: vars(), prepare, params: (dir) => ({ src: 'foo.txt', dest: join(dir, 'follow_link'), follow: true }) });
    expect(await readlink(join(dir, 'follow_link'))).toBe('./follow_test');
    expect(await readFile(join(dir, 'follow_test'), 'utf8')).toBe('foo.txt\n');
    const real = await realpath(join(dir, 'follow_test'));
    expect(first.values).toMatchObject({ dest: real, checksum: 'c79a6506c1c948be0d456ab5104d5e753ab2f3e6' });
    expect(second.values).toMatchObject({ dest: real });
    await cleanup();
  });

  it('follow: false (the default) replaces the link by a file even when the target holds the same bytes (three ways)', async () => {
    const { first, dir, cleanup } = await threeWay({
      module: copy,
      prepare: async (dir) => {
        await writeFile(join(dir, 'follow_test'), 'modified');
        await symlink('./follow_test', join(dir, 'follow_link'));
      },
      params: (dir) => ({ content: 'modified', dest: join(dir, 'follow_link') }),
    });
    const after = await lstat(join(dir, 'follow_link'));
    expect(after.isSymbolicLink()).toBe(false);
    expect(after.mode & 0o7777).toBe(0o644);
    expect(await readFile(join(dir, 'follow_link'), 'utf8')).toBe('modified');
    expect(await readFile(join(dir, 'follow_test'), 'utf8')).toBe('modified');
    expect(first.diffs[0]).toMatchObject({ before: '(symbolic link to ./follow_test)\n', after: 'modified' });
    await cleanup();
  });

  it('a dangling link is replaced by the file even with follow: true (os.path.exists is false for it)', async () => {
    const { dir, cleanup } = await threeWay({
      module: copy,
      prepare: (dir) => symlink('./nowhere', join(dir, 'dangling')),
      params: (dir) => ({ content: 'x\n', dest: join(dir, 'dangling'), follow: true }),
    });
    expect((await lstat(join(dir, 'dangling'))).isFile()).toBe(true);
    await cleanup();
  });

  it('a link to a directory: src is written under it, through the link, with or without follow', async () => {
    const { dir, cleanup } = await threeWay({
      module: copy,
      vars: vars(),
      prepare: async (dir) => {
        await mkdir(join(dir, 'real'));
        await symlink('real', join(dir, 'into'));
      },
      params: (dir) => ({ src: 'foo.txt', dest: join(dir, 'into') }),
    });
    expect(await readlink(join(dir, 'into'))).toBe('real');
    expect(await readFile(join(dir, 'real', 'foo.txt'), 'utf8')).toBe('foo.txt\n');
    await cleanup();
  });

  it('template follow: true with mode 0600 gives the link target the mode, and templating again changes nothing (three ways)', async () => {
    const { dir, cleanup } = await threeWay({
      module: template,
      vars: vars(),
      prepare: async (dir) => {
        await writeFile(join(dir, 'foo.j2'), 'old\n', { mode: 0o644 });
        await symlink('foo.j2', join(dir, 'foo.symlink'));
      },
      params: (dir) => ({ src: 'foo.j2', dest: join(dir, 'foo.symlink'), mode: '0600', follow: true }),
    });
    expect(await readlink(join(dir, 'foo.symlink'))).toBe('foo.j2');
    expect(await readFile(join(dir, 'foo.j2'), 'utf8')).toBe('templated_var_loaded\n');
    expect((await stat(join(dir, 'foo.j2'))).mode & 0o7777).toBe(0o600);
    await cleanup();
  });

  it('template without follow replaces the link, leaving its target as it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beastie-follow-'));
    await writeFile(join(dir, 'target'), 'old\n');
    await symlink('target', join(dir, 'conf'));
    const outcome = await runLocal(template, { src: 'foo.j2', dest: join(dir, 'conf') }, { vars: vars() });
    expect(outcome.status, outcome.msg).toBe('changed');
    expect((await lstat(join(dir, 'conf'))).isFile()).toBe(true);
    expect(await readFile(join(dir, 'conf'), 'utf8')).toBe('templated_var_loaded\n');
    expect(await readFile(join(dir, 'target'), 'utf8')).toBe('old\n');
    await rm(dir, { recursive: true, force: true });
  });

  it('local_follow: false with a src that is a link on the controller copies the bytes it points to, as Ansible for one file', async () => {
    const { dir, cleanup } = await threeWay({ module: copy, vars: vars(), params: (dir) => ({ src: 'foo-link.txt', dest: join(dir, 'out.txt'), local_follow: false }) });
    expect((await lstat(join(dir, 'out.txt'))).isFile()).toBe(true);
    expect(await readFile(join(dir, 'out.txt'), 'utf8')).toBe('foo.txt\n');
    await cleanup();
  });
});

describe('attributes (alias attr): accepted, and left unapplied as Ansible leaves them on FreeBSD (no chattr)', () => {
  it('copy, template and file take attributes and attr; -v says why nothing was done with them', async () => {
    expect(copy.params.parse({ dest: '/d', content: 'x', attributes: '+i' })).toMatchObject({ attributes: '+i' });
    expect(template.params.parse({ dest: '/d', src: 't.j2', attr: 'i' })).toMatchObject({ attr: 'i' });
    const plan = planWrite({ source: found('x'), destination: { path: '/d', current: { stat: undefined, sha256: undefined } } }, { force: true, attributes: '-e' }, 'content');
    expect(plan.notes).toEqual(["attributes -e not applied: FreeBSD has no chattr, and Ansible's set_attributes_if_different does nothing without it"]);
  });

  it('a second run with attributes is not changed, even with -FLAGS (which chattr would always run), three ways', async () => {
    const { first, second, cleanup } = await threeWay({ module: copy, params: (dir) => ({ content: 'x\n', dest: join(dir, 'c'), attr: 'i' }) });
    expect(first.values).not.toHaveProperty('attributes');
    expect(second.status).toBe('ok');
    await cleanup();
    const { default: file } = await import('../../modules/file.js');
    const dirs = await threeWay({ module: file, params: (dir) => ({ path: join(dir, 'd'), state: 'directory', attributes: '-e' }) });
    expect(dirs.second.status).toBe('ok');
    await dirs.cleanup();
  });
});
