// file's follow (default true), as ansible-core 2.14 modules/file.py and module_utils/basic.py
// load_file_common_arguments do it: a symbolic link's mode/owner/group, and state file/directory/
// touch, act on the link's real path (os.path.realpath); follow: false acts on the link itself
// (os.lchown). Plans here; then the same playbook run by beastie and by Debian's ansible-playbook
// 2.14 (the oracle) on the local connection, in two copies of one tree, each run twice: the trees
// after the runs and each task's changed/failed must be the same.
import { spawnSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import file, { planFile } from '../../modules/file.js';
import { parseFileStat, type FileStat } from '../../src/facts/file-stat.js';
import { runYaml } from '../fixtures/runner/yaml-run.js';

const params = (p: Record<string, unknown>) => file.params.parse({ path: '/p', ...p });
const f = (over: Partial<FileStat> = {}): FileStat => ({ type: 'file', mode: 0o644, owner: 'root', group: 'wheel', size: 0, ...over });
const link = (target: string) => f({ type: 'link', mode: 0o755, linkTarget: target });
const bsdLink = (target: string) => f({ type: 'link', mode: 0o755, linkTarget: target, ownMode: true });
const commands = (plan: ReturnType<typeof planFile>) =>
  plan.failure ?? plan.steps.flatMap((s) => (s.kind === 'change' ? s.actions.map((a) => (a.kind === 'run' ? a.command.text : a.path)) : [`noop: ${s.reason}`]));

describe('file follow: plans', () => {
  const toFile = { followed: { real: '/real/f', stat: f() } };
  const toDir = { followed: { real: '/real/d', stat: f({ type: 'directory', mode: 0o755 }) } };
  const dangling = { followed: { real: '/real/none', stat: undefined } };

  it.each([
    ['no state: the target gets the mode', { mode: '0600' }, link('f'), toFile, ['chmod $([ "$(uname -s)" = FreeBSD ] && echo -h) 0600 /real/f']],
    ['no state, follow false: the link gets the owner', { owner: 'www', mode: '0600', follow: false }, link('f'), toFile, ['chown -h www /p']],
    ['state file: the target', { state: 'file', group: 'operator' }, link('f'), toFile, ['chown -h :operator /real/f']],
    ['state file, follow false', { state: 'file', follow: false }, link('f'), toFile, '/p is a link, not a file'],
    ['state file, a link to a directory', { state: 'file' }, link('d'), toDir, 'file (/real/d) is directory, cannot continue'],
    ['state file, dangling', { state: 'file' }, link('none'), dangling, 'file (/real/none) is absent, cannot continue'],
    ['state directory: the target', { state: 'directory', mode: '0700' }, link('d'), toDir, ['chmod $([ "$(uname -s)" = FreeBSD ] && echo -h) 0700 /real/d']],
    ['state directory, dangling: made at the real path', { state: 'directory', mode: '0700' }, link('none'), dangling, ['mkdir -p /real/none', 'chmod $([ "$(uname -s)" = FreeBSD ] && echo -h) 0700 /real/none']],
    ['state directory, a link to a file', { state: 'directory' }, link('f'), toFile, '/real/f already exists as a file'],
    ['state touch: the target', { state: 'touch', mode: '0640' }, link('f'), toFile, ['chmod $([ "$(uname -s)" = FreeBSD ] && echo -h) 0640 /real/f']],
    ['state link, same src: the target', { state: 'link', src: 'f', mode: '0640' }, link('f'), toFile, ['chmod $([ "$(uname -s)" = FreeBSD ] && echo -h) 0640 /real/f']],
    ['state link, same src, dangling: nothing, with a warning', { state: 'link', src: 'none', mode: '0640' }, link('none'), dangling, ['noop: /p is a link to none as wanted']],
    ['state link, new src: the new target, when there is one', { state: 'link', src: 'g', owner: 'www', mode: '0640' }, link('f'), toFile, ["ln -sfn g /p", "if [ -e /p ]; then chown www /p && chmod 0640 /p; fi"]],
    // …and on FreeBSD its own mode (chmod -h, lchmod(2)); Linux links have none and GNU chmod no -h.
    ['state link, new src, follow false', { state: 'link', src: 'g', owner: 'www', mode: '0640', follow: false }, link('f'), toFile, ['ln -sfn g /p', 'chown -h www /p', 'if [ "$(uname -s)" = FreeBSD ]; then chmod -h 0640 /p; fi']],
    // A link read by FreeBSD's stat -f has a mode of its own, which Ansible there sets with os.lchmod (set_mode_if_different).
    ['follow false, a FreeBSD link: its own owner and mode', { owner: 'www', mode: '0600', follow: false }, bsdLink('f'), toFile, ['chown -h www /p', 'chmod -h 0600 /p']],
    ['follow false, a FreeBSD link with that mode', { mode: '0755', follow: false }, bsdLink('f'), toFile, ['noop: /p is a link as wanted']],
    ['follow false, a FreeBSD link, symbolic mode', { mode: 'go-rx', follow: false }, bsdLink('f'), toFile, ['chmod -h 0700 /p']],
    ['state link, same src, follow false, a FreeBSD link', { state: 'link', src: 'f', mode: '0640', follow: false }, bsdLink('f'), toFile, ['chmod -h 0640 /p']],
    ['follow true, a FreeBSD link: the target, never the link', { mode: '0600' }, bsdLink('f'), toFile, ['chmod $([ "$(uname -s)" = FreeBSD ] && echo -h) 0600 /real/f']],
    // execute_touch: with follow false the link's own attributes (os.lchown), never the target's (chown without -h follows).
    ['touch, follow false, a link', { state: 'touch', group: 'operator', mode: '0600', follow: false }, link('f'), toFile, ['chown -h :operator /p']],
    ['touch, follow false, a FreeBSD link', { state: 'touch', group: 'operator', mode: '0600', follow: false }, bsdLink('f'), toFile, ['chown -h :operator /p', 'chmod -h 0600 /p']],
    ['a file is no link: follow changes nothing', { mode: '0600' }, f(), {}, ['chmod $([ "$(uname -s)" = FreeBSD ] && echo -h) 0600 /p']],
  ])('%s', (_name, p, current, details, expected) => {
    expect(commands(planFile(params(p), current, details))).toEqual(expected);
  });

  it("a link's own mode is read where the host has one: FreeBSD's stat -f, not GNU stat (Linux links have none)", () => {
    expect(parseFileStat({ stdout: 'bsd 120755 root wheel 4\nlink f\n', stderr: '', exitCode: 0 })).toEqual({ type: 'link', mode: 0o755, owner: 'root', group: 'wheel', size: 4, linkTarget: 'f', ownMode: true });
    expect(parseFileStat({ stdout: 'gnu a1ff root root 4\nlink f\n', stderr: '', exitCode: 0 })).toEqual({ type: 'link', mode: 0o777, owner: 'root', group: 'root', size: 4, linkTarget: 'f' });
    expect(parseFileStat({ stdout: 'bsd 100644 root wheel 4\n', stderr: '', exitCode: 0 })).not.toHaveProperty('ownMode');
  });

  it("no state on a link keeps the link's target (it never relinks to an empty src)", () => {
    expect(commands(planFile(params({ group: 'operator', follow: false }), link('f'), toFile))).toEqual(['chown -h :operator /p']);
    expect(commands(planFile(params({}), link('f'), toFile))).toEqual(['noop: /real/f is a file as wanted']);
  });
});

/** Paths, types, modes, group ids and link targets under dir (lstat: a link's own). */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const s = await lstat(join(dir, name));
    const kind = s.isSymbolicLink() ? `link ${await readlink(join(dir, name))}` : s.isDirectory() ? `dir ${(s.mode & 0o7777).toString(8)}` : `file ${(s.mode & 0o7777).toString(8)}`;
    out[name] = `${kind} gid ${s.gid}`;
  }
  return out;
}

async function prepare(dir: string): Promise<void> {
  await mkdir(join(dir, 'real', 'd'), { recursive: true });
  for (const name of ['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7']) await writeFile(join(dir, 'real', name), name);
  await symlink('real/f1', join(dir, 'nostate'));
  await symlink('real/f2', join(dir, 'asfile'));
  await symlink('real/d', join(dir, 'asdir'));
  await symlink('real/made', join(dir, 'dangling-dir'));
  await symlink('real/f3', join(dir, 'nofollow'));
  await symlink('real/f4', join(dir, 'samesrc'));
  await symlink('real/f5', join(dir, 'touched'));
  await symlink('real/f6', join(dir, 'file-nofollow'));
  await symlink('real/none', join(dir, 'dangling-file'));
  await symlink('real/f7', join(dir, 'touch-nofollow'));
}

const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - { name: no state, file: { path: "{{ d }}/nostate", mode: "0600", group: daemon } }
    - { name: state file, file: { path: "{{ d }}/asfile", state: file, mode: "0640" } }
    - { name: state directory, file: { path: "{{ d }}/asdir", state: directory, mode: "0700" } }
    - { name: state directory through a dangling link, file: { path: "{{ d }}/dangling-dir", state: directory, mode: "0750" } }
    - { name: follow false, file: { path: "{{ d }}/nofollow", group: daemon, follow: false } }
    - { name: same src, file: { path: "{{ d }}/samesrc", state: link, src: real/f4, mode: "0604" } }
    - { name: new link, file: { path: "{{ d }}/newlink", state: link, src: real/f4, group: daemon } }
    - { name: touch, file: { path: "{{ d }}/touched", state: touch, mode: "0606", access_time: preserve, modification_time: preserve } }
    - { name: state file follow false, file: { path: "{{ d }}/file-nofollow", state: file, follow: false }, ignore_errors: true }
    - { name: state file dangling, file: { path: "{{ d }}/dangling-file", state: file }, ignore_errors: true }
    - { name: touch follow false, file: { path: "{{ d }}/touch-nofollow", state: touch, group: daemon, follow: false, access_time: preserve, modification_time: preserve } }
`;

/** Each task's name → changed / failed / ok, from ansible-playbook's json callback. */
function ansibleRun(dir: string, playbook: string): Record<string, string> {
  const run = spawnSync('ansible-playbook', ['-i', 'localhost,', '-c', 'local', '-e', `d=${dir}`, '-e', 'ansible_python_interpreter=/usr/bin/python3', playbook], {
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'false' },
  });
  if (run.error !== undefined || run.stdout === '') throw new Error(`ansible-playbook 2.14 is the oracle here (scripts/setup-test-deps.sh installs it): ${run.error?.message ?? run.stderr}`);
  const report = JSON.parse(run.stdout) as { plays: { tasks: { task: { name: string }; hosts: Record<string, { changed?: boolean; failed?: boolean }> }[] }[] };
  const out: Record<string, string> = {};
  for (const task of report.plays[0]?.tasks ?? []) {
    const result = task.hosts['localhost'];
    out[task.task.name] = result?.failed === true ? 'failed' : result?.changed === true ? 'changed' : 'ok';
  }
  return out;
}

async function beastieRun(dir: string, work: string): Promise<Record<string, string>> {
  const run = await runYaml(work, { 'site.yml': PLAY.replaceAll('{{ d }}', dir) });
  const out: Record<string, string> = {};
  for (const event of run.events) if (event.event === 'task_result' && event.task !== undefined) out[event.task] = event.status === 'failed' ? 'failed' : event.status === 'changed' ? 'changed' : 'ok';
  return out;
}

describe('file follow: beastie and ansible-playbook 2.14 on the same trees', () => {
  it('leave the same modes, groups and links, and report the same changes, twice', async () => {
    const root = await mkdtemp(join(tmpdir(), 'beastie-file-follow-'));
    try {
      const [ours, theirs, work] = [join(root, 'beastie'), join(root, 'ansible'), join(root, 'work')];
      for (const dir of [ours, theirs, work]) await mkdir(dir);
      await prepare(ours);
      await prepare(theirs);
      await writeFile(join(work, 'oracle.yml'), PLAY);
      const oracle = [ansibleRun(theirs, join(work, 'oracle.yml')), ansibleRun(theirs, join(work, 'oracle.yml'))];
      const beastie = [await beastieRun(ours, join(work, 'b1')), await beastieRun(ours, join(work, 'b2'))];
      expect(beastie).toEqual(oracle);
      expect(await tree(ours)).toEqual(await tree(theirs));
      // What the oracle did, so this test cannot pass by both doing nothing.
      expect(oracle[0]).toMatchObject({ 'no state': 'changed', 'state directory through a dangling link': 'changed', 'state file dangling': 'failed' });
      expect(await tree(theirs)).toMatchObject({ 'real/f1': 'file 600 gid 1', nostate: 'link real/f1 gid 0', 'real/made': 'dir 750 gid 0', nofollow: 'link real/f3 gid 1', 'real/f3': 'file 644 gid 0', 'touch-nofollow': 'link real/f7 gid 1', 'real/f7': 'file 644 gid 0' });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 300_000);
});
