// The /bin/sh script a host's holder runs inside its fresh mount + UTS namespace: it builds the
// host's view of the filesystem, sets its hostname, says "ready" and becomes `sleep infinity`.
import { join } from 'node:path';
import { quoteShellWord } from '../../src/command/quote.js';
import { OVERLAID_DIRS, POOL_MOUNT, TOOLS_MOUNT, type HostPaths } from './fleet-layout.js';

/** The word a holder prints once its mounts are in place. */
export const READY_LINE = 'sim-holder-ready';

/** Name given to every mount a host makes, so they can be recognised in /proc/PID/mountinfo. */
export const MOUNT_SOURCE = 'beastie-sim';

/** What the script needs: the host's paths, its name, and the layers below its upper dirs. */
export interface MountScriptInput {
  readonly hostname: string;
  readonly paths: HostPaths;
  /** The profile's root/ layer and, for each overlaid dir, whether the profile has a layer for it. */
  readonly profileRoot: string;
  readonly profileLayers: ReadonlySet<string>;
  /** DIR/tools: bin, lib and libexec, bind-mounted read-only at /usr/local/freebsd. */
  readonly toolsDir: string;
  /** An empty directory: the bottom layer of /boot, /usr/src and /usr/ports when the profile has none. */
  readonly emptyDir: string;
  /** A root-on-ZFS host gets its own /zroot (the pool's default mountpoint). */
  readonly zfsRoot?: boolean;
}

/** Overlayfs lowers of one dir, top first: the profile's layer, then the real dir (or an empty one). */
export function lowerDirs(input: MountScriptInput, path: string, realLower: boolean): string[] {
  const lowers: string[] = [];
  if (input.profileLayers.has(path)) lowers.push(join(input.profileRoot, path));
  if (realLower) lowers.push(path);
  if (lowers.length === 0) lowers.push(input.emptyDir);
  return lowers;
}

/** The script's text; every path is quoted (paths with `,` or `:` are refused earlier: overlayfs options cannot hold them). */
export function renderMountScript(input: MountScriptInput): string {
  const q = quoteShellWord;
  const lines = [
    'set -e',
    // /var/run is a symlink to /run on Debian, so this also gives the host its own /var/run.
    `mount --bind ${q(input.paths.run)} /run`,
    `mount --bind ${q(input.paths.root)} /root`,
  ];
  if (input.zfsRoot) lines.push(`mount --bind ${q(input.paths.zroot)} ${POOL_MOUNT}`);
  for (const dir of OVERLAID_DIRS) {
    const options = [
      `lowerdir=${lowerDirs(input, dir.path, dir.realLower).join(':')}`,
      `upperdir=${input.paths.upper(dir.path)}`,
      `workdir=${input.paths.work(dir.path)}`,
    ].join(',');
    lines.push(`mount -t overlay -o ${q(options)} ${MOUNT_SOURCE} ${q(dir.path)}`);
    if (dir.path === '/usr/local') lines.push(`mount --bind -o ro ${q(input.toolsDir)} ${TOOLS_MOUNT}`);
  }
  lines.push(
    `printf '%s\\n' ${q(input.hostname)} > /proc/sys/kernel/hostname`,
    `echo ${READY_LINE}`,
    'exec sleep infinity </dev/null >/dev/null 2>&1',
  );
  return `${lines.join('\n')}\n`;
}
