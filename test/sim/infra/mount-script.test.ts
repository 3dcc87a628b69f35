import { describe, expect, it } from 'vitest';
import { hostPaths } from '../../../sim/infra/fleet-layout.js';
import { renderMountScript, READY_LINE } from '../../../sim/infra/mount-script.js';
import { checkFleetPath } from '../../../sim/infra/fleet-dir.js';

const input = {
  hostname: 'sim02',
  paths: hostPaths('/tmp/fleet', 'sim02'),
  profileRoot: '/src/sim/profiles/seed/root',
  profileLayers: new Set(['/etc', '/boot']),
  toolsDir: '/tmp/fleet/tools',
  emptyDir: '/tmp/fleet/empty',
};

describe('renderMountScript', () => {
  const lines = renderMountScript(input).trim().split('\n');

  it('layers each dir: the profile above the real dir, else the real dir, else an empty one', () => {
    expect(lines).toContain(
      "mount -t overlay -o lowerdir=/src/sim/profiles/seed/root/etc:/etc,upperdir=/tmp/fleet/hosts/sim02/upper/etc,workdir=/tmp/fleet/hosts/sim02/work/etc beastie-sim /etc",
    );
    expect(lines).toContain(
      "mount -t overlay -o lowerdir=/usr/local,upperdir=/tmp/fleet/hosts/sim02/upper/usr/local,workdir=/tmp/fleet/hosts/sim02/work/usr-local beastie-sim /usr/local",
    );
    expect(lines).toContain(
      "mount -t overlay -o lowerdir=/src/sim/profiles/seed/root/boot,upperdir=/tmp/fleet/hosts/sim02/upper/boot,workdir=/tmp/fleet/hosts/sim02/work/boot beastie-sim /boot",
    );
    expect(lines).toContain(
      "mount -t overlay -o lowerdir=/tmp/fleet/empty,upperdir=/tmp/fleet/hosts/sim02/upper/usr/src,workdir=/tmp/fleet/hosts/sim02/work/usr-src beastie-sim /usr/src",
    );
  });

  it('mounts the tools inside the host’s /usr/local, /var last, then names the host and waits', () => {
    const at = (prefix: string) => lines.findIndex((line) => line.includes(prefix));
    expect(at('mount --bind -o ro /tmp/fleet/tools /usr/local/freebsd')).toBe(at('beastie-sim /usr/local') + 1);
    expect(at('beastie-sim /var')).toBe(lines.length - 4);
    expect(lines.slice(-3)).toEqual([
      "printf '%s\\n' sim02 > /proc/sys/kernel/hostname",
      `echo ${READY_LINE}`,
      'exec sleep infinity </dev/null >/dev/null 2>&1',
    ]);
    expect(lines.slice(0, 3)).toEqual(['set -e', 'mount --bind /tmp/fleet/hosts/sim02/run /run', 'mount --bind /tmp/fleet/hosts/sim02/root /root']);
  });
});

describe('checkFleetPath', () => {
  it('refuses directories the hosts replace, and characters overlayfs options cannot hold', () => {
    expect(checkFleetPath('/tmp/fleet', 'DIR')).toBe('/tmp/fleet');
    expect(() => checkFleetPath('/var/tmp/fleet', 'DIR')).toThrow('is under /var, which every simulated host replaces');
    expect(() => checkFleetPath('/root/fleet', 'DIR')).toThrow('is under /root');
    expect(() => checkFleetPath('/tmp/a,b', 'DIR')).toThrow('comma, colon');
  });
});
