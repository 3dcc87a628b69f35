// sysctl, uname, freebsd-version, hostname against docs/freebsd/host.md (formats, errors, the
// kern.boottime layout, securelevel only raised, vmm-dependent OIDs, a jail's view).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootedHost, type HostSandbox } from '../host-sandbox.js';

const JAIL_MARKER =
  'printf \'jail_name=bhyve\\njail_jid=1\\njail_securelevel=2\\njail_devfs_ruleset=25\\njail_allow_vmm=yes\\njail_vnet=yes\\njail_hostname=bhyve\\njail_osrelease=12.2-RELEASE\\njail_devices="null zero"\\n\' > /var/sim/jail';

describe('identity tools (seed)', () => {
  let host: HostSandbox;
  beforeAll(() => {
    host = bootedHost('seed');
  });
  afterAll(() => host.dispose());

  it('reads values with and without -n', () => {
    expect(host.run('sysctl kern.securelevel').stdout).toBe('kern.securelevel: -1\n');
    expect(host.run('sysctl -n kern.securelevel').stdout).toBe('-1\n');
    expect(host.run('sysctl security.jail.jailed').stdout).toBe('security.jail.jailed: 0\n');
    expect(host.run('sysctl -n kern.osrelease hw.ncpu hw.machine').stdout).toBe('12.2-RELEASE\n4\namd64\n');
    expect(host.run('sysctl -n hw.physmem').stdout).toMatch(/^\d+\n$/);
  });

  it('gives kern.arandom bytes as sysctl.c does: as many as -B asks, at most 256, raw with -b, none without -B', () => {
    // kern_mib.c sysctl_kern_arnd fills the reader's buffer (at most 256 bytes); show_var's probe read
    // sizes it at 0 unless -B sets it, and an opaque value prints only with -b.
    expect(host.run('sysctl -B 8 -b kern.arandom | od -An -tx1').stdout).toMatch(/^( [0-9a-f]{2}){8}\n$/);
    expect(host.run('sysctl -B 8 -b kern.arandom | od -An -tx1').stdout).not.toBe(host.run('sysctl -B 8 -b kern.arandom | od -An -tx1').stdout);
    expect(host.run('sysctl -B 300 -b kern.arandom | wc -c').stdout.trim()).toBe('256');
    expect(host.run('sysctl -b kern.arandom | wc -c').stdout.trim()).toBe('0');
    expect(host.run('sysctl -B 8 kern.arandom; echo rc=$?').stdout).toBe('rc=0\n');
  });

  it('prints kern.boottime as sysctl.c S_timeval does and changes it at every boot', () => {
    const before = host.run('sysctl kern.boottime').stdout;
    expect(before).toMatch(/^kern\.boottime: \{ sec = \d+, usec = \d+ \} [A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}\n$/);
    const sec = /sec = (\d+)/.exec(before)?.[1];
    const when = new Date(Number(sec) * 1000).toUTCString().slice(17, 25);
    expect(before).toContain(when);
    host.boot();
    expect(host.run('sysctl kern.boottime').stdout).not.toBe(before);
  });

  it('raises securelevel, refuses to lower it (EPERM text on stderr, old value on stdout)', () => {
    expect(host.run('sysctl kern.securelevel=1')).toEqual({ stdout: 'kern.securelevel: -1 -> 1\n', stderr: '', code: 0 });
    expect(host.run('sysctl kern.securelevel=-1')).toEqual({
      stdout: 'kern.securelevel: 1\n',
      stderr: 'sysctl: kern.securelevel=-1: Operation not permitted\n',
      code: 1,
    });
    host.boot();
    expect(host.run('sysctl -n kern.securelevel').stdout).toBe('-1\n');
  });

  it('knows unknown and read-only OIDs', () => {
    expect(host.run('sysctl security.jail.param.allow.vmm')).toEqual({
      stdout: '',
      stderr: "sysctl: unknown oid 'security.jail.param.allow.vmm'\n",
      code: 1,
    });
    expect(host.run('sysctl -n hw.vmm.vmx.initialized').stderr).toBe("sysctl: unknown oid 'hw.vmm.vmx.initialized'\n");
    expect(host.run('sysctl kern.osrelease=13.0')).toEqual({
      stdout: '',
      stderr: "sysctl: oid 'kern.osrelease' is read only\n",
      code: 1,
    });
    expect(host.run('sysctl -i no.such.oid')).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  it('shows hw.vmm.* and allow.vmm only while vmm.ko is loaded', () => {
    host.run('kldload vmm');
    expect(host.run('sysctl security.jail.param.allow.vmm').stdout).toBe('security.jail.param.allow.vmm: 0\n');
    expect(host.run('sysctl -n hw.vmm.vmx.initialized').stdout).toBe('1\n');
    expect(host.run('sysctl hw.vmm').stdout).toContain('hw.vmm.ppt.devices: 0\n');
    host.boot();
  });

  it('lists security.jail with the docs/freebsd/host.md leaves', () => {
    const out = host.run('sysctl security.jail').stdout;
    for (const leaf of [
      'security.jail.jailed: 0',
      'security.jail.vnet: 0',
      'security.jail.enforce_statfs: 2',
      'security.jail.socket_unixiproute_only: 1',
      'security.jail.set_hostname_allowed: 1',
      'security.jail.devfs_ruleset: 0',
      'security.jail.jail_max_af_ips: 255',
    ]) {
      expect(out).toContain(`${leaf}\n`);
    }
  });

  it('uname: -r, -m, -n, -s, -a, and -v with the release kernel trailing space', () => {
    expect(host.run('uname').stdout).toBe('FreeBSD\n');
    expect(host.run('uname -r').stdout).toBe('12.2-RELEASE\n');
    expect(host.run('uname -m').stdout).toBe('amd64\n');
    expect(host.run('uname -n').stdout).toBe('sim01\n');
    expect(host.run('uname -v').stdout).toBe('FreeBSD 12.2-RELEASE r366954 GENERIC \n');
    expect(host.run('uname -a').stdout).toBe('FreeBSD sim01 12.2-RELEASE FreeBSD 12.2-RELEASE r366954 GENERIC  amd64\n');
  });

  it('freebsd-version: -k -r -u in that order whatever the flag order, usage errors', () => {
    expect(host.run('freebsd-version').stdout).toBe('12.2-RELEASE\n');
    expect(host.run('freebsd-version -urk').stdout).toBe('12.2-RELEASE\n12.2-RELEASE\n12.2-RELEASE\n');
    expect(host.run('freebsd-version -x')).toMatchObject({ code: 1 });
    expect(host.run('freebsd-version -x').stderr).toContain('usage: freebsd-version [-kru] [-j jail]\n');
    host.run('mv /boot/kernel /boot/kernel.moved');
    expect(host.run('freebsd-version -k')).toEqual({
      stdout: '',
      stderr: 'freebsd-version: unable to locate kernel\n',
      code: 1,
    });
    host.run('mv /boot/kernel.moved /boot/kernel');
  });

  it('hostname prints the host name; inside a jail the jail view of sysctl and hostname', () => {
    expect(host.run('hostname').stdout).toBe('sim01\n');
    host.run(JAIL_MARKER);
    expect(host.run('hostname').stdout).toBe('bhyve\n');
    expect(host.run('sysctl -n security.jail.jailed security.jail.vnet kern.securelevel').stdout).toBe('1\n1\n2\n');
    expect(host.run('sysctl kern.hostname=x').stderr).toBe('sysctl: kern.hostname=x: Operation not permitted\n');
    host.run('rm /var/sim/jail');
  });
});
