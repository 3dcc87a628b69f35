// The simulated freebsd-update and pkg across a major upgrade (docs/freebsd/upgrade.md): the
// texts and staging of usr.sbin/freebsd-update/freebsd-update.sh, the kernel installed into the
// running kernel's directory, and pkg's ABI change afterwards.
import { afterEach, describe, expect, it } from 'vitest';
import { bootedHost, type HostSandbox } from '../host-sandbox.js';

let host: HostSandbox | undefined;
afterEach(() => host?.dispose());
const seed = () => (host = bootedHost('seed'));

describe('freebsd-update on a 12.2 host', () => {
  it('fetch refuses to run without a tty, and on 12.2 finds nothing to fetch but the end of life', () => {
    const h = seed();
    expect(h.run('freebsd-update fetch')).toMatchObject({
      code: 1,
      stdout: 'freebsd-update fetch should not be run non-interactively.\nRun freebsd-update cron instead.\n',
    });
    const fetched = h.run('freebsd-update --not-running-from-cron fetch');
    expect(fetched.code).toBe(1);
    expect(fetched.stdout).toContain('\nNo updates needed to update system to 12.2-RELEASE-p0.\n');
    expect(fetched.stdout).toContain('\nWARNING: FreeBSD 12.2-RELEASE HAS PASSED ITS END-OF-LIFE DATE.\nAny security issues discovered after Thu Mar 31 23:59:59 UTC 2022\nwill not have been corrected.\n');
  }, 300_000);

  it('upgrade -r 13.5: kernel first, reboot, world, then the old libraries; rollback restores 12.2', () => {
    const h = seed();
    const upgrade = h.run('freebsd-update -r 13.5-RELEASE upgrade </dev/null');
    expect(upgrade.code, upgrade.stdout).toBe(0);
    expect(upgrade.stdout).toContain('The following components of FreeBSD seem to be installed:\nkernel/generic src/src world/base world/lib32\n');
    expect(upgrade.stdout).toContain('The following files will be removed as part of updating to\n13.5-RELEASE-p0:\n/boot/kernel/if_tap.ko\n/boot/kernel/opensolaris.ko\n');
    expect(upgrade.stdout).toContain('The following files will be added as part of updating to\n13.5-RELEASE-p0:\n/boot/kernel/if_tuntap.ko\n');
    expect(upgrade.stdout).toMatch(/updating to\n13\.5-RELEASE-p0:\n\/bin\/freebsd-version\n\/boot\/kernel\/kernel\n/);
    expect(upgrade.stdout.endsWith('To install the downloaded upgrades, run "/usr/sbin/freebsd-update install".\n')).toBe(true);
    expect(h.run('freebsd-update updatesready')).toMatchObject({ code: 0, stdout: "There are updates available to install.\nRun '/usr/sbin/freebsd-update install' to proceed.\n" });

    expect(h.run('freebsd-update install')).toMatchObject({
      code: 0,
      stdout: 'Installing updates...\nKernel updates have been installed.  Please reboot and run\n"/usr/sbin/freebsd-update install" again to finish installing updates.\n',
    });
    expect(h.run('freebsd-version -kru; ls -A /boot/kernel.old | head -n 1; ls /boot/kernel | grep if_').stdout).toBe(
      '13.5-RELEASE\n12.2-RELEASE\n12.2-RELEASE\n.freebsd-update\nif_bridge.ko\nif_tuntap.ko\n',
    );
    expect(h.boot().code).toBe(0);
    expect(h.run('uname -rK').stdout).toBe('13.5-RELEASE 1305000\n');

    const world = h.run('freebsd-update install');
    expect(world.stdout).toMatch(/^Installing updates\.\.\.Scanning [\s\S]*\n\nCompleting this upgrade requires removing old shared object files\.\n/);
    expect(h.run('freebsd-version -u; uname -U; head -n 1 /etc/defaults/devfs.rules; grep ^REVISION= /usr/src/sys/conf/newvers.sh').stdout).toMatch(
      /^13\.5-RELEASE\n1305000\n.*FreeBSD 13\.5 .*\nREVISION="13\.5"\n$/,
    );
    expect(h.run('freebsd-update install')).toMatchObject({ code: 0, stdout: 'Installing updates... done.\n' });
    expect(h.run('freebsd-update install')).toMatchObject({ code: 2, stdout: "No updates are available to install.\nRun '/usr/sbin/freebsd-update fetch' first.\n" });

    expect(h.run('freebsd-update rollback')).toMatchObject({ code: 0, stdout: 'Uninstalling updates... done.\n' });
    expect(h.run('freebsd-version -ku; ls /boot/kernel | grep if_').stdout).toBe('12.2-RELEASE\n12.2-RELEASE\nif_bridge.ko\nif_tap.ko\n');
    expect(h.run('freebsd-update rollback')).toMatchObject({ code: 1, stdout: 'No rollback directory found.\n' });
  }, 300_000);

  it('a patched kernel booted from /boot/kernel.patched gets the new GENERIC over it; /boot/kernel stays', () => {
    const h = seed();
    h.run("cp -a /boot/kernel /boot/kernel.patched && sed -i 's/^kernel_jail_privs=.*/kernel_jail_privs=\"PRIV_IO PRIV_KMEM_READ PRIV_KMEM_WRITE\"/' /boot/kernel.patched/kernel && echo 'kernel=\"kernel.patched\"' >> /boot/loader.conf");
    h.boot();
    expect(h.run('. /var/sim/run/kernel; echo $kernel_name $kernel_jail_privs').stdout).toBe('kernel.patched PRIV_IO PRIV_KMEM_READ PRIV_KMEM_WRITE\n');
    const upgrade = h.run('freebsd-update -r 13.5-RELEASE upgrade </dev/null');
    expect(upgrade.stdout).toContain('\n/boot/kernel.patched/kernel\n');
    expect(upgrade.stdout).not.toContain('/boot/kernel/kernel');
    h.run('freebsd-update install');
    h.boot();
    expect(h.run('. /var/sim/run/kernel; echo $kernel_name $kernel_osrelease $kernel_jail_privs; head -n 1 /boot/kernel/kernel').stdout).toBe(
      'kernel.patched 13.5-RELEASE PRIV_KMEM_READ\n# @(#)FreeBSD 12.2-RELEASE r366954 GENERIC\n',
    );
  }, 300_000);

  it('refuses what the script refuses', () => {
    const h = seed();
    expect(h.run('freebsd-update -r 12.2-RELEASE upgrade').stdout).toContain('freebsd-update: Cannot upgrade from 12.2-RELEASE to itself\n');
    const unknown = h.run('freebsd-update -r 13.9 upgrade </dev/null');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('Fetching metadata signature for 13.9-RELEASE from update1.freebsd.org... failed.\nNo mirrors remaining, giving up.\n');
    expect(h.run('freebsd-update -r 13.5-RELEASE upgrade </dev/null').code).toBe(0);
    h.run('sysctl kern.securelevel=1');
    expect(h.run('freebsd-update install')).toMatchObject({ code: 1, stdout: 'Updates cannot be installed when the system securelevel\nis greater than zero.\n' });
  }, 300_000);
});

describe('freebsd-update -b BASEDIR and --currently-running (a Bastille release directory)', () => {
  // A tree as Bastille bootstraps it (base.txz: no kernel, no /usr/src), its /bin/freebsd-version
  // standing as var/sim/userland (sim/CONTRACT.md).
  const tree = (rel: string) =>
    `mkdir -p /usr/local/bastille/releases/R/etc/defaults /usr/local/bastille/releases/R/var/sim /usr/local/bastille/releases/R/usr/src && cp /etc/defaults/rc.conf /etc/defaults/devfs.rules /usr/local/bastille/releases/R/etc/defaults/ && printf 'USERLAND_VERSION="${rel}"\\n' >/usr/local/bastille/releases/R/var/sim/userland`;

  it('upgrades the tree, not the host: its kernel files into BASEDIR/boot/kernel, then its world, then old libraries; rollback -b', () => {
    const h = seed();
    h.run(tree('12.2-RELEASE'));
    const upgrade = h.run('freebsd-update -b /usr/local/bastille/releases/R -r 13.5-RELEASE upgrade </dev/null');
    expect(upgrade.code, upgrade.stdout).toBe(0);
    expect(upgrade.stdout).toContain('src component not installed, skipped\n');
    expect(upgrade.stdout).toContain('The following components of FreeBSD seem to be installed:\nkernel/generic world/base world/lib32\n');
    // fetch_filter_unmodified_notpresent: of the kernel the tree never had, only what is new in 13.5
    expect(upgrade.stdout).toContain('The following files will be added as part of updating to\n13.5-RELEASE-p0:\n/boot/kernel/if_tuntap.ko\nThe following');
    expect(upgrade.stdout).toMatch(/will be updated as part of updating to\n13\.5-RELEASE-p0:\n\/bin\/freebsd-version\n\/etc\/defaults\/devfs\.rules\n/);
    // the host's own manifest is another (BDHASH of /): nothing staged for it
    expect(h.run('freebsd-update updatesready').code).toBe(2);
    expect(h.run('freebsd-update -b /usr/local/bastille/releases/R updatesready').code).toBe(0);

    // finalize_components_config runs for every command: the tree has no /usr/src
    const skipped = 'src component not installed, skipped\n';
    expect(h.run('freebsd-update -b /usr/local/bastille/releases/R install').stdout).toBe(
      skipped + 'Installing updates...\nKernel updates have been installed.  Please reboot and run\n"/usr/sbin/freebsd-update install" again to finish installing updates.\n',
    );
    expect(h.run('ls /usr/local/bastille/releases/R/boot/kernel; cat /usr/local/bastille/releases/R/var/sim/userland; ls -A /usr/local/bastille/releases/R/boot/kernel.old').stdout).toBe(
      'if_tuntap.ko\nUSERLAND_VERSION="12.2-RELEASE"\n.freebsd-update\n',
    );
    const world = h.run('freebsd-update -b /usr/local/bastille/releases/R install');
    expect(world.stdout).toMatch(/^src component not installed, skipped\nInstalling updates\.\.\.Scanning \/usr\/local\/bastille\/releases\/R\/usr\/share\/certs\/blacklisted [\s\S]*\nCompleting this upgrade requires removing old shared object files\.\n/);
    expect(h.run('cat /usr/local/bastille/releases/R/var/sim/userland; head -n 1 /usr/local/bastille/releases/R/etc/defaults/devfs.rules').stdout).toMatch(/^USERLAND_VERSION="13\.5-RELEASE"\n.*FreeBSD 13\.5 /);
    expect(h.run('freebsd-update -b /usr/local/bastille/releases/R install')).toMatchObject({ code: 0, stdout: skipped + 'Installing updates... done.\n' });
    expect(h.run('freebsd-update -b /usr/local/bastille/releases/R install').code).toBe(2);
    // the host did not move
    expect(h.run('freebsd-version -kru; head -n 1 /boot/kernel/kernel').stdout).toBe('12.2-RELEASE\n12.2-RELEASE\n12.2-RELEASE\n# @(#)FreeBSD 12.2-RELEASE r366954 GENERIC\n');

    expect(h.run('freebsd-update -b /usr/local/bastille/releases/R rollback')).toMatchObject({ code: 0, stdout: skipped + 'Uninstalling updates... done.\n' });
    expect(h.run('cat /usr/local/bastille/releases/R/var/sim/userland; ls /usr/local/bastille/releases/R/boot/kernel | wc -l').stdout).toBe('USERLAND_VERSION="12.2-RELEASE"\n0\n');
  }, 300_000);

  it('--currently-running is the source release (UNAME_r); without it the host is, and "to itself" is refused', () => {
    const h = seed();
    h.run(tree('13.5-RELEASE'));
    expect(h.run('UNAME_r=9.9-RELEASE uname -sr; uname -r').stdout).toBe('FreeBSD 9.9-RELEASE\n12.2-RELEASE\n');
    expect(h.run('freebsd-update -b /usr/local/bastille/releases/R --currently-running 13.5 -r 13.5-RELEASE upgrade')).toMatchObject({
      code: 1,
      stdout: 'src component not installed, skipped\nfreebsd-update: Cannot upgrade from 13.5-RELEASE to itself\n',
    });
    // without --currently-running the source is the host's 12.2: a tree already at 13.5 is compared with 12.2's files
    const asHost = h.run('freebsd-update -b /usr/local/bastille/releases/R -r 12.2-RELEASE upgrade');
    expect(asHost.stdout).toContain('freebsd-update: Cannot upgrade from 12.2-RELEASE to itself\n');
    const up = h.run('freebsd-update -b /usr/local/bastille/releases/R --currently-running 13.5-RELEASE -r 14.3-RELEASE upgrade </dev/null');
    expect(up.code, up.stdout).toBe(0);
    expect(up.stdout).toContain('Fetching metadata signature for 13.5-RELEASE from update2.freebsd.org... done.\n');
    h.run('freebsd-update -b /usr/local/bastille/releases/R install; freebsd-update -b /usr/local/bastille/releases/R install; freebsd-update -b /usr/local/bastille/releases/R install');
    expect(h.run('cat /usr/local/bastille/releases/R/var/sim/userland; freebsd-version -u').stdout).toBe('USERLAND_VERSION="14.3-RELEASE"\n12.2-RELEASE\n');
    expect(h.run('freebsd-update -b /usr/local/bastille/releases/R -b /s fetch').stdout).toMatch(/^usage: freebsd-update/);
  }, 300_000);
});

describe('pkg after the userland moved to 13.5', () => {
  it('warns about the major upgrade, reinstalls for the new ABI (pkg itself first), then is quiet', () => {
    const h = seed();
    h.run('freebsd-update -r 13.5-RELEASE upgrade </dev/null; freebsd-update install');
    h.boot();
    h.run('freebsd-update install');
    const info = h.run('pkg info -e bastille');
    expect(info).toMatchObject({ code: 0, stderr: 'pkg: Warning: Major OS version upgrade detected.  Running "pkg bootstrap -f" recommended\n' });
    const declined = h.run('pkg upgrade');
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain('pkg: Repository FreeBSD has a wrong packagesite, need to re-create database\n');
    expect(declined.stdout).toContain(
      "New version of pkg detected; it needs to be installed first.\nChecking integrity... done (0 conflicting)\nThe following 1 package(s) will be affected (of 0 checked):\n\nInstalled packages to be REINSTALLED:\n\tpkg-1.15.10 (ABI changed: 'freebsd:12:x86:64' -> 'freebsd:13:x86:64')\n",
    );
    expect(declined.stdout.endsWith('Proceed with this action? [y/N]: ')).toBe(true);
    expect(h.run('pkg-static upgrade -n').code).toBe(1);
    const forced = h.run('pkg-static upgrade -f -y');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toBe('pkg-static: Warning: Major OS version upgrade detected.  Running "pkg bootstrap -f" recommended\n');
    expect(forced.stdout).toContain("\tbastille-0.7.20200714 (ABI changed: 'freebsd:12:x86:64' -> 'freebsd:13:x86:64')\n");
    expect(forced.stdout).toContain('[2/3] Reinstalling pkg-1.15.10...\n');
    const after = h.run('pkg upgrade -n; pkg info bastille');
    expect(after).toMatchObject({ code: 0, stderr: '' });
    expect(after.stdout).toContain('Your packages are up to date.\n');
    expect(after.stdout).toMatch(/^Architecture {4}: FreeBSD:13:amd64$/m);
  }, 300_000);
});
