// What `pkg autoremove -n` and `pkg upgrade -n` (every package) would do, as Ansible's pkgng
// counts it: "Deinstallation has been requested for the following N packages" and "Number of
// packages to be upgraded: N" / "…reinstalled: N" (freebsd/pkg src/autoremove.c, src/upgrade.c).
import { sh } from '../command/command.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';

/** How many packages the dry run would remove or upgrade. */
export function parsePkgDryRun(output: FactOutput): number {
  const removed = /^Deinstallation has been requested for the following (\d+) packages/m.exec(output.stdout);
  if (removed?.[1] !== undefined) return Number(removed[1]);
  let count = 0;
  for (const match of output.stdout.matchAll(/^Number of packages to be (?:upgraded|reinstalled): (\d+)/gm)) count += Number(match[1]);
  return count;
}

/** `pkg [FLAGS] autoremove -n` or `pkg [FLAGS] upgrade -n`, stdin closed so nothing prompts. */
export function pkgDryRunFact(what: 'autoremove' | 'upgrade', flags: readonly string[]): Fact<number> {
  return defineFact(`pkg-dry-run:${what}:${flags.join(' ')}`, sh`env ASSUME_ALWAYS_YES=yes pkg ${[...flags, what, '-n']} </dev/null 2>&1`, parsePkgDryRun);
}
