// Bastille's thick and clone jails (create.sh of tags 0.7.20200714 and 1.4.4, docs/freebsd/zfs.md
// "Bastille and vm-bhyve on ZFS"): on ZFS a thick jail's root is `zfs send -R | zfs receive` of a
// temporary release snapshot whose received mountpoint is set to none and inherited again; a 1.x
// clone jail's root is `zfs clone -p` of a release snapshot that stays (the clone's origin); on
// UFS a thick jail is a copy of the release. The checks read datasets, properties with their
// sources, mountpoints, and the files where the jail sees them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBox, scenarioBox, step, type Box, type StepResult } from './box.js';
import { BOOT } from './seed-steps.js';

const CONF = '/usr/local/etc/bastille/bastille.conf';
const PROPS = 'zfs get -H -o name,property,value,source mountpoint,compression,atime,origin';

describe('bastille 1.4.4 thick and clone jails on ZFS (currentzfs)', () => {
  const r = scenarioBox('currentzfs', [
    BOOT,
    step('bootstrap', `sysrc zfs_enable=YES >/dev/null; sysrc -f ${CONF} bastille_zfs_enable=YES bastille_zfs_zpool=zroot >/dev/null; bastille bootstrap 14.3-RELEASE >/dev/null 2>&1; echo marker >/usr/local/bastille/releases/14.3-RELEASE/etc/motd.template`),
    step('both', 'bastille create -T -C web 14.3-RELEASE 10.0.0.5 em0'),
    // a running thin jail nullfs-mounts the release the thick jail's stream is received over
    step('thin', 'bastille create thin 14.3-RELEASE 10.0.0.4 em0 >/dev/null 2>&1; jls name'),
    step('thick', `bastille create -T thick 14.3-RELEASE 10.0.0.6 em0 >/dev/null 2>&1; echo rc=$?; zfs list -H -o name -t all -r zroot/bastille/jails/thick zroot/bastille/releases; ${PROPS} zroot/bastille/jails/thick/root`),
    step('thick-files', 'cat /usr/local/bastille/jails/thick/root/etc/motd.template; ls /usr/local/bastille/jails/thick; cat /usr/local/bastille/jails/thick/fstab | wc -c; ls -A /usr/local/bastille/releases/14.3-RELEASE | head -n 3; jls name; jexec thin cat /.bastille/etc/motd.template'),
    step('clone', `bastille create -C cl 14.3-RELEASE 10.0.0.7 em0 2>&1 >/dev/null | grep -c clonejail; zfs list -H -o name -t all -r zroot/bastille/jails/cl zroot/bastille/releases | sed 's/-[0-9-]*$/-DATE/'; ${PROPS} zroot/bastille/jails/cl zroot/bastille/jails/cl/root | sed 's/@bastille-clone-[0-9-]*/@SNAP/'`),
    step('clone-files', 'cat /usr/local/bastille/jails/cl/root/etc/motd.template; ls /usr/local/bastille/jails/cl; jls name'),
    // list.sh get_jail_info: thin by the fstab, clone by `zfs get origin` of jails/NAME/root
    step('list', "bastille list | awk 'NR > 1 { print $2, $6, $9 }'"),
    // destroy.sh destroy_jail: -a stops the jail first, then asks; no answer on stdin is invalid
    step('destroy-ask', 'bastille destroy -a cl >/dev/null; echo rc=$?; jls name | grep -c cl; ls /usr/local/bastille/jails/cl | grep -c jail.conf'),
    step('destroy-no', 'echo n | bastille destroy cl'),
    // zfs destroy -r of jails/cl takes the clone, not its origin: the release snapshot stays
    step('destroy-clone', "echo y | bastille destroy cl; echo rc=$?; zfs list -H -o name -t all -r zroot/bastille/jails zroot/bastille/releases | sed 's/-[0-9-]*$/-DATE/'; zfs list -H -o name,clones -t snapshot zroot/bastille/releases/14.3-RELEASE | sed 's/-[0-9-]*\t/-DATE\t/'"),
    step('destroy-running', 'bastille destroy -y thick; echo rc=$?; jls name'),
    step('destroy', 'bastille destroy -ay thick >/dev/null 2>&1; bastille destroy -a -y thin >/dev/null 2>&1; zfs list -H -o name -r zroot/bastille/jails; ls /usr/local/bastille/jails'),
  ], 300_000);

  it('refuses -T with -C as create.sh does', () => {
    expect(r.both?.stderr).toBe("[ERROR]: Clonejail and Thickjail can't be used together.\n");
    expect(r.both?.code).toBe(1);
  });

  it('a thick jail is a received copy of the release: no snapshot left, the options set locally, the mountpoint inherited', () => {
    expect(r.thick?.stdout).toBe(
      [
        'rc=0',
        'zroot/bastille/jails/thick',
        'zroot/bastille/jails/thick/root',
        'zroot/bastille/releases',
        'zroot/bastille/releases/14.3-RELEASE',
        'zroot/bastille/jails/thick/root\tmountpoint\t/usr/local/bastille/jails/thick/root\tinherited from zroot/bastille/jails',
        'zroot/bastille/jails/thick/root\tcompression\ton\tlocal',
        'zroot/bastille/jails/thick/root\tatime\toff\tlocal',
        'zroot/bastille/jails/thick/root\torigin\t-\t-',
        '',
      ].join('\n'),
    );
  });

  it("holds the release's files in its own root, an empty fstab, and the release is itself again", () => {
    expect(r['thick-files']?.stdout).toMatch(/^marker\nfstab\njail\.conf\nroot\nsettings\.conf\n0\n/);
    expect(r.thin?.stdout).toBe('thin\n');
    expect(r['thick-files']?.stdout).toMatch(/\nthin\nthick\nmarker\n$/);
    expect(r['thick-files']?.stdout).toContain('.cshrc\n.profile\nCOPYRIGHT\n');
  });

  it('a clone jail is a clone of a release snapshot that stays, under a jail dataset made by clone -p', () => {
    expect(r.clone?.stdout).toBe(
      [
        '1',
        'zroot/bastille/jails/cl',
        'zroot/bastille/jails/cl/root',
        'zroot/bastille/releases',
        'zroot/bastille/releases/14.3-RELEASE',
        'zroot/bastille/releases/14.3-RELEASE@bastille-clone-DATE',
        'zroot/bastille/jails/cl\tmountpoint\t/usr/local/bastille/jails/cl\tinherited from zroot/bastille/jails',
        'zroot/bastille/jails/cl\tcompression\ton\tinherited from zroot/bastille/jails',
        'zroot/bastille/jails/cl\tatime\toff\tinherited from zroot/bastille/jails',
        'zroot/bastille/jails/cl\torigin\t-\t-',
        'zroot/bastille/jails/cl/root\tmountpoint\t/usr/local/bastille/jails/cl/root\tinherited from zroot/bastille/jails',
        'zroot/bastille/jails/cl/root\tcompression\ton\tinherited from zroot/bastille/jails',
        'zroot/bastille/jails/cl/root\tatime\toff\tinherited from zroot/bastille/jails',
        'zroot/bastille/jails/cl/root\torigin\tzroot/bastille/releases/14.3-RELEASE@SNAP\t-',
        '',
      ].join('\n'),
    );
    // jail.conf and fstab written again in the dataset clone -p mounted over the directory
    expect(r['clone-files']?.stdout).toBe('marker\nfstab\njail.conf\nroot\nsettings.conf\nthin\nthick\ncl\n');
  });

  it('bastille list calls a clone jail clone and gives every jail its userland release, as list.sh 1.4.4 does', () => {
    expect(r.list?.stdout).toBe('cl clone 14.3-RELEASE\nthick thick 14.3-RELEASE\nthin thin 14.3-RELEASE\n');
    expect(r.list?.stderr).toBe('');
  });

  it('destroy asks first: -a stops the jail, then no answer on stdin is invalid input and n cancels', () => {
    expect(r['destroy-ask']?.stdout).toBe('rc=1\n0\n1\n');
    expect(r['destroy-ask']?.stderr).toMatch(/\n\[cl\]:\n\nAttempting to destroy jail: cl\n\n\[ERROR\]: Invalid input\. Please answer 'y' or 'n'\.\n$/);
    expect(r['destroy-no']).toEqual({ stdout: '\n', stderr: "\n[cl]:\n\nAttempting to destroy jail: cl\n\n[ERROR]: Cancelled by user.\n", code: 1 });
  });

  it("destroying a clone jail leaves the release snapshot it was cloned from, with no clone left", () => {
    // info 2 (no colour, stderr); the console log is create.sh's LOGSDIR/NAME_console.log
    expect(r['destroy-clone']?.stderr).toMatch(
      /^\n\[cl\]:\n\nAttempting to destroy jail: cl\n\nDestroying jail\.\.\.\nNote: jail console logs archived\.\n\/var\/log\/bastille\/cl_console\.log-\d{4}-\d\d-\d\d\n$/,
    );
    expect(r['destroy-clone']?.stdout).toBe(
      [
        'rc=0',
        'zroot/bastille/jails',
        'zroot/bastille/jails/thick',
        'zroot/bastille/jails/thick/root',
        'zroot/bastille/jails/thin',
        'zroot/bastille/jails/thin/root',
        'zroot/bastille/releases',
        'zroot/bastille/releases/14.3-RELEASE',
        'zroot/bastille/releases/14.3-RELEASE@bastille-clone-DATE',
        'zroot/bastille/releases/14.3-RELEASE@bastille-clone-DATE\t',
        '',
      ].join('\n'),
    );
  });

  it("refuses a running jail without -a and exits 0 (error_continue's continue ends the loop)", () => {
    expect(r['destroy-running']?.stdout).toBe('rc=0\nthin\nthick\n');
    expect(r['destroy-running']?.stderr).toBe('\n[thick]:\nJail is running.\nUse [-a|--auto] to auto-stop the jail.\n');
  });

  it('destroys the other jails with their datasets', () => {
    expect(r.destroy?.stdout).toBe('zroot/bastille/jails\n');
  });
});

describe('bastille 0.7 thick jails (seedzfs, seed)', () => {
  let zfsBox: Box;
  let ufsBox: Box;
  let z: Record<string, StepResult>;
  let u: Record<string, StepResult>;
  beforeAll(async () => {
    [zfsBox, ufsBox] = await Promise.all([makeBox('seedzfs'), makeBox('seed')]);
    [z, u] = await Promise.all([
      zfsBox.scenario([
        BOOT,
        step('bootstrap', `sysrc -f ${CONF} bastille_zfs_enable=YES bastille_zfs_zpool=zroot >/dev/null; bastille bootstrap 12.2-RELEASE >/dev/null`),
        step('clone', 'bastille create -C web 12.2-RELEASE 10.0.0.5 em0'),
        step('thick', `bastille create -T web 12.2-RELEASE 10.0.0.5 em0 | grep -c thickjail; zfs list -H -o name -t all -r zroot/bastille/jails; ${PROPS} zroot/bastille/jails/web/root; ls -A /usr/local/bastille/jails/web/root | grep -c bastille`),
      ]),
      ufsBox.scenario([
        BOOT,
        step('thick', 'bastille bootstrap 12.2-RELEASE >/dev/null; bastille create -T web 12.2-RELEASE 10.0.0.5 em0 >/dev/null; ls -A /usr/local/bastille/jails/web/root | head -n 4; test -L /usr/local/bastille/jails/web/root/bin || echo bin-is-a-directory; wc -c </usr/local/bastille/jails/web/fstab'),
      ]),
    ]);
  }, 300_000);
  afterAll(async () => Promise.all([zfsBox.remove(), ufsBox.remove()]));

  it('0.7 knows no clone jails', () => {
    expect(z.clone?.stdout).toBe('\u001b[0;31mUnknown Option.\u001b[0;0m\n\u001b[0;31mUsage: bastille create [option] name release ip [interface].\u001b[0;0m\n');
    expect(z.clone?.code).toBe(1);
  });

  it('0.7 receives the release into jails/NAME/root and sets its lz4/atime options locally', () => {
    expect(z.thick?.stdout).toBe(
      [
        '1',
        'zroot/bastille/jails',
        'zroot/bastille/jails/web',
        'zroot/bastille/jails/web/root',
        'zroot/bastille/jails/web/root\tmountpoint\t/usr/local/bastille/jails/web/root\tinherited from zroot/bastille/jails',
        'zroot/bastille/jails/web/root\tcompression\tlz4\tlocal',
        'zroot/bastille/jails/web/root\tatime\toff\tlocal',
        'zroot/bastille/jails/web/root\torigin\t-\t-',
        // .bastille, made before the receive, is under the mounted root, out of sight
        '0',
        '',
      ].join('\n'),
    );
  });

  it('on UFS a thick jail is a copy of the release, with an empty fstab', () => {
    expect(u.thick?.stdout).toBe('.bastille\n.cshrc\n.profile\n.template\nbin-is-a-directory\n0\n');
  });
});
