// zfs destroy and zfs unmount of a file system a process of the host holds (its working
// directory there): FreeBSD's zfs_umount flushes the vnodes without FORCECLOSE unless -f
// (MS_FORCE) is given, so the unmount fails with EBUSY, which 12.x's libzfs prints with strerror as
// "cannot unmount 'MOUNTPOINT': Device busy" (OpenZFS, 13.0 on: "pool or dataset is busy");
// nothing is destroyed. Once the process is gone, or
// with -f, the destroy goes through (docs/freebsd/zfs.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootedHost, type HostSandbox } from '../host-sandbox.js';

// Each sandbox call is its own mount namespace, so the holder runs within the same call: a
// subshell that cds into the mountpoint and sleeps (killed at the end, however long the machine takes);
// the call waits until its cwd is there, for at most 30 s.
const hold = (dir: string, then: string) =>
  `(cd ${dir} && exec sleep 600) & h=$!; n=0; until [ "$(readlink /proc/$h/cwd)" = ${dir} ]; do n=$((n + 1)); [ $n -lt 600 ] || { echo "holder never reached ${dir}" >&2; kill $h; exit 1; }; sleep 0.05; done; ${then}; kill $h; wait $h 2>/dev/null; true`;

describe('zfs destroy and unmount of a file system a process holds (seedzfs)', () => {
  let host: HostSandbox;
  beforeAll(() => {
    host = bootedHost('seedzfs');
  });
  afterAll(() => host.dispose());

  it('fails with "Device busy" (12.2) and destroys nothing; once the process is gone it goes', () => {
    host.run('zfs create -o mountpoint=/usr/local/held zroot/held && zfs create zroot/held/kid && echo x >/usr/local/held/kid/f');
    const busy = host.run(hold('/usr/local/held/kid', 'zfs destroy -r zroot/held; echo "destroy $?"; zfs unmount zroot/held; echo "unmount $?"'));
    expect(busy.stderr).toBe("cannot unmount '/usr/local/held/kid': Device busy\ncannot unmount '/usr/local/held/kid': Device busy\n");
    expect(busy.stdout).toBe('destroy 1\nunmount 1\n');
    expect(host.run('zfs list -H -o name,mounted -r zroot/held; cat /usr/local/held/kid/f').stdout).toBe('zroot/held\tyes\nzroot/held/kid\tyes\nx\n');
    expect(host.run('zfs destroy -r zroot/held && zfs list -H -o name -r zroot/held')).toMatchObject({
      stderr: "cannot open 'zroot/held': dataset does not exist\n",
      code: 1,
    });
  });

  it('goes through with -f (MS_FORCE) while the process is still there', () => {
    host.run('zfs create -o mountpoint=/usr/local/forced zroot/forced');
    expect(host.run(hold('/usr/local/forced', 'zfs destroy -f zroot/forced; echo "destroy $?"'))).toMatchObject({ stdout: 'destroy 0\n', stderr: '' });
    expect(host.run('zfs list -H zroot/forced').code).toBe(1);
  });
});
