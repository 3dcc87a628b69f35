// sysrc 7.2 against docs/freebsd/sysrc.md, docs/freebsd/idempotency.md (sysrc twice): output formats, file effects,
// defaults-first lookups even with -f, quote preservation, +=/-=, -c, -x, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostSandbox, type HostSandbox } from '../host-sandbox.js';

describe('sysrc', () => {
  let host: HostSandbox;
  beforeAll(() => {
    host = hostSandbox('seed');
    host.run(': > /etc/rc.conf');
  });
  afterAll(() => host.dispose());

  it('queries: unknown variable on stderr rc 1, -i/-q silence it but keep rc 1', () => {
    expect(host.run('sysrc -n does_not_exist')).toEqual({
      stdout: '',
      stderr: "sysrc: unknown variable 'does_not_exist'\n",
      code: 1,
    });
    expect(host.run('sysrc -i does_not_exist')).toEqual({ stdout: '', stderr: '', code: 1 });
    expect(host.run('sysrc -q does_not_exist')).toEqual({ stdout: '', stderr: '', code: 1 });
  });

  it('assigns with the two-space empty old value, then YES -> YES the second time (docs/freebsd/idempotency.md)', () => {
    expect(host.run('sysrc vm_enable=YES')).toEqual({ stdout: 'vm_enable:  -> YES\n', stderr: '', code: 0 });
    expect(host.run('sysrc vm_enable=YES')).toEqual({ stdout: 'vm_enable: YES -> YES\n', stderr: '', code: 0 });
    expect(host.run('cat /etc/rc.conf').stdout).toBe('vm_enable="YES"\n');
    expect(host.run('sysrc vm_enable').stdout).toBe('vm_enable: YES\n');
    expect(host.run('sysrc -n vm_enable').stdout).toBe('YES\n');
  });

  it('-q silences only "unknown variable": values and changes are still printed (sysrc 7.2: q) QUIET=1 VERBOSE=)', () => {
    expect(host.run('sysrc -qn vm_enable')).toEqual({ stdout: 'YES\n', stderr: '', code: 0 });
    expect(host.run('sysrc -q vm_enable=YES')).toEqual({ stdout: 'vm_enable: YES -> YES\n', stderr: '', code: 0 });
    expect(host.run('sysrc -vq vm_enable').stdout).toBe('vm_enable: YES\n');
  });

  it('shows the old value from /etc/defaults/rc.conf and -n prints only "OLD -> NEW"', () => {
    expect(host.run('sysrc sshd_enable=YES').stdout).toBe('sshd_enable: NO -> YES\n');
    expect(host.run('sysrc -n vm_dir=/vms').stdout).toBe(' -> /vms\n');
    expect(host.run('sysrc -e vm_dir').stdout).toBe('vm_dir="/vms"\n');
  });

  it('edits lists with += (no duplicates) and -=', () => {
    expect(host.run('sysrc cloned_interfaces+=bridge0').stdout).toBe('cloned_interfaces:  -> bridge0\n');
    expect(host.run('sysrc cloned_interfaces+=bridge0').stdout).toBe('cloned_interfaces: bridge0 -> bridge0\n');
    expect(host.run('sysrc cloned_interfaces-=bridge0').stdout).toBe('cloned_interfaces: bridge0 -> \n');
  });

  it('works on other files with -f, still reading defaults first, and creates them', () => {
    host.run('rm -f /boot/loader.conf');
    expect(host.run('sysrc -f /boot/loader.conf pptdevs="1/0/0"').stdout).toBe('pptdevs:  -> 1/0/0\n');
    expect(host.run('sysrc -f /boot/loader.conf vmm_load=YES').stdout).toBe('vmm_load:  -> YES\n');
    expect(host.run('sysrc -f /boot/loader.conf pptdevs="1/0/0 1/0/1"').stdout).toBe('pptdevs: 1/0/0 -> 1/0/0 1/0/1\n');
    expect(host.run('cat /boot/loader.conf').stdout).toBe('pptdevs="1/0/0 1/0/1"\nvmm_load="YES"\n');
    expect(host.run('sysrc -f /boot/loader.conf -n sshd_enable').stdout).toBe('NO\n');
  });

  it('rewrites the last assignment in place keeping its quote style, appends after a missing newline', () => {
    host.run(`printf 'a="1" # note\\nb=\\047x\\047\\nc=y\\nb=\\047z\\047' > /etc/t.conf`);
    expect(host.run('sysrc -f /etc/t.conf a=2 b=3 c=4 d=5').stdout).toBe(
      'a: 1 -> 2\nb: z -> 3\nc: y -> 4\nd:  -> 5\n',
    );
    expect(host.run('cat /etc/t.conf; rm /etc/t.conf').stdout).toBe(`a="2" # note\nb='x'\nc="4"\nb='3'\nd="5"\n`);
  });

  it('checks with -c: silent, rc 0 when equal, 1 when different or unset', () => {
    expect(host.run('sysrc -c vm_enable=YES')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(host.run('sysrc -c vm_enable=NO')).toEqual({ stdout: '', stderr: '', code: 1 });
    expect(host.run('sysrc -c nosuch=1').code).toBe(1);
  });

  it('deletes every assignment with -x, unknown variables rc 1', () => {
    host.run('echo vm_dir=\\"/other\\" >> /etc/rc.conf');
    expect(host.run('sysrc -x vm_dir')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(host.run('grep -c vm_dir /etc/rc.conf').stdout).toBe('0\n');
    expect(host.run('sysrc -x vm_dir')).toEqual({ stdout: '', stderr: "sysrc: unknown variable 'vm_dir'\n", code: 1 });
    expect(host.run('sysrc -x -i vm_dir')).toEqual({ stdout: '', stderr: '', code: 1 });
  });

  it('prints usage, version (rc 1) and name errors', () => {
    expect(host.run('sysrc')).toEqual({
      stdout: '',
      stderr: "Usage: sysrc [OPTIONS] {name[[+|-]=value] ... | -a | -A | -l | -L [name ...]}\nTry `sysrc --help' for more information.\n",
      code: 1,
    });
    expect(host.run('sysrc --version')).toEqual({ stdout: '7.2 Jun-16,2018\n', stderr: '', code: 1 });
    expect(host.run('sysrc bad-name=1')).toEqual({
      stdout: '',
      stderr: 'sysrc: bad-name: name contains characters not allowed in shell\n',
      code: 1,
    });
  });
});
