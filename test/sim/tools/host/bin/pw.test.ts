import { afterAll, describe, expect, it } from 'vitest';
import { hostSandbox } from '../host-sandbox.js';

const host = hostSandbox('current');
afterAll(() => host.dispose());

describe('pw (simulated)', () => {
  it('useradd: next uid from 1000, own group, User &, /bin/sh, * password; pwd_mkdb writes /etc/passwd', () => {
    // The lowest free id from 1000 (the machine's own /etc/passwd may hold some).
    const free = host.run("awk -F: 'BEGIN { n = 1000 } { u[$3] = 1 } END { while (n in u) n++; print n }' /etc/passwd").stdout.trim();
    expect(host.run('pw useradd alice -d /var/home/alice -m && pw usershow alice && grep ^alice: /etc/passwd && stat -c %a /etc/master.passwd && ls -d /var/home/alice')).toEqual({
      stdout: `alice:*:${free}:${free}::0:0:User &:/var/home/alice:/bin/sh\n/etc/passwd:alice:*:${free}:${free}:User &:/var/home/alice:/bin/sh\n600\n/var/home/alice\n`.replace('/etc/passwd:', ''),
      stderr: '',
      code: 0,
    });
    expect(host.run('grep ^alice: /etc/group').stdout).toBe(`alice:*:${free}:\n`);
    expect(host.run('grep -c "^root:" /etc/master.passwd').stdout).toBe('1\n');
  });

  it('useradd errors: existing login, taken uid, unknown group', () => {
    expect(host.run('pw useradd alice')).toEqual({ stdout: '', stderr: "pw: login name `alice' already exists\n", code: 65 });
    expect(host.run('pw useradd bob -u 0')).toEqual({ stdout: '', stderr: "pw: uid `0' has already been allocated\n", code: 65 });
    expect(host.run('pw useradd bob -G nosuch')).toEqual({ stdout: '', stderr: "pw: group `nosuch' does not exist\n", code: 67 });
  });

  it('groupadd, usermod -G (replaces), -H 0 reads the hash from stdin, lock/unlock', () => {
    expect(host.run('pw groupadd staff2 -g 2001 && pw groupadd ops && pw usermod alice -G staff2,ops -c "Alice A" -s sh -H 0', '$6$salt$hash\n').code).toBe(0);
    expect(host.run('pw usershow alice; pw groupshow staff2; pw groupshow ops').stdout).toMatch(/^alice:\$6\$salt\$hash:(\d+):\1::0:0:Alice A:\/var\/home\/alice:\/bin\/sh\nstaff2:\*:2001:alice\nops:\*:\d+:alice\n$/);
    expect(host.run('pw usermod alice -G ops && pw groupshow staff2 && pw lock alice && pw usershow alice | cut -d: -f2').stdout).toBe('staff2:*:2001:\n*LOCKED*$6$salt$hash\n');
    expect(host.run('pw lock alice')).toMatchObject({ stderr: "pw: user 'alice' is already locked\n", code: 65 });
    expect(host.run('pw unlock alice && pw usershow alice | cut -d: -f2').stdout).toBe('$6$salt$hash\n');
  });

  it('userdel -r: the entry, its own group, its memberships and its home go', () => {
    expect(host.run('pw userdel alice -r; echo rc=$?; grep -c alice /etc/master.passwd /etc/passwd /etc/group; ls /var/home')).toMatchObject({ stdout: 'rc=0\n/etc/master.passwd:0\n/etc/passwd:0\n/etc/group:0\n' });
    expect(host.run('pw userdel alice')).toEqual({ stdout: '', stderr: "pw: no such user `alice'\n", code: 67 });
    expect(host.run('pw groupdel nosuch')).toEqual({ stdout: '', stderr: "pw: unknown group `nosuch'\n", code: 67 });
    expect(host.run('pw userdel root')).toMatchObject({ stderr: "pw: cannot remove user 'root'\n", code: 65 });
  });
});
