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

  it('destroys only with -r when there are children, and then removes the mountpoint', () => {
    expect(host.run('zfs destroy zroot/bastille')).toEqual({
      stdout: '',
      stderr: "cannot destroy 'zroot/bastille': filesystem has children\nuse '-r' to destroy the following datasets:\nzroot/bastille/jails\nzroot/bastille/jails/web\n",
      code: 1,
    });
    expect(host.run('zfs destroy -r zroot/bastille && test ! -e /usr/local/bastille && zfs list -H -o name | grep -c bastille').stdout).toBe('0\n');
  });

  it('snapshots, sparse volumes and inherit', () => {
    host.run('zfs create -o atime=on zroot/data && zfs snapshot zroot/data@one && zfs create -s -V 10G zroot/vol');
    expect(host.run('zfs list -H -t snapshot -o name,used; zfs list -H -o name,used,volsize,refreservation zroot/vol').stdout).toBe('zroot/data@one\t0\nzroot/vol\t56K\t10G\tnone\n');
    expect(host.run('zfs inherit atime zroot/data && zfs get -H -o value,source atime zroot/data').stdout).toBe('off\tinherited from zroot\n');
  });

  it('zpool list, get and status of the one pool', () => {
    expect(host.run('zpool list -H -o name,size,health; zpool get -H -o value version zroot').stdout).toBe('zroot\t928G\tONLINE\n-\n');
    expect(host.run('zpool status zroot').stdout).toContain('  pool: zroot\n state: ONLINE\n');
    expect(host.run('zpool list tank')).toEqual({ stdout: '', stderr: "cannot open 'tank': no such pool\n", code: 1 });
  });
});
