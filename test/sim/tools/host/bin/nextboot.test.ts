// nextboot(8) and the simulated loader's handling of /boot/nextboot.conf on the three kinds of
// /boot the fleet has (docs/freebsd/upgrade.md, "nextboot"): UFS (one-shot: the loader rewrites
// the first line to "NO"), root-on-ZFS with a 12.x userland (the script warns that the loader
// reads ZFS only; the file stays enabled, so the kernel boots again and again until nextboot -D)
// and root-on-ZFS from 13.0 on (zfsbootcfg sets freebsd:nvstore nextboot_enable in the pool's
// bootenv, which the loader resets: one-shot again). UFS's one-shot boot and hang are in
// pciconf-boot.test.ts.
import { describe, expect, it } from 'vitest';
import { bootedHostsOfFile, type HostSandbox } from '../host-sandbox.js';

const booted = bootedHostsOfFile();
const running = (host: HostSandbox) => host.run('. /var/sim/run/kernel; echo $kernel_name').stdout;

describe('nextboot on a 12.2 root-on-ZFS host (seedzfs)', () => {
  it('warns that the loader reads ZFS only, and the kernel keeps booting until nextboot -D', () => {
    const host = booted('seedzfs');
    host.run('cp -r /boot/kernel /boot/kernel.test');
    expect(host.run('nextboot -k kernel.test')).toEqual({
      stdout: '',
      stderr: 'WARNING: loader(8) has only R/O support for ZFS\nnextboot.conf will NOT be reset in case of kernel boot failure\n',
      code: 0,
    });
    expect(host.run('cat /boot/nextboot.conf').stdout).toBe('nextboot_enable="YES"\nkernel="kernel.test"\n');
    host.boot();
    expect(running(host)).toBe('kernel.test\n');
    expect(host.run('cat /boot/nextboot.conf').stdout).toBe('nextboot_enable="YES"\nkernel="kernel.test"\n');
    host.boot();
    expect(running(host)).toBe('kernel.test\n');
    host.run('nextboot -D');
    host.boot();
    expect(running(host)).toBe('kernel\n');
  });

  it('-a keeps the old file and appends to it, as the 12.x script copies it first', () => {
    const host = booted('seedzfs');
    host.run('cp -r /boot/kernel /boot/kernel.test; nextboot -e foo=bar 2>/dev/null; nextboot -a -k kernel.test 2>/dev/null');
    expect(host.run('cat /boot/nextboot.conf').stdout).toBe('nextboot_enable="YES"\nfoo="bar"\nnextboot_enable="YES"\nkernel="kernel.test"\n');
  });
});

describe('nextboot on a 14.3 root-on-ZFS host (currentzfs)', () => {
  it("sets nextboot_enable in the pool's bootenv with zfsbootcfg, and the loader boots the kernel once", () => {
    const host = booted('currentzfs');
    host.run('cp -r /boot/kernel /boot/kernel.test');
    expect(host.run('nextboot -k kernel.test')).toEqual({ stdout: 'zfs bootenv is successfully written\n', stderr: '', code: 0 });
    // the file holds only the variables; the switch is in the bootenv
    expect(host.run('cat /boot/nextboot.conf').stdout).toBe('kernel="kernel.test"\n');
    host.boot();
    expect(running(host)).toBe('kernel.test\n');
    host.boot();
    expect(running(host)).toBe('kernel\n');
    // the file is unchanged: only the bootenv's nextboot_enable was reset
    expect(host.run('cat /boot/nextboot.conf').stdout).toBe('kernel="kernel.test"\n');
  });

  it('zfsbootcfg refuses what it does not simulate, by name', () => {
    const host = booted('currentzfs');
    expect(host.run('zfsbootcfg -p')).toMatchObject({ stderr: 'zfsbootcfg: -p (printing the bootenv) is not simulated\n', code: 1 });
    expect(host.run('zfsbootcfg -z zroot "zfs:zroot/ROOT/other:"')).toMatchObject({ stderr: 'zfsbootcfg: setting the boot device is not simulated\n', code: 1 });
  });
});
