// A digest of every file a simulated host could have changed (its overlay upper dirs, and the
// datasets of its simulated pool under zroot/ on a ZFS host), to prove a command wrote nothing.
// The simulated kernel's state (/var/sim/run: modules, jails, guests) is left out unless asked
// for. Files of 1 MiB and more (guest disks: sparse, many GiB) count by size and modification
// time, so the digest never reads gigabytes: reading one sparse 4 GiB disk through sha256sum
// took ten minutes on the loaded CI machine.
import { execFileSync } from 'node:child_process';
import type { TestFleet } from './fleet.js';

export interface HostDigestOptions {
  /** Include /var/sim/run (the simulated kernel's modules, jails and guests). */
  readonly withKernel?: boolean;
  /** Also list every directory, so a created or removed empty directory counts as a change. */
  readonly directories?: boolean;
}

/** sha256 of each small file the host wrote, size and mtime of each large one. */
export function hostDigest(fleet: TestFleet, host: string, options: HostDigestOptions = {}): string {
  const skip = `${options.withKernel === true ? '' : " ! -path './upper/var/sim/run/*'"} ! -path './upper/var/log/*'`;
  const roots = `$(for d in upper zroot; do if [ -d "$d" ]; then echo "./$d"; fi; done)`;
  const script = [
    `cd ${fleet.dir}/hosts/${host} && roots=${roots}`,
    `find $roots -type f${skip} -size -1024k -print0 | sort -z | xargs -0 -r sha256sum`,
    `find $roots -type f${skip} -size +1023k -printf '%s %T@ %p\\n' | sort`,
    ...(options.directories === true ? [`find $roots -type d${skip} | sort`] : []),
  ].join(' && ');
  return execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
}
