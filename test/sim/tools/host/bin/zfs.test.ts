// zfs(8) and zpool(8) fakes on a root-on-ZFS seed host (docs/freebsd/zfs.md): the installer's
// datasets, inheritance and sources, the formats of list/get (-H, -p, -o), and zfs_main.c's and
// libzfs's error texts and exit codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootedHost, type HostSandbox } from '../host-sandbox.js';

describe('zfs and zpool (seedzfs)', () => {
  let host: HostSandbox;
  beforeAll(() => {
    host = bootedHost('seedzfs');
  });
  afterAll(() => host.dispose());

  it('loads zfs.ko on first use, as libzfs does, and lists the installer datasets', () => {
    const out = host.run('kldstat -q -m zfs || echo not-loaded; zfs list -r zroot/var; kldstat -q -m zfs && echo loaded');
    expect(out.stdout).toBe(
      'not-loaded\nNAME             USED  AVAIL  REFER  MOUNTPOINT\nzroot/var        96K   879G   96K    /var\nzroot/var/audit  96K   879G   96K    /var/audit\nzroot/var/crash  96K   879G   96K    /var/crash\nzroot/var/log    96K   879G   96K    /var/log\nzroot/var/mail   96K   879G   96K    /var/mail\nzroot/var/tmp    96K   879G   96K    /var/tmp\nloaded\n',
    );
  });

  it('reports sources: local, inherited from an ancestor, default, - for read-only values', () => {
    expect(host.run('zfs get -H -o property,value,source mountpoint,compression,canmount,used zroot/var/log zroot/ROOT/default').stdout).toBe(
      'mountpoint\t/var/log\tinherited from zroot/var\ncompression\tlz4\tinherited from zroot\ncanmount\ton\tdefault\nused\t96K\t-\n' +
        'mountpoint\t/\tlocal\ncompression\tlz4\tinherited from zroot\ncanmount\tnoauto\tlocal\nused\t96K\t-\n',
    );
    expect(host.run('zfs get -H -p -o value used,creation zroot').stdout).toBe('98304\n1606780800\n');
  });

  it('creates with -p and -o, mounts where the host owns the directory, refuses a second create', () => {
    expect(host.run('zfs create -o mountpoint=/usr/local/bastille zroot/bastille && zfs create -p zroot/bastille/jails/web && ls -d /usr/local/bastille/jails/web')).toMatchObject({
      stdout: '/usr/local/bastille/jails/web\n',
      code: 0,
    });
    expect(host.run('zfs create zroot/bastille')).toEqual({ stdout: '', stderr: "cannot create 'zroot/bastille': dataset already exists\n", code: 1 });
    expect(host.run('zfs create zroot/a/b')).toEqual({ stdout: '', stderr: "cannot create 'zroot/a/b': parent does not exist\n", code: 1 });
    expect(host.run('zfs create tank/x').stderr).toBe("cannot create 'tank/x': no such pool 'tank'\n");
  });

  it('refuses readonly and invalid values, and unknown properties with the usage (exit 2)', () => {
    expect(host.run('zfs set used=1 zroot/bastille')).toEqual({ stdout: '', stderr: "cannot set property for 'zroot/bastille': 'used' is readonly\n", code: 1 });
    expect(host.run('zfs set atime=sometimes zroot/bastille').stderr).toBe("cannot set property for 'zroot/bastille': 'atime' must be one of 'on | off'\n");
    const bad = host.run('zfs get nosuch zroot');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^bad property list: invalid property 'nosuch'\nusage:\n/);
    expect(host.run('zfs list zroot/nope')).toEqual({ stdout: '', stderr: "cannot open 'zroot/nope': dataset does not exist\n", code: 1 });
  });

  it('destroys only with -r when there are children; the files go, a local mountpoint stays empty', () => {
    expect(host.run('zfs destroy zroot/bastille')).toEqual({
      stdout: '',
      stderr: "cannot destroy 'zroot/bastille': filesystem has children\nuse '-r' to destroy the following datasets:\nzroot/bastille/jails\nzroot/bastille/jails/web\n",
      code: 1,
    });
    expect(host.run('zfs destroy -r zroot/bastille && find /usr/local/bastille && zfs list -H -o name | grep -c bastille').stdout).toBe('/usr/local/bastille\n0\n');
  });

  it('snapshots, sparse volumes and inherit', () => {
    host.run('zfs create -o atime=on zroot/data && zfs snapshot zroot/data@one && zfs create -s -V 10G zroot/vol');
    expect(host.run('zfs list -H -t snapshot -o name,used; zfs list -H -o name,used,volsize,refreservation zroot/vol').stdout).toBe('zroot/data@one\t0\nzroot/vol\t56K\t10G\tnone\n');
    expect(host.run('zfs inherit atime zroot/data && zfs get -H -o value,source atime zroot/data').stdout).toBe('off\tinherited from zroot\n');
  });

  it('keeps the files of a snapshot under .zfs/snapshot, not its children files; clones start from them', () => {
    const made = host.run(
      'zfs create -o mountpoint=/usr/local/data zroot/keep && echo one >/usr/local/data/a && zfs create zroot/keep/kid && echo k >/usr/local/data/kid/k && ' +
        'zfs snapshot -r zroot/keep@s1 && echo two >/usr/local/data/a && find /usr/local/data/.zfs /usr/local/data/kid/.zfs -type f | sort && cat /usr/local/data/.zfs/snapshot/s1/a',
    );
    expect(made).toEqual({
      stdout: '/usr/local/data/.zfs/snapshot/s1/a\n/usr/local/data/kid/.zfs/snapshot/s1/k\none\n',
      stderr: '',
      code: 0,
    });
    expect(host.run('zfs clone -o mountpoint=/usr/local/copy zroot/keep@s1 zroot/copy && cat /usr/local/copy/a && zfs get -H -o value origin zroot/copy && zfs list -H -o clones zroot/keep@s1').stdout).toBe(
      'one\nzroot/keep@s1\nzroot/copy\n',
    );
    expect(host.run('zfs clone zroot/keep zroot/x')).toEqual({ stdout: '', stderr: "cannot open 'zroot/keep': operation not applicable to datasets of this type\n", code: 1 });
    expect(host.run('zfs destroy zroot/keep@s1')).toEqual({
      stdout: '',
      stderr: "cannot destroy 'zroot/keep@s1': snapshot has dependent clones\nuse '-R' to destroy the following datasets:\nzroot/copy\n",
      code: 1,
    });
    expect(host.run('zfs destroy -r zroot/keep').stderr).toBe("cannot destroy 'zroot/keep': filesystem has dependent clones\nuse '-R' to destroy the following datasets:\nzroot/copy\n");
  }, 180_000);

  it('promotes a clone: the origin snapshot moves to it and the old parent becomes its clone', () => {
    expect(host.run('zfs promote zroot/keep').stderr).toBe("cannot promote 'zroot/keep': not a cloned filesystem\n");
    expect(host.run('zfs promote zroot/copy && zfs get -H -o name,value origin zroot/keep zroot/copy && zfs list -H -t snapshot -o name -r zroot/copy zroot/keep && cat /usr/local/copy/.zfs/snapshot/s1/a && test ! -e /usr/local/data/.zfs/snapshot/s1').stdout).toBe(
      'zroot/keep\tzroot/copy@s1\nzroot/copy\t-\nzroot/copy@s1\nzroot/keep/kid@s1\none\n',
    );
  }, 120_000);

  it('unmounts (children first) and mounts again: the files leave and come back with the dataset', () => {
    expect(host.run('zfs umount zroot/keep && find /usr/local/data && zfs get -H -o value mounted zroot/keep zroot/keep/kid && zfs mount | grep -c keep')).toMatchObject({
      stdout: '/usr/local/data\nno\nno\n0\n',
    });
    expect(host.run('zfs umount zroot/keep')).toEqual({ stdout: '', stderr: "cannot unmount 'zroot/keep': not currently mounted\n", code: 1 });
    expect(host.run('zfs mount zroot/keep && cat /usr/local/data/a && test ! -e /usr/local/data/kid/k && zfs mount | grep keep')).toMatchObject({
      stdout: 'two\nzroot/keep                      /usr/local/data\n',
      code: 0,
    });
    expect(host.run('zfs mount zroot/keep').stderr).toBe("cannot mount 'zroot/keep': filesystem already mounted\n");
    expect(host.run('zfs mount zroot/usr').stderr).toBe("cannot mount 'zroot/usr': 'canmount' property is set to 'off'\n");
    // a boot mounts what the properties say: the child that was left unmounted comes back
    host.boot();
    expect(host.run('cat /usr/local/data/kid/k && zfs get -H -o value mounted zroot/keep/kid').stdout).toBe('k\nyes\n');
  }, 180_000);

  it('renames with the files, refuses to jail into a jail that does not exist, and destroys the tree with -R', () => {
    expect(host.run('zfs rename zroot/keep zroot/kept && zfs list -H -o name,mountpoint -r zroot/kept && cat /usr/local/data/a').stdout).toBe(
      'zroot/kept\t/usr/local/data\nzroot/kept/kid\t/usr/local/data/kid\ntwo\n',
    );
    const jail = host.run('zfs jail nosuch zroot/kept');
    expect(jail.code).toBe(2);
    expect(jail.stderr).toMatch(/^invalid jail id or name\nusage:\n/);
    // remove_mountpoint removes only a default or inherited mountpoint: the local ones stay, empty
    expect(host.run('zfs destroy -R zroot/copy && zfs list -H -o name | grep -c -e kept -e copy; find /usr/local/copy /usr/local/data')).toEqual({
      stdout: '0\n/usr/local/copy\n/usr/local/data\n',
      stderr: '',
      code: 0,
    });
  }, 180_000);

  it('send -R | receive: received properties and snapshots, a local value overrides, inherit hides the received one', () => {
    expect(host.run('zfs create -o mountpoint=/usr/local/rel -o atime=off zroot/rel && echo r >/usr/local/rel/f && zfs snapshot zroot/rel@a && zfs send -R zroot/rel@a | zfs receive -u zroot/got && ' +
      'zfs list -H -o name -t all -r zroot/got; zfs get -H -o property,value,source mountpoint,atime,mounted zroot/got')).toMatchObject({
      stdout: 'zroot/got\nzroot/got@a\nmountpoint\t/usr/local/rel\treceived\natime\toff\treceived\nmounted\tno\t-\n',
      code: 0,
    });
    expect(host.run('zfs set atime=on zroot/got && zfs inherit mountpoint zroot/got && zfs mount zroot/got && zfs get -H -o property,value,source mountpoint,atime zroot/got && cat /zroot/got/f')).toMatchObject({
      stdout: 'mountpoint\t/zroot/got\tinherited from zroot\natime\ton\tlocal\nr\n',
    });
    expect(host.run('zfs send zroot/rel@a | zfs receive zroot/got').stderr).toBe("cannot receive new filesystem stream: destination 'zroot/got' exists\nmust specify -F to overwrite it\n");
    expect(host.run('zfs destroy -r zroot/got && zfs destroy -r zroot/rel').code).toBe(0);
  });

  it('zpool list, get and status of the one pool', () => {
    expect(host.run('zpool list -H -o name,size,health; zpool get -H -o value version zroot').stdout).toBe('zroot\t928G\tONLINE\n-\n');
    expect(host.run('zpool status zroot').stdout).toContain('  pool: zroot\n state: ONLINE\n');
    expect(host.run('zpool list tank')).toEqual({ stdout: '', stderr: "cannot open 'tank': no such pool\n", code: 1 });
  });
});
