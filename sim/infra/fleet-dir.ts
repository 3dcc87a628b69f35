// Checks on DIR before a fleet is made in it: overlayfs options cannot hold `,` or `:`, and DIR
// must stay visible, unchanged, inside every host (sshd reads its config and keys from it there).
import { resolve, sep } from 'node:path';
import { OVERLAID_DIRS } from './fleet-layout.js';
import { SimError } from './sim-error.js';

/** Directories a host replaces with its own: DIR (or the project) must not lie under them. */
const HIDDEN_IN_HOSTS = [...OVERLAID_DIRS.map((dir) => dir.path), '/run', '/root', '/proc', '/sys', '/dev'];

function isUnder(path: string, parent: string): boolean {
  return path === parent || path.startsWith(parent + sep);
}

/** The absolute form of a directory the hosts use, or an error saying why it cannot be used. */
export function checkFleetPath(path: string, what: string): string {
  const absolute = resolve(path);
  if (/[,:\s\\]/.test(absolute)) {
    throw new SimError(`${what} ${absolute} contains a comma, colon, backslash or space, which overlayfs mount options cannot hold`);
  }
  const hidden = HIDDEN_IN_HOSTS.find((parent) => isUnder(absolute, parent));
  if (hidden) {
    throw new SimError(`${what} ${absolute} is under ${hidden}, which every simulated host replaces with its own; use a directory such as /tmp/fleet`);
  }
  return absolute;
}
