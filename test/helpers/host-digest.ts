// A digest of every file a simulated host could have changed (its overlay upper dirs), to prove a
// command wrote nothing. The simulated kernel's state (/var/sim/run: modules, jails, guests) is
// left out unless asked for. Files of 1 MiB and more (guest disks: sparse, many GiB) count by
// size and modification time, so the digest never reads gigabytes.
import { execFileSync } from 'node:child_process';
import type { TestFleet } from './fleet.js';

/** sha256 of each small file the host wrote, size and mtime of each large one; `withKernel` includes /var/sim/run. */
export function hostDigest(fleet: TestFleet, host: string, options: { readonly withKernel?: boolean } = {}): string {
  const skip = `${options.withKernel === true ? '' : " ! -path './var/sim/run/*'"} ! -path './var/log/*'`;
  const script = `cd ${fleet.dir}/hosts/${host}/upper && find . -type f${skip} -size -1024k -print0 | sort -z | xargs -0 -r sha256sum && find . -type f${skip} -size +1023k -printf '%s %T@ %p\\n' | sort`;
  return execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
}
