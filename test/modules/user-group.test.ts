import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import group, { planGroup } from '../../modules/group.js';
import user, { planUser, registerUser } from '../../modules/user.js';
import { parseGroupFile, parseUserEntry, type UserEntry } from '../../src/facts/accounts.js';
import { sectionsOutput } from '../helpers/sections-output.js';

const groups = parseGroupFile('wheel:*:0:root\noperator:*:5:root\nalice:*:1001:\nstaff:*:20:alice\n');
const alice = (over: Partial<UserEntry> = {}): UserEntry => ({
  name: 'alice', uid: 1001, gid: 1001, loginClass: '', comment: 'Alice', home: '/home/alice', shell: '/bin/sh', locked: false,
  passwordSha256: createHash('sha256').update('$6$x$y').digest('hex'), homeExists: true, ...over,
});
const u = (p: Record<string, unknown>) => user.params.parse({ name: 'alice', ...p });
const view = (plan: ReturnType<typeof planUser>) =>
  plan.failure ?? plan.steps.flatMap((s) => (s.kind === 'noop' ? [`noop: ${s.reason}`] : s.actions.map((a) => (a.kind === 'run' ? `${a.command.text}${a.stdin === undefined ? '' : ` <<< ${a.stdin.toString().trim()}`}` : a.path))));

describe('user facts', () => {
  it('reads a master.passwd entry without its password, and /etc/group', () => {
    const stdout = '@@section user@@\nalice:1001:1001:staff:Alice:/home/alice:/bin/sh\n@@section password@@\nlocked\nABCD  -\n@@section home@@\nno\n';
    expect(parseUserEntry({ stdout: sectionsOutput(stdout), stderr: '', exitCode: 0 })).toEqual({ name: 'alice', uid: 1001, gid: 1001, loginClass: 'staff', comment: 'Alice', home: '/home/alice', shell: '/bin/sh', locked: true, passwordSha256: 'abcd', homeExists: false });
    expect(parseUserEntry({ stdout: '', stderr: '', exitCode: 0 })).toBeUndefined();
    expect(groups[3]).toEqual({ name: 'staff', gid: 20, members: ['alice'] });
  });
});

describe('user plan (pw)', () => {
  it.each([
    ['creates with pw useradd -m and the hash on stdin', {}, undefined, ['pw useradd -n alice -m', 'pw usershow -n alice -7']],
    ['creates with every attribute', { uid: 2000, group: 'staff', groups: ['wheel', 'operator'], comment: 'Alice A', home: '/usr/home/alice', shell: '/usr/local/bin/bash', password: '$6$s$h', create_home: false, login_class: 'staff' }, undefined,
      ["pw useradd -n alice -u 2000 -c 'Alice A' -d /usr/home/alice -g staff -G wheel,operator -s /usr/local/bin/bash -L staff -H 0 <<< $6$s$h", 'pw usershow -n alice -7']],
    ['an equal account is left alone', { comment: 'Alice', shell: '/bin/sh', password: '$6$x$y', groups: 'staff' }, alice(), ['noop: user alice is as wanted']],
    ['changes only what differs', { shell: '/bin/csh', uid: 1001 }, alice(), ['pw usermod -n alice -s /bin/csh', 'pw usershow -n alice -7']],
    ['groups exactly', { groups: ['wheel'] }, alice(), ['pw usermod -n alice -G wheel', 'pw usershow -n alice -7']],
    ['groups appended', { groups: 'wheel', append: true }, alice(), ['pw usermod -n alice -G staff,wheel', 'pw usershow -n alice -7']],
    ['empty groups remove them', { groups: [] }, alice(), ['pw usermod -n alice -G \'\'', 'pw usershow -n alice -7']],
    ['a new password hash', { password: '$6$new$hash' }, alice(), ['pw usermod -n alice -H 0 <<< $6$new$hash', 'pw usershow -n alice -7']],
    ['update_password on_create', { password: '$6$new$hash', update_password: 'on_create' }, alice(), ['noop: user alice is as wanted']],
    ['locks', { password_lock: true }, alice(), ['pw lock alice', 'pw usershow -n alice -7']],
    ['unlocks', { password_lock: false }, alice({ locked: true }), ['pw unlock alice', 'pw usershow -n alice -7']],
    ['creates a missing home', {}, alice({ homeExists: false }), ['pw usermod -n alice -m', 'pw usershow -n alice -7']],
    ['moves the home', { home: '/usr/home/alice', move_home: true }, alice(), ['pw usermod -n alice -d /usr/home/alice -m', 'pw usershow -n alice -7']],
    ['an unknown group fails as Ansible', { groups: ['nosuch'] }, alice(), 'Group nosuch does not exist'],
    ['an unknown primary group fails', { group: 'nosuch' }, undefined, 'Group nosuch does not exist'],
    ['removes', { state: 'absent', remove: true }, alice(), ['pw userdel -n alice -r']],
    ['absent already', { state: 'absent' }, undefined, ['noop: user alice does not exist']],
  ])('%s', (_name, p, entry, expected) => {
    expect(view(planUser(u(p), { entry, groups }))).toEqual(expected);
  });

  it('registers Ansible\'s keys, the password only as NOT_LOGGING_PASSWORD', () => {
    expect(planUser(u({ password: '$6$x$y', groups: ['staff'] }), { entry: alice(), groups }).values).toEqual({
      name: 'alice', state: 'present', append: false, move_home: false, system: false, create_home: true, groups: 'staff', password: 'NOT_LOGGING_PASSWORD',
      uid: 1001, group: 1001, comment: 'Alice', home: '/home/alice', shell: '/bin/sh',
    });
    expect(registerUser([{ stdout: 'alice:*:1002:1002:User &:/home/alice:/bin/sh\n' } as never])).toEqual({ uid: 1002, group: 1002, comment: 'User &', home: '/home/alice', shell: '/bin/sh' });
  });

  it('validates at load: aliases, names, fields that would break master.passwd', () => {
    expect(user.params.parse({ user: 'bob', createhome: false })).toMatchObject({ name: 'bob', create_home: false });
    expect(() => user.params.parse({ name: '-x' })).toThrow(/user name/);
    expect(() => user.params.parse({ name: 'bob', comment: 'a:b' })).toThrow(/cannot contain ':'/);
    expect(() => user.params.parse({ name: 'bob', password: 'x\ny' })).toThrow();
    expect(() => user.params.parse({ name: 'bob', generate_ssh_key: true })).toThrow();
  });
});

describe('group plan (pw)', () => {
  const g = (p: Record<string, unknown>) => group.params.parse({ name: 'vmops', ...p });
  const cmds = (plan: ReturnType<typeof planGroup>) => plan.failure ?? plan.steps.flatMap((s) => (s.kind === 'noop' ? [`noop: ${s.reason}`] : s.actions.map((a) => (a.kind === 'run' ? a.command.text : ''))));
  it.each([
    ['creates', {}, ['pw groupadd -n vmops', 'pw groupshow -n vmops']],
    ['creates with a gid', { gid: 2001 }, ['pw groupadd -n vmops -g 2001', 'pw groupshow -n vmops']],
    ['a gid in use', { gid: 20 }, 'gid 20 is already used by group staff'],
    ['a gid in use, non_unique', { gid: 20, non_unique: true }, ['pw groupadd -n vmops -g 20 -o', 'pw groupshow -n vmops']],
    ['absent already', { state: 'absent' }, ['noop: group vmops does not exist']],
  ])('%s', (_name, p, expected) => {
    expect(cmds(planGroup(g(p), groups))).toEqual(expected);
  });
  it('an existing group: gid changed or left', () => {
    expect(cmds(planGroup(g({ name: 'staff', gid: 21 }), groups))).toEqual(['pw groupmod -n staff -g 21']);
    expect(planGroup(g({ name: 'staff' }), groups)).toEqual({ steps: [{ kind: 'noop', reason: 'group staff has gid 20' }], values: { name: 'staff', state: 'present', system: false, gid: 20 } });
    expect(cmds(planGroup(g({ name: 'staff', state: 'absent' }), groups))).toEqual(['pw groupdel -n staff']);
  });
});
