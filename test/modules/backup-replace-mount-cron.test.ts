// `backup` on replace, mount and cron (Ansible's backup_file): the old file or crontab is saved
// before the change, and only when something changes.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import cron, { planCron } from '../../modules/cron.js';
import mount, { planMount } from '../../modules/mount.js';
import replace from '../../modules/replace.js';
import { backupCommand } from '../../modules/support/write-safety.js';
import { runLocal } from './helpers/three-way.js';

const file = (text: string) => ({ kind: 'file', content: Buffer.from(text) }) as const;
const stat = { type: 'file', mode: 0o644, owner: 'root', group: 'wheel', size: 10 } as never;

describe('backup on mount and cron: plans', () => {
  it('mount copies the old fstab first (cp -p, Ansible\'s backup name) and only when it changes', () => {
    const p = mount.params.parse({ path: '/dev/fd', src: 'fdesc', fstype: 'fdescfs', state: 'present', backup: true });
    const step = planMount(p, { fstab: file('/dev/ada0p2 / ufs rw 1 1\n'), stat, mounted: [] }).steps[0];
    expect(step?.kind === 'change' && step.actions[0]?.kind === 'run' && step.actions[0].command.text).toBe(backupCommand('/etc/fstab').text);
    expect(backupCommand('/etc/fstab').text).toContain('b=$target.$$.$(date +%Y-%m-%d@%H:%M:%S)~\n');
    expect(backupCommand('/etc/fstab').text).toContain('cp -p -- "$target" b && mv -f $nofollow b "$b"');
    const same = planMount(p, { fstab: file('fdesc\t/dev/fd\tfdescfs\trw\t0\t0\n'), stat, mounted: [] });
    expect(same.steps.every((s) => s.kind === 'noop')).toBe(true);
  });
  it('cron saves the current crontab to a new mktemp file before installing the new one', () => {
    const p = cron.params.parse({ name: 'x', job: '/bin/true', backup: true });
    const step = planCron(p, { kind: 'crontab', text: '# old\n' }).steps[0];
    if (step?.kind !== 'change') throw new Error('expected a change');
    expect(step.actions.map((a) => (a.kind === 'run' ? a.command.text : a.path))).toEqual([
      'b=$(mktemp "${TMPDIR:-/tmp}/crontabXXXXXXXX") && cat > "$b" && printf \'backup_file=%s\\n\' "$b"',
      'crontab -u root -',
    ]);
    expect(step.actions[0]?.kind === 'run' && step.actions[0].stdin).toBe('# old\n');
    expect(planCron(cron.params.parse({ name: 'x', job: '/bin/true' }), { kind: 'crontab', text: '' }).steps[0]).toMatchObject({ actions: [{ command: { text: 'crontab -u root -' } }] });
  });
});

describe('backup on replace over the local connection', () => {
  it('registers backup_file, which holds the old text; again, nothing is backed up', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beastie-replace-backup-'));
    const path = join(dir, 'jail.conf');
    await writeFile(path, 'devfs_ruleset = 4;\n');
    const first = await runLocal(replace, { path, regexp: 'ruleset = 4', replace: 'ruleset = 25', backup: true });
    expect(first.status, first.msg).toBe('changed');
    const backup = String(first.values['backup_file']);
    expect(backup).toMatch(new RegExp(`^${path.replace(/[.]/g, '\\.')}\\.\\d+\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~$`));
    expect(await readFile(backup, 'utf8')).toBe('devfs_ruleset = 4;\n');
    expect(await readFile(path, 'utf8')).toBe('devfs_ruleset = 25;\n');
    const again = await runLocal(replace, { path, regexp: 'ruleset = 4', replace: 'ruleset = 25', backup: true });
    expect(again.status).toBe('ok');
    expect(again.values).not.toHaveProperty('backup_file');
    expect((await readdir(dir)).length).toBe(2);
    await rm(dir, { recursive: true, force: true });
  });
  it('validate runs on the new text before it replaces the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beastie-replace-validate-'));
    const path = join(dir, 'x.conf');
    await writeFile(path, 'a\n');
    const refused = await runLocal(replace, { path, regexp: 'a', replace: 'b', validate: 'false %s' });
    expect(refused.status).toBe('failed');
    expect(await readFile(path, 'utf8')).toBe('a\n');
    await rm(dir, { recursive: true, force: true });
  });
});
