// Bastille's and vm-bhyve's ZFS modes on root-on-ZFS hosts (docs/freebsd/zfs.md, "Bastille and
// vm-bhyve on ZFS"): the datasets bootstrap, create and destroy make and remove, thin jails still
// nullfs-mounting their release, a running jail's datasets busy; `zfs jail` into a running jail;
// vm_dir="zfs:…" with a dataset per guest and sparse zvol disks.
import { describe, expect, it } from 'vitest';
import { scenarioBox, step } from './box.js';
import { BOOT } from './seed-steps.js';

const CONF = '/usr/local/etc/bastille/bastille.conf';
const DATASETS = 'zfs list -H -o name,mountpoint -r zroot/bastille';

describe('bastille 0.7 on ZFS (seedzfs)', () => {
  const r = scenarioBox('seedzfs', [
    BOOT,
    step('nopool', `sysrc -f ${CONF} bastille_zfs_enable=YES bastille_zfs_zpool=tank >/dev/null; bastille bootstrap 12.2-RELEASE`),
    step('bootstrap', `sysrc -f ${CONF} bastille_zfs_zpool=zroot >/dev/null; bastille bootstrap 12.2-RELEASE >/dev/null; ${DATASETS}; stat -c %a /usr/local/bastille`),
    step('create', `bastille create web 12.2-RELEASE 10.0.0.5 em0 >/dev/null; zfs list -H -o name,mountpoint -r zroot/bastille/jails; head -n 1 /usr/local/bastille/jails/web/fstab`),
    step('start', 'bastille start web >/dev/null; jls name'),
    step('destroy-running', 'bastille destroy web; zfs list -H -o name -r zroot/bastille/jails | grep -c web'),
    step('destroy', 'bastille stop web >/dev/null; bastille destroy web; zfs list -H -o name -r zroot/bastille/jails; ls /usr/local/bastille/jails'),
  ], 300_000);

  it('checks the pool before anything, as bootstrap.sh does', () => {
    expect(r.nopool).toMatchObject({ stdout: '\u001b[0;31mERROR: tank is not a ZFS pool.\u001b[0;0m\n', code: 1 });
  });

  it('bootstraps into datasets mounted at bastille_prefix and its directories', () => {
    expect(r.bootstrap?.stdout).toBe(
      [
        'zroot/bastille\t/usr/local/bastille',
        'zroot/bastille/backups\t/usr/local/bastille/backups',
        'zroot/bastille/cache\t/usr/local/bastille/cache',
        'zroot/bastille/cache/12.2-RELEASE\t/usr/local/bastille/cache/12.2-RELEASE',
        'zroot/bastille/jails\t/usr/local/bastille/jails',
        'zroot/bastille/logs\t/var/log/bastille',
        'zroot/bastille/releases\t/usr/local/bastille/releases',
        'zroot/bastille/releases/12.2-RELEASE\t/usr/local/bastille/releases/12.2-RELEASE',
        'zroot/bastille/templates\t/usr/local/bastille/templates',
        '750',
        '',
      ].join('\n'),
    );
  });

  it('creates a thin jail as jails/NAME and jails/NAME/root, the release still nullfs-mounted', () => {
    expect(r.create?.stdout).toBe(
      'zroot/bastille/jails\t/usr/local/bastille/jails\nzroot/bastille/jails/web\t/usr/local/bastille/jails/web\n' +
        'zroot/bastille/jails/web/root\t/usr/local/bastille/jails/web/root\n' +
        '/usr/local/bastille/releases/12.2-RELEASE /usr/local/bastille/jails/web/root/.bastille nullfs ro 0 0\n',
    );
    expect(r.start?.stdout).toBe('web\n');
  });

  it('destroys the datasets of a stopped jail only', () => {
    expect(r['destroy-running']?.stdout).toContain('Jail running.');
    expect(r['destroy-running']?.stdout).toMatch(/2\n$/);
    expect(r.destroy?.stdout).toMatch(/^\u001b\[0;32mDeleting Jail: web\.\u001b\[0;0m\n(.*\n)*zroot\/bastille\/jails\n$/);
    expect(r.destroy?.stdout).not.toContain('zroot/bastille/jails/web');
  });
});

describe('bastille 1.4.4 and vm-bhyve on ZFS (currentzfs)', () => {
  const r = scenarioBox('currentzfs', [
    BOOT,
    // the installer's rc.conf line (sim/infra/fresh-install.ts writes it on fleet hosts)
    step('unset', 'sysrc zfs_enable=YES >/dev/null; bastille bootstrap 14.3-RELEASE; echo rc=$?; ls /usr/local/bastille 2>&1'),
    step('bootstrap', `sysrc -f ${CONF} bastille_zfs_enable=YES bastille_zfs_zpool=zroot >/dev/null; bastille bootstrap 14.3-RELEASE >/dev/null 2>&1; ${DATASETS} | grep -c .; zfs get -H -o value compression,atime zroot/bastille`),
    step('create', 'bastille create web 14.3-RELEASE 10.0.0.5 em0 >/dev/null 2>&1; zfs list -H -o name -r zroot/bastille/jails; jls name'),
    step('busy', 'zfs destroy -r zroot/bastille/jails/web'),
    step('jail', 'zfs set jailed=on zroot/data 2>/dev/null || zfs create -o jailed=on zroot/data; zfs jail web zroot/data && zfs jail web zroot/data'),
    // inside the jail zfs(8) sees the attached dataset, below it, and its parents read-only (spl_zone.c)
    step('in-list', 'jexec web zfs list -H -o name; jexec web zfs list -H -o name zroot/ROOT/default'),
    step('in-parent', 'jexec web zfs create zroot/other'),
    step('in-create', 'jexec web zfs create zroot/data/www; echo rc=$?; zfs list -H -o name,jailed,mounted zroot/data/www'),
    step('in-setjailed', 'jexec web zfs set jailed=off zroot/data'),
    step('in-jail', 'jexec web zfs jail web zroot/data'),
    step('host-mount', 'zfs mount zroot/data; zfs set mountpoint=/srv zroot/data'),
    // with allow.mount, allow.mount.zfs and enforce_statfs < 2 the jail mounts it, inside its root
    step('in-mount', `bastille config web set allow.mount >/dev/null 2>&1; bastille config web set allow.mount.zfs >/dev/null 2>&1;
      bastille config web set enforce_statfs 1 >/dev/null 2>&1; bastille restart web >/dev/null 2>&1;
      jexec web zfs list -H -o name zroot/data; zfs jail web zroot/data && jexec web zfs mount zroot/data/www && jexec web touch /zroot/data/www/index.html;
      zfs list -H -o name,mounted,mountpoint zroot/data/www; ls /usr/local/bastille/jails/web/root/zroot/data/www; jexec web zfs umount zroot/data/www`),
    step('destroy', 'bastille destroy -a -y web >/dev/null 2>&1; zfs list -H -o name -r zroot/bastille/jails; ls /usr/local/bastille/jails'),
    step('vm-nods', 'sysrc vm_enable=YES vm_dir=zfs:zroot/vms >/dev/null; vm list'),
    step('vm-init', 'zfs create zroot/vms && vm init && ls -a /zroot/vms'),
    step('vm-create', 'cp /usr/local/share/examples/vm-bhyve/freebsd-zvol.conf /zroot/vms/.templates/ && vm create -t freebsd-zvol -s 8G g1 && zfs list -H -o name,type,volsize,refreservation,volmode -r zroot/vms/g1 && ls /zroot/vms/g1'),
    step('vm-info', 'vm info g1 | grep -e device-type -e system-path -e bytes-size'),
    step('vm-destroy', 'vm destroy -f g1; echo rc=$?; zfs list -H -o name -r zroot/vms; ls -A /zroot/vms'),
  ], 300_000);

  it('asks before bootstrapping without ZFS on a ZFS host, and stops without an answer', () => {
    expect(r.unset?.stderr).toBe('ZFS is enabled in rc.conf but not bastille.conf. Do you want to continue? (N|y)\n[ERROR]: Missing ZFS parameters. See bastille_zfs_enable.\n');
    expect(r.unset?.stdout).toBe("\nrc=1\nls: cannot access '/usr/local/bastille': No such file or directory\n");
  });

  it('bootstraps into datasets with bastille_zfs_options', () => {
    expect(r.bootstrap?.stdout).toBe('9\non\noff\n');
  });

  it('creates and starts a thin jail on its datasets, which are busy while it runs', () => {
    expect(r.create?.stdout).toBe('zroot/bastille/jails\nzroot/bastille/jails/web\nzroot/bastille/jails/web/root\nweb\n');
    expect(r.busy).toMatchObject({ stderr: "cannot unmount '/usr/local/bastille/jails/web/root': pool or dataset is busy\n", code: 1 });
  });

  it('attaches a file system to the running jail once (zfs jail)', () => {
    expect(r.jail).toMatchObject({ stderr: "cannot jail 'zroot/data': pool or dataset exists\n", code: 1 });
  });

  it('inside the jail zfs sees only the attached dataset, below it and its parents, and changes only what is jailed', () => {
    expect(r['in-list']).toMatchObject({ stdout: 'zroot\nzroot/data\n', stderr: "cannot open 'zroot/ROOT/default': dataset does not exist\n" });
    expect(r['in-parent']).toMatchObject({ stderr: "cannot create 'zroot/other': permission denied\n", code: 1 });
    // Bastille's jail.conf has no allow.mount: the dataset is made, the mount refused
    expect(r['in-create']?.stderr).toBe("cannot mount 'zroot/data/www': Insufficient privileges\nfilesystem successfully created, but not mounted\n");
    expect(r['in-create']?.stdout).toBe('rc=1\nzroot/data/www\ton\tno\n');
    expect(r['in-setjailed']).toMatchObject({ stderr: "cannot set property for 'zroot/data': permission denied\n", code: 1 });
    expect(r['in-jail']).toMatchObject({ stderr: "cannot jail 'zroot/data': permission denied\n", code: 1 });
    expect(r['host-mount']?.stderr).toBe(
      "cannot mount 'zroot/data': dataset is exported to a local zone\ncannot set property for 'zroot/data': 'mountpoint' cannot be set on dataset in a non-global zone\n",
    );
  });

  it('a jail with allow.mount, allow.mount.zfs and enforce_statfs 1 mounts its dataset in its own root; a restart detaches it', () => {
    expect(r['in-mount']?.stderr).toBe("cannot open 'zroot/data': dataset does not exist\n");
    expect(r['in-mount']?.stdout).toBe('zroot/data/www\tyes\t/zroot/data/www\nindex.html\n');
    expect(r['in-mount']?.code).toBe(0);
  });

  it('destroy -a -y stops the jail and destroys its datasets', () => {
    expect(r.destroy?.stdout).toBe('zroot/bastille/jails\n');
  });

  it('vm_dir="zfs:…" needs the dataset mounted', () => {
    expect(r['vm-nods']).toMatchObject({ stderr: '/usr/local/sbin/vm: ERROR: unable to locate mountpoint for ZFS dataset zroot/vms\n', code: 1 });
    expect(r['vm-init']?.stdout).toBe('.\n..\n.config\n.img\n.iso\n.templates\n');
  });

  it('makes a dataset per guest with a sparse zvol disk, and vm destroy removes both', () => {
    expect(r['vm-create']?.stdout).toBe('zroot/vms/g1\tfilesystem\t-\tnone\t-\nzroot/vms/g1/disk0\tvolume\t8G\tnone\tdev\ng1.conf\n');
    expect(r['vm-info']?.stdout).toBe('    device-type: sparse-zvol\n    system-path: /dev/zvol/zroot/vms/g1/disk0\n    bytes-size: 8589934592 (8.000G)\n');
    expect(r['vm-destroy']?.stdout).toBe('rc=0\nzroot/vms\n.config\n.img\n.iso\n.templates\n');
  });
});
