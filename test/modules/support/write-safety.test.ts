import { describe, expect, it } from 'vitest';
import { planFileWrite } from '../../../modules/support/file-write.js';
import { sha256 } from '../../../modules/support/diff-text.js';
import { backupCommand, backupFileOf, validatedWriteCommand } from '../../../modules/support/write-safety.js';

const stat = { type: 'file' as const, mode: 0o640, owner: 'root', group: 'wheel', size: 4 };
const current = { stat, sha256: 'old', content: Buffer.from('old\n') };
const actions = (steps: ReturnType<typeof planFileWrite>) => steps.flatMap((s) => (s.kind === 'change' ? s.actions.map((a) => (a.kind === 'run' ? `run ${a.command.text}` : `put ${a.path}`)) : [`noop ${s.reason}`]));

describe('planFileWrite with backup and validate', () => {
  it.each([
    ['plain write', {}, ['put /etc/x.conf']],
    ['backup first', { backup: true }, [`run ${backupCommand('/etc/x.conf').text}`, 'put /etc/x.conf']],
    ['validated write keeps the current mode and owner', { validate: 'visudo -cf %s' }, [`run ${validatedWriteCommand('/etc/x.conf', 'visudo -cf %s', { mode: 0o640, owner: 'root', group: 'wheel' }, 4).text}`]],
  ])('%s', (_name, options, expected) => {
    expect(actions(planFileWrite('/etc/x.conf', current, Buffer.from('new\n'), options, 'update'))).toEqual(expected);
  });

  it('no backup of a file that does not exist yet, nor when the bytes are the same', () => {
    expect(actions(planFileWrite('/etc/n.conf', { stat: undefined, sha256: undefined }, Buffer.from('x'), { backup: true }, 'create'))).toEqual(['run mkdir -p /etc', 'put /etc/n.conf']);
    const same = { stat, sha256: sha256(Buffer.from('1')), content: Buffer.from('1') };
    expect(actions(planFileWrite('/etc/x.conf', same, Buffer.from('1'), { backup: true }, 'update'))).toEqual(['noop /etc/x.conf is up to date']);
  });

  it('the validated write: the install script, the check run on ./f in its private directory before the rename, %s quoted as ./f', () => {
    const text = validatedWriteCommand('/etc/my file', "check --file=%s 'a b'", { mode: undefined, owner: undefined, group: undefined }, 7).text;
    expect(text).toContain("target='/etc/my file'");
    expect(text).toContain('t=$(mktemp -d "$dir/.beastie.$$.XXXXXXXXXX") || exit 1');
    expect(text).toContain(`( check --file=./f 'a b' ); rc=$?; [ $rc -eq 0 ] || { echo "failed to validate: rc:$rc" >&2; (exit $rc); fail; }`);
    // checked after mode and owner are set on ./f, before the rename
    expect(text.indexOf('chmod "$mode" f')).toBeLessThan(text.indexOf("( check"));
    expect(text.indexOf("( check")).toBeLessThan(text.indexOf('mv -f $nofollow f "$target"'));
    expect(text).not.toMatch(/mktemp '\/etc\/\.my file/);
  });

  it('reads the backup file name back from the command output', () => {
    const result = { command: 'x', exitCode: 0, stdout: 'backup_file=/etc/x.conf.42.2026-12-01@21:00:00~\n', stderr: '', durationMs: 1, timedOut: false };
    expect(backupFileOf([result])).toBe('/etc/x.conf.42.2026-12-01@21:00:00~');
    expect(backupFileOf([])).toBeUndefined();
  });
});
