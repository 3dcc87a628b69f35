// Which packages pkg(8) has installed, every name in one command: `pkg info -e NAME` per package
// (rc 0 when installed) and, for state latest, `pkg upgrade -n NAME` (rc 1 when an upgrade is
// available — how Ansible's pkgng asks). stdin is /dev/null so the bootstrapper of a fresh jail
// answers "not installed" instead of prompting.
import { sh } from '../command/command.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';

/** One package's state. `upgradable` is only known when asked for. */
export interface PackageState {
  readonly installed: boolean;
  readonly upgradable?: boolean;
}

/** Lines `NAME installed [upgradable|current]` or `NAME absent`. */
export function parsePkgInstalled(output: FactOutput): Record<string, PackageState> {
  const states: Record<string, PackageState> = {};
  for (const line of output.stdout.split('\n')) {
    const match = /^(\S+) (installed|absent)(?: (upgradable|current))?$/.exec(line.trim());
    if (match?.[1] === undefined) continue;
    states[match[1]] = {
      installed: match[2] === 'installed',
      ...(match[3] === undefined ? {} : { upgradable: match[3] === 'upgradable' }),
    };
  }
  return states;
}

/** The state of every package in `names`; with `checkUpgrades`, whether each installed one has a newer version. */
export function pkgInstalledFact(names: readonly string[], checkUpgrades: boolean, flags: readonly string[] = []): Fact<Record<string, PackageState>> {
  const upgrade = checkUpgrades
    ? sh`if pkg ${[...flags, 'upgrade', '-n']} "$p" >/dev/null 2>&1 </dev/null; then echo "$p installed current"; else echo "$p installed upgradable"; fi`
    : sh`echo "$p installed"`;
  return defineFact(
    `pkg-installed:${flags.length === 0 ? '' : `${flags.join(' ')}:`}${checkUpgrades ? 'latest:' : ''}${names.join(',')}`,
    sh`for p in ${names}; do if pkg ${[...flags, 'info', '-e']} "$p" >/dev/null 2>&1 </dev/null; then ${upgrade}; else echo "$p absent"; fi; done`,
    parsePkgInstalled,
  );
}
