// Where a fleet keeps its files on the Linux side. Everything lives under DIR; host K's state
// under DIR/hosts/simK/ (issue 4 contract).
import { join } from 'node:path';

/** A directory a host sees as its own: overlayfs with per-host upper/work dirs. */
export interface OverlaidDir {
  /** The path inside the host, e.g. `/usr/local`. */
  readonly path: string;
  /** Whether the real Linux directory is the bottom layer (else only the profile's layer). */
  readonly realLower: boolean;
}

/**
 * The overlaid directories, in mount order. `/var` comes last so that every other mount's
 * source was resolved before it, and `/usr/local` before `/usr/local/freebsd` is mounted in it.
 */
export const OVERLAID_DIRS: readonly OverlaidDir[] = [
  { path: '/etc', realLower: true },
  { path: '/usr/local', realLower: true },
  { path: '/boot', realLower: false },
  { path: '/usr/src', realLower: false },
  // The ports tree (portsnap/git checkout): empty unless the profile or the host puts one there.
  { path: '/usr/ports', realLower: false },
  { path: '/var', realLower: true },
];

/** Where a root-on-ZFS host's pool mounts (the installer's `zroot`, mountpoint /zroot). */
export const POOL_MOUNT = '/zroot';

/** Where the fake tools appear inside every host (bin, lib, libexec). */
export const TOOLS_MOUNT = '/usr/local/freebsd';

/** PATH of every session on a simulated host: the fake FreeBSD tools first. */
export const HOST_PATH = `${TOOLS_MOUNT}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;

/** The boot script the host tools provide (sim/CONTRACT.md, "Boot"). */
export const DEFAULT_BOOT_SCRIPT = `${TOOLS_MOUNT}/libexec/sim-boot`;

/** Inside a host: the file whose existence asks infra to reboot it. */
export const REBOOT_REQUEST = '/var/sim/reboot-request';

/** The files of a fleet in DIR. */
export function fleetPaths(dir: string) {
  return {
    dir,
    record: join(dir, 'fleet.json'),
    inventory: join(dir, 'inventory.yml'),
    sshDir: join(dir, 'ssh'),
    clientKey: join(dir, 'ssh', 'id_ed25519'),
    clientPublicKey: join(dir, 'ssh', 'id_ed25519.pub'),
    knownHosts: join(dir, 'ssh', 'known_hosts'),
    authorizedKeys: join(dir, 'ssh', 'authorized_keys'),
    tools: join(dir, 'tools'),
    emptyDir: join(dir, 'empty'),
    hostsDir: join(dir, 'hosts'),
    supervisorLog: join(dir, 'supervisor.log'),
    supervisorReady: join(dir, 'supervisor.ready'),
  } as const;
}

/** The files of a fleet, as {@link fleetPaths} returns them. */
export type FleetPaths = ReturnType<typeof fleetPaths>;

/** Path component for an overlaid dir's upper/work directory: `/usr/local` → `usr/local`. */
export function relativeOverlay(path: string): string {
  return path.replace(/^\//, '');
}

/** The files of host `name` in DIR. */
export function hostPaths(dir: string, name: string) {
  const home = join(dir, 'hosts', name);
  return {
    home,
    /** upperdir of an overlaid dir: everything the host wrote there. */
    upper: (path: string) => join(home, 'upper', relativeOverlay(path)),
    /** workdir of an overlaid dir (overlayfs scratch space, same filesystem as upper). */
    work: (path: string) => join(home, 'work', relativeOverlay(path).replace(/\//g, '-')),
    root: join(home, 'root'),
    run: join(home, 'run'),
    /** A root-on-ZFS host's /zroot, where the pool's datasets mount by default. */
    zroot: join(home, 'zroot'),
    sshdConfig: join(home, 'sshd_config'),
    hostKey: join(home, 'ssh_host_ed25519_key'),
    hostPublicKey: join(home, 'ssh_host_ed25519_key.pub'),
    sshdLog: join(home, 'sshd.log'),
    /** The sshd PidFile on the Linux side (inside the host: /run/sshd.pid). */
    sshdPid: join(home, 'run', 'sshd.pid'),
    holder: join(home, 'holder.json'),
    holderLog: join(home, 'holder.log'),
    bootLog: join(home, 'boot.log'),
    state: join(home, 'state.json'),
    powerCycleRequest: join(home, 'power-cycle-request'),
  } as const;
}

/** The files of one host, as {@link hostPaths} returns them. */
export type HostPaths = ReturnType<typeof hostPaths>;
