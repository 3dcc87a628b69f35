// portinstall: community.general.portinstall — packages from FreeBSD's ports system through
// portupgrade's portinstall, as the collection's plugins/modules/portinstall.py does it: `pkg info`
// says what is installed (also under the name without digits: databases/mysql55-client installs
// as mysql-client), ports_glob must find exactly one port, `portinstall --batch [--use-packages]`
// installs it; removal is `pkg delete -y $(pkg_glob NAME)`. portupgrade itself is installed with
// `pkg install -y portupgrade` when portinstall is missing, as the collection does.
import { z } from 'zod';
import { sh, type Command } from '../src/command/command.js';
import { pkgInstalledFact, type PackageState } from '../src/facts/pkg-installed.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type ApplyContext, type ApplyOutcome, type Plan } from '../src/module-api/module.js';

/** A package name or origin: no shell or glob surprises beyond what ports_glob itself matches. */
const PACKAGE = /^[A-Za-z0-9][A-Za-z0-9_.+@*?/-]*$/;

const params = withAliases(
  {
    name: z
      .string()
      .min(1)
      .refine((text) => text.split(',').every((name) => PACKAGE.test(name)), 'package names or origins (sysutils/tmux), comma-separated')
      .describe('Package name or origin (security/cyrus-sasl2-saslauthd); several separated by commas.'),
    state: z.enum(['present', 'absent']).default('present'),
    use_packages: z.boolean().default(true).describe('portinstall --use-packages: a package instead of a build whenever one is available.'),
  },
  { name: ['pkg'] },
);

type Params = z.output<typeof params>;

/** The names the task lists, in order. */
export const packagesOf = (p: Params): string[] => p.name.split(',');

/** The collection's second guess at an installed name: the same without digits (mysql55-client → mysql-client). */
export const withoutDigits = (name: string): string => name.replace(/[0-9]/g, '');

/** Every name whose `pkg info` the plan reads: each package and its digitless form. */
function queried(p: Params): string[] {
  return [...new Set(packagesOf(p).flatMap((name) => [name, withoutDigits(name)]))];
}

const installedFact = (p: Params) => pkgInstalledFact(queried(p), false);

/** query_package: installed under its name, or under the name without digits. */
export function isInstalled(name: string, states: Readonly<Record<string, PackageState>>): boolean {
  return states[name]?.installed === true || (withoutDigits(name) !== name && states[withoutDigits(name)]?.installed === true);
}

/** portinstall's command line for one package. */
export function portinstallCommand(name: string, p: Params): Command {
  return sh`portinstall ${['--batch', ...(p.use_packages ? ['--use-packages'] : []), name]}`;
}

/** pkg delete of what pkg_glob finds for the name (the collection's backquoted pkg_glob). */
export function removeCommand(name: string): Command {
  return sh`pkg delete -y $(pkg_glob ${name})`;
}

/** The packages to install or remove, as steps; the collection's "already" messages when none. */
export function planPortinstall(p: Params, states: Readonly<Record<string, PackageState>>): Plan {
  const names = packagesOf(p);
  if (p.state === 'present') {
    const missing = names.filter((name) => !isInstalled(name, states));
    if (missing.length === 0) return { steps: names.map((name) => ({ kind: 'noop', reason: `${name} is installed` })), values: { msg: 'package(s) already present' } };
    return {
      steps: missing.map((name) => ({
        kind: 'change',
        summary: `install ${name} from ports${p.use_packages ? ' (a package where one exists)' : ''}`,
        actions: [{ kind: 'run', command: portinstallCommand(name, p) }],
        diff: { header: `pkg info ${name}`, before: 'not installed\n', after: 'installed\n' },
      })),
    };
  }
  const present = names.filter((name) => isInstalled(name, states));
  if (present.length === 0) return { steps: names.map((name) => ({ kind: 'noop', reason: `${name} is not installed` })), values: { msg: 'package(s) already absent' } };
  return {
    steps: present.map((name) => ({
      kind: 'change',
      summary: `remove ${name}`,
      actions: [{ kind: 'run', command: removeCommand(name) }],
      diff: { header: `pkg info ${name}`, before: 'installed\n', after: 'not installed\n' },
    })),
  };
}

/** How many ports ports_glob prints for a name (then for its digitless form when none), as matching_packages counts newlines. */
async function matchingPorts(context: ApplyContext, name: string): Promise<number> {
  const count = async (pattern: string) => (await context.run(sh`ports_glob ${pattern}`)).stdout.split('\n').length - 1;
  const found = await count(name);
  return found === 0 && withoutDigits(name) !== name ? count(withoutDigits(name)) : found;
}

/** query_package after acting: the host's answer now, not the observed facts. */
async function installedNow(context: ApplyContext, name: string): Promise<boolean> {
  const fact = pkgInstalledFact([name, withoutDigits(name)], false);
  return isInstalled(name, fact.parse(await context.run(fact.command)));
}

/** install_packages: portupgrade first if portinstall is missing, then each missing package in turn. */
async function install(context: ApplyContext, p: Params, missing: readonly string[]): Promise<ApplyOutcome> {
  const found = await context.run(sh`command -v portinstall || { pkg install -y portupgrade >/dev/null 2>&1 </dev/null; command -v portinstall; } || { printf 'PATH=%s\n' "$PATH"; exit 1; }`);
  if (found.exitCode !== 0) {
    return { changed: false, failure: `Failed to find required executable "portinstall" in paths: ${found.stdout.trim().replace(/^PATH=/, '')}` };
  }
  let installed = 0;
  for (const name of missing) {
    if (await installedNow(context, name)) continue;
    const matches = await matchingPorts(context, name);
    if (matches === 0) return { changed: installed > 0, failure: `no matches for package ${name}` };
    if (matches > 1) return { changed: installed > 0, failure: `${matches} matches found for package name ${name}` };
    const ran = await context.run(portinstallCommand(name, p));
    if (!(await installedNow(context, name))) return { changed: installed > 0, failure: `failed to install ${name}: ${ran.stdout}` };
    installed += 1;
  }
  return installed > 0 ? { changed: true, values: { msg: `present ${installed} package(s)` } } : { changed: false, values: { msg: 'package(s) already present' } };
}

/** remove_packages: pkg_glob must exist (the collection requires it before anything else). */
async function remove(context: ApplyContext, present: readonly string[]): Promise<ApplyOutcome> {
  const glob = await context.run(sh`command -v pkg_glob || { printf 'PATH=%s\n' "$PATH"; exit 1; }`);
  if (glob.exitCode !== 0) return { changed: false, failure: `Failed to find required executable "pkg_glob" in paths: ${glob.stdout.trim().replace(/^PATH=/, '')}` };
  let removed = 0;
  for (const name of present) {
    if (!(await installedNow(context, name))) continue;
    let ran = await context.run(removeCommand(name));
    if (await installedNow(context, name)) {
      ran = await context.run(removeCommand(withoutDigits(name)));
      if (await installedNow(context, name)) return { changed: removed > 0, failure: `failed to remove ${name}: ${ran.stdout}` };
    }
    removed += 1;
  }
  return removed > 0 ? { changed: true, values: { msg: `removed ${removed} package(s)` } } : { changed: false, values: { msg: 'package(s) already absent' } };
}

export default defineModule({
  name: 'portinstall',
  summary: "Install or remove packages from the ports system (community.general.portinstall, portupgrade's portinstall)",
  description:
    'community.general.portinstall: `pkg info NAME` (and NAME without digits) tells what is installed; a missing package must ' +
    'match exactly one port in ports_glob (the ports INDEX), then `portinstall --batch [--use-packages] NAME` installs it; ' +
    "state absent runs `pkg delete -y` on what pkg_glob finds. portupgrade is installed with pkg when portinstall is missing. " +
    "Results and messages are the collection's (present N package(s), no matches for package NAME, …). No --check (the " +
    "collection has none). Differences: pkg_info/pkg_delete of FreeBSD before pkg(8) are not looked for.",
  params,
  example: `- name: Install tmux from ports, or its package
  community.general.portinstall:
    name: sysutils/tmux
    state: present`,
  supportsCheckMode: false,
  needs: (p) => [installedFact(p)],
  async observe(host, p) {
    const [states] = await host.facts(installedFact(p));
    return states;
  },
  plan({ params: p, facts }) {
    return planPortinstall(p, facts);
  },
  async apply(context, { params: p, facts }) {
    const names = packagesOf(p);
    return p.state === 'present' ? install(context, p, names.filter((name) => !isInstalled(name, facts))) : remove(context, names.filter((name) => isInstalled(name, facts)));
  },
});
