// When the host last booted, from `sysctl -n kern.boottime` (docs/freebsd/host.md): the reboot module
// succeeds only once this has changed.
import { sh } from '../command/command.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';

/** `{ sec = 1715699000, usec = 412345 } Tue May 14 15:03:20 2024` → 1715699000.412345; undefined when unreadable. */
export function parseKernBoottime(output: FactOutput): number | undefined {
  if (output.exitCode !== 0) return undefined;
  const match = /\{\s*sec\s*=\s*(\d+),\s*usec\s*=\s*(\d+)\s*\}/.exec(output.stdout);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return Number(match[1]) + Number(match[2]) / 1e6;
}

/** kern.boottime in seconds since the epoch, microseconds as the fraction. */
export const boottimeFact: Fact<number | undefined> = defineFact('kern.boottime', sh`sysctl -n kern.boottime`, parseKernBoottime);
