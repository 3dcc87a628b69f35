// A fleet host looks like a fresh FreeBSD install (docs/freebsd/host.md): rc.conf as bsdinstall
// assembles it, an empty loader.conf on UFS, sudo finding the FreeBSD tools, and cleanvar at every boot
// emptying /var/run (files and sockets go, directories stay) — so a lock there does not survive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type TestFleet } from '../../helpers/fleet.js';
import { waitFor } from '../../helpers/wait-for.js';

describe('fresh hosts (seed and current, real sim-boot)', () => {
  let fleet: TestFleet;
  beforeAll(async () => {
    fleet = await startFleet({ hosts: 2, profile: 'seed:1,current:1' });
  });
  afterAll(async () => {
    await fleet.down();
  });

  it("has bsdinstall's rc.conf and, on UFS, an empty loader.conf", async () => {
    for (const host of ['sim01', 'sim02']) {
      const rc = await fleet.ssh(host, 'cat /etc/rc.conf; test -f /boot/loader.conf && ! test -s /boot/loader.conf && echo empty-loader.conf');
      expect(rc.stdout).toBe(
        `hostname="${host}"\nifconfig_em0="DHCP"\nsshd_enable="YES"\n# Set dumpdev to "AUTO" to enable crash dumps, "NO" to disable\ndumpdev="AUTO"\nempty-loader.conf\n`,
      );
      expect((await fleet.ssh(host, 'sysrc -n hostname sshd_enable dumpdev')).stdout).toBe(`${host}\nYES\nAUTO\n`);
    }
  });

  it('finds the FreeBSD tools under sudo, as the caller would', async () => {
    const out = await fleet.ssh('sim01', 'sudo sh -c "command -v kldstat; id -u"; sudo uname -s');
    expect(out.stdout).toBe('/usr/local/freebsd/bin/kldstat\n0\nFreeBSD\n');
    expect((await fleet.ssh('sim01', 'sudo sysrc -n hostname')).stdout).toBe('sim01\n');
  });

  it('empties /var/run at boot like rc.d/cleanvar: files go, directories stay', async () => {
    await fleet.ssh('sim02', 'echo 4242 > /var/run/beastie.lock && mkdir -p /var/run/kept-dir && touch /var/run/kept-dir/inner && sysctl -n kern.boottime');
    const before = (await fleet.ssh('sim02', 'sysctl -n kern.boottime')).stdout;
    await fleet.ssh('sim02', 'shutdown -r now');
    await waitFor('sim02 to boot again', async () => {
      const probe = await fleet.ssh('sim02', 'sysctl -n kern.boottime', 10_000);
      return probe.exitCode === 0 && probe.stdout !== before;
    }, { timeoutMs: 90_000, intervalMs: 250 });
    const after = await fleet.ssh('sim02', 'ls -A /var/run/kept-dir; test -e /var/run/beastie.lock || echo lock-gone; test -d /var/run/sshd && echo sshd-dir; test -e /var/run/clean_var && echo clean_var');
    expect(after.stdout).toBe('lock-gone\nsshd-dir\nclean_var\n');
    // then rc.d/dmesg: the boot's messages kept in /var/run/dmesg.boot (0644), which a later dmesg -c leaves
    const kept = await fleet.ssh('sim02', 'ls -l /var/run/dmesg.boot | cut -c1-10; dmesg | cmp -s - /var/run/dmesg.boot && echo same; dmesg -c >/dev/null; grep -c "^CPU: " /var/run/dmesg.boot');
    expect(kept.stdout).toBe('-rw-r--r--\nsame\n1\n');
  });
});
