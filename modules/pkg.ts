// pkg: FreeBSD packages through pkg(8) — installed, removed, or at the newest version. Every
// package is looked up in one round trip; install, upgrade and delete each run once for all the
// packages that need it. With the task keyword `jail:` it manages the jail's packages, and a
// fresh jail's pkg is bootstrapped by the install itself (ASSUME_ALWAYS_YES).
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { pkgInstalledFact, type PackageState } from '../src/facts/pkg-installed.js';
import { defineModule, type Plan, type Step } from '../src/module/module.js';

const packageName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.+@/-]*$/, 'a package name or origin such as vm-bhyve or sysutils/vm-bhyve');

const params = z.strictObject({
  name: z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (typeof value === 'string' ? value.split(/[,\s]+/) : value).filter((name) => name !== ''))
    .pipe(z.array(packageName).min(1))
    .describe('Package names (a list, or one string separated by commas or spaces).'),
  state: z.enum(['present', 'absent', 'latest']).default('present').describe('present: installed; absent: not installed; latest: installed and upgraded when a newer version exists.'),
});

type Params = z.output<typeof params>;

/** The list of installed packages as the diff shows it. */
function listing(names: readonly string[], installed: (name: string) => boolean): string {
  return names.map((name) => `${name}: ${installed(name) ? 'installed' : 'absent'}\n`).join('');
}

/** The pkg commands that bring every package to the wanted state. */
export function planPkg(p: Params, facts: Readonly<Record<string, PackageState>>): Plan {
  const state = (name: string): PackageState => facts[name] ?? { installed: false };
  const steps: Step[] = [];
  const before = listing(p.name, (name) => state(name).installed);
  if (p.state === 'absent') {
    const remove = p.name.filter((name) => state(name).installed);
    if (remove.length === 0) return { steps: [{ kind: 'noop', reason: `${p.name.join(', ')} not installed` }] };
    return {
      steps: [
        {
          kind: 'change',
          summary: `remove ${remove.join(' ')}`,
          actions: [{ kind: 'run', command: sh`env ASSUME_ALWAYS_YES=yes pkg delete -y ${remove}` }],
          diff: { header: 'pkg', before, after: listing(p.name, (name) => state(name).installed && !remove.includes(name)) },
        },
      ],
    };
  }
  const install = p.name.filter((name) => !state(name).installed);
  const upgrade = p.state === 'latest' ? p.name.filter((name) => state(name).installed && state(name).upgradable === true) : [];
  if (install.length > 0) {
    steps.push({
      kind: 'change',
      summary: `install ${install.join(' ')}`,
      actions: [{ kind: 'run', command: sh`env ASSUME_ALWAYS_YES=yes pkg install -y ${install}` }],
      diff: { header: 'pkg', before, after: listing(p.name, () => true) },
    });
  }
  if (upgrade.length > 0) {
    steps.push({
      kind: 'change',
      summary: `upgrade ${upgrade.join(' ')}`,
      actions: [{ kind: 'run', command: sh`env ASSUME_ALWAYS_YES=yes pkg upgrade -y ${upgrade}` }],
      diff: { header: 'pkg upgrades', before: upgrade.map((name) => `${name}: older\n`).join(''), after: upgrade.map((name) => `${name}: latest\n`).join('') },
    });
  }
  if (steps.length === 0) {
    steps.push({ kind: 'noop', reason: `${p.name.join(', ')} ${p.name.length === 1 ? 'is' : 'are'} installed${p.state === 'latest' ? ' and up to date' : ''}` });
  }
  return { steps };
}

/** After pkg ran: the packages that are still not as wanted. */
export function verifyPkg(p: Params, facts: Readonly<Record<string, PackageState>>): string | undefined {
  const wrong = p.name.filter((name) => {
    const state = facts[name] ?? { installed: false };
    if (p.state === 'absent') return state.installed;
    return !state.installed || (p.state === 'latest' && state.upgradable === true);
  });
  if (wrong.length === 0) return undefined;
  return `pkg exited 0 but ${wrong.join(', ')} ${wrong.length === 1 ? 'is' : 'are'} still ${p.state === 'absent' ? 'installed' : p.state === 'latest' ? 'not installed at the latest version' : 'not installed'}`;
}

export default defineModule({
  name: 'pkg',
  summary: 'Install, remove or upgrade FreeBSD packages with pkg(8), also inside a jail',
  description:
    "Ansible's community.general.pkgng for name and state. Each package is checked with `pkg info -e` " +
    '(and `pkg upgrade -n` for latest, rc 1 meaning an upgrade exists), all in one round trip; then ' +
    '`pkg install -y`, `pkg upgrade -y` or `pkg delete -y` runs once for the packages that need it, with ' +
    'ASSUME_ALWAYS_YES=yes so a fresh jail bootstraps pkg. The packages are checked again afterwards. ' +
    'Differences from Ansible: no cached, annotation, autoremove, pkgsite, rootdir, chroot or jail ' +
    'parameter — use the task keyword `jail:` to manage a jail\'s packages.',
  params,
  example: `- name: vm-bhyve and its firmware are installed in the jail
  pkg:
    name: [vm-bhyve, bhyve-firmware]
  jail: bhyve`,
  needs: (p) => [pkgInstalledFact(p.name, p.state === 'latest')],
  async observe(host, p) {
    const [states] = await host.facts(pkgInstalledFact(p.name, p.state === 'latest'));
    return states;
  },
  plan({ params: p, facts }) {
    return planPkg(p, facts);
  },
  verify({ params: p, facts }) {
    return verifyPkg(p, facts);
  },
});
