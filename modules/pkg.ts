// pkg: FreeBSD packages through pkg(8) — installed, removed, or at the newest version — with every
// parameter of community.general.pkgng (modules/pkgng.ts is the same module under that name).
// Every package is looked up in one round trip; install, upgrade and delete each run once for all
// the packages that need it. `jail` (or the task keyword `jail:`) manages a jail's packages, and a
// fresh jail's pkg is bootstrapped by the install itself (ASSUME_ALWAYS_YES).
import { z } from 'zod';
import { sh, type Command } from '../src/command/command.js';
import { pkgAnnotationsFact, type PackageAnnotations } from '../src/facts/pkg-annotations.js';
import { pkgDryRunFact } from '../src/facts/pkg-dry-run.js';
import { pkgInstalledFact, type PackageState } from '../src/facts/pkg-installed.js';
import type { Fact } from '../src/facts/fact.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type ModuleDefinition, type Plan, type Step } from '../src/module-api/module.js';

const packageName = z.string().regex(/^(\*|[A-Za-z0-9*?[\]][A-Za-z0-9_.+@/*?[\]-]*)$/, 'a package name, origin or glob such as vm-bhyve, sysutils/vm-bhyve or py3*');

/** Ansible's annotation syntax: `+tag=value` add, `-tag` delete, `:tag=value` modify. */
const ANNOTATION = /^([-+:])([^=]+)(?:=(.+))?$/;

const params = withAliases(
  {
    name: z
      .union([z.string(), z.array(z.string())])
      // As pkgng: a single entry may hold several names separated by commas or spaces.
      .transform((value) => (typeof value === 'string' ? [value] : value))
      .transform((names) => (names.length === 1 ? (names[0] ?? '').split(/[,\s]+/) : names).filter((name) => name !== ''))
      .pipe(z.array(packageName).min(1))
      .describe("Package names (a list, or one string separated by commas or spaces); '*' with state latest upgrades every package."),
    state: z.enum(['present', 'absent', 'latest']).default('present').describe('present: installed; absent: not installed; latest: installed and upgraded when a newer version exists.'),
    cached: z.boolean().default(false).describe('Use the local catalogue: no `pkg update` first, and `install -U`.'),
    annotation: z
      .union([z.string(), z.array(z.string())])
      .transform((value) => (typeof value === 'string' ? [value] : value))
      // As pkgng: one entry may hold several annotations separated by commas.
      .transform((list) => (list.length === 1 ? (list[0] ?? '').split(/\s*,\s*/) : list))
      .pipe(z.array(z.string().regex(ANNOTATION, '+tag=value (add), -tag (delete) or :tag=value (modify)')))
      .optional()
      .describe('Annotations of the named packages: +tag=value adds, -tag deletes, :tag=value modifies.'),
    pkgsite: z.string().min(1).optional().describe('The repository (as configured in /usr/local/etc/pkg/repos) to install and upgrade from (`-r`).'),
    rootdir: z.string().min(1).optional().describe('Install packages under this root directory (`pkg -r`).'),
    chroot: z.string().min(1).optional().describe('Run pkg chrooted into this directory (`pkg -c`).'),
    jail: z.string().min(1).optional().describe('Manage the packages of this running jail (name or jid), as the task keyword jail: does.'),
    autoremove: z.boolean().default(false).describe('Remove packages installed automatically that nothing needs any more (`pkg autoremove`).'),
    ignore_osver: z.boolean().default(false).describe('Ignore the FreeBSD version check (IGNORE_OSVERSION=yes), for -STABLE and -CURRENT.'),
    use_globs: z.boolean().default(true).describe('Treat names as glob patterns (`-g`).'),
  },
  { name: ['pkg'] },
).superRefine((p, context) => {
  const roots = (['rootdir', 'chroot', 'jail'] as const).filter((key) => p[key] !== undefined);
  if (roots.length > 1) context.addIssue({ code: 'custom', path: [roots[1] ?? 'jail'], message: `parameters are mutually exclusive: rootdir|chroot|jail (got ${roots.join(', ')})` });
  if (p.name.includes('*') && p.state !== 'latest') context.addIssue({ code: 'custom', path: ['name'], message: "name '*' only makes sense with state latest (Ansible: a no-op otherwise)" });
});

type Params = z.output<typeof params>;

/** pkg's global flags for chroot/rootdir (the jail is the task's session). */
export function pkgFlags(p: Params): string[] {
  return p.chroot !== undefined ? ['-c', p.chroot] : p.rootdir !== undefined ? ['-r', p.rootdir] : [];
}

/** `env ASSUME_ALWAYS_YES=yes [IGNORE_OSVERSION=yes] pkg FLAGS ACTION ARGS`. */
function pkgCommand(p: Params, words: readonly string[]): Command {
  const env = ['ASSUME_ALWAYS_YES=yes', ...(p.ignore_osver ? ['IGNORE_OSVERSION=yes'] : [])];
  return sh`env ${[...env, 'pkg', ...pkgFlags(p), ...words]}`;
}

/** The named packages (without '*'). */
function named(p: Params): string[] {
  return p.name.filter((name) => name !== '*');
}

/** `-g` when a name is a glob and globs are on. */
function globFlag(p: Params, names: readonly string[]): string[] {
  return p.use_globs && names.some((name) => /[*?[]/.test(name)) ? ['-g'] : [];
}

/** What pkg reports now. */
export interface PkgFacts {
  readonly states: Readonly<Record<string, PackageState>>;
  /** Packages `pkg upgrade -n` would upgrade (name '*' with state latest). */
  readonly upgradeAll?: number;
  /** Packages `pkg autoremove -n` would remove (autoremove). */
  readonly autoremove?: number;
  readonly annotations?: PackageAnnotations;
}

/** The facts pkg reads for these parameters, in one round trip. */
export function pkgFacts(p: Params): Fact<unknown>[] {
  const flags = pkgFlags(p);
  const facts: Fact<unknown>[] = [pkgInstalledFact(named(p).length === 0 ? ['pkg'] : named(p), p.state === 'latest', flags)];
  if (p.name.includes('*')) facts.push(pkgDryRunFact('upgrade', flags));
  if (p.autoremove) facts.push(pkgDryRunFact('autoremove', flags));
  if (p.annotation !== undefined) facts.push(pkgAnnotationsFact(named(p), flags));
  return facts;
}

/** The list of installed packages as the diff shows it. */
function listing(names: readonly string[], installed: (name: string) => boolean): string {
  return names.map((name) => `${name}: ${installed(name) ? 'installed' : 'absent'}\n`).join('');
}

/** `N package` / `N packages`, as pkgng words its counts. */
function packages(count: number): string {
  return `${count} package${count === 1 ? '' : 's'}`;
}

/** The annotate steps, or Ansible's failure for an annotation that cannot be applied. */
function planAnnotations(p: Params, facts: PkgFacts): { steps: Step[]; message: string } | { failure: string } {
  const steps: Step[] = [];
  for (const name of named(p)) {
    const current = facts.annotations?.[name] ?? {};
    for (const annotation of p.annotation ?? []) {
      const [, operation, tag = '', value] = ANNOTATION.exec(annotation) ?? [];
      const have = current[tag];
      const annotate = (flag: string, summary: string, words: readonly string[]): Step => ({
        kind: 'change',
        summary,
        actions: [{ kind: 'run', command: pkgCommand(p, ['annotate', '-y', flag, name, tag, ...words]) }],
        diff: { header: `pkg annotation ${name} ${tag}`, before: have === undefined ? '' : `${tag}: ${have}\n`, after: flag === '-D' ? '' : `${tag}: ${value ?? ''}\n` },
      });
      if (operation === '+') {
        if (have === undefined) steps.push(annotate('-A', `annotate ${name}: ${tag}=${value ?? ''}`, [value ?? '']));
        else if (have !== value) return { failure: `failed to annotate ${name}, because ${tag} is already set to ${have}, but should be set to ${value ?? ''}` };
      } else if (operation === '-') {
        if (have !== undefined) steps.push(annotate('-D', `delete annotation ${tag} of ${name}`, []));
      } else {
        if (have === undefined) return { failure: `could not change annotation to ${name}: tag ${tag} does not exist` };
        if (have !== value) steps.push(annotate('-M', `annotate ${name}: ${tag}=${value ?? ''}`, [value ?? '']));
      }
    }
  }
  return { steps, message: steps.length > 0 ? `added ${steps.length} annotations.` : 'changed no annotations' };
}

/** The pkg commands that bring every package to the wanted state, with pkgng's messages. */
export function planPkg(p: Params, facts: PkgFacts): Plan {
  const state = (name: string): PackageState => facts.states[name] ?? { installed: false };
  const steps: Step[] = [];
  const messages: string[] = [];
  const names = named(p);
  const before = listing(names, (name) => state(name).installed);
  if (p.name.includes('*')) {
    const count = facts.upgradeAll ?? 0;
    if (count > 0) {
      steps.push({ kind: 'change', summary: `upgrade ${packages(count)}`, actions: [{ kind: 'run', command: pkgCommand(p, ['upgrade', '-y']) }] });
      messages.push(`updated ${count} package(s)`);
    } else messages.push('no packages need upgrades');
  }
  if (names.length > 0 && p.state === 'absent') {
    const remove = names.filter((name) => state(name).installed);
    if (remove.length > 0) {
      steps.push({
        kind: 'change',
        summary: `remove ${remove.join(' ')}`,
        actions: [{ kind: 'run', command: pkgCommand(p, ['delete', '-y', ...remove]) }],
        diff: { header: 'pkg', before, after: listing(names, (name) => state(name).installed && !remove.includes(name)) },
      });
      messages.push(`removed ${remove.length} package(s)`);
    } else {
      messages.push('package(s) already absent');
      steps.push({ kind: 'noop', reason: `${names.join(', ')} not installed` });
    }
  } else if (names.length > 0) {
    const install = names.filter((name) => !state(name).installed);
    const upgrade = p.state === 'latest' ? names.filter((name) => state(name).installed && state(name).upgradable === true) : [];
    // Without cached, pkgng refreshes the catalogue before it installs or upgrades.
    const update = p.cached ? [] : [{ kind: 'run' as const, command: pkgCommand(p, ['update']) }];
    const repository = p.pkgsite === undefined ? [] : ['-r', p.pkgsite];
    const counted: string[] = [];
    if (install.length > 0) {
      steps.push({
        kind: 'change',
        summary: `install ${install.join(' ')}`,
        actions: [...update, { kind: 'run', command: pkgCommand(p, ['install', ...(p.cached ? ['-U'] : []), ...repository, ...globFlag(p, install), '-y', ...install]) }],
        diff: { header: 'pkg', before, after: listing(names, () => true) },
      });
      counted.push(`installed ${packages(install.length)}`);
    }
    if (upgrade.length > 0) {
      steps.push({
        kind: 'change',
        summary: `upgrade ${upgrade.join(' ')}`,
        actions: [...(install.length > 0 ? [] : update), { kind: 'run', command: pkgCommand(p, ['upgrade', ...(p.cached ? ['-U'] : []), ...repository, ...globFlag(p, upgrade), '-y', ...upgrade]) }],
        diff: { header: 'pkg upgrades', before: upgrade.map((name) => `${name}: older\n`).join(''), after: upgrade.map((name) => `${name}: latest\n`).join('') },
      });
      counted.push(`upgraded ${packages(upgrade.length)}`);
    }
    messages.push(counted.length > 0 ? counted.join('; ') : `package(s) already ${p.state}`);
    if (counted.length === 0) {
      steps.push({ kind: 'noop', reason: `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} installed${p.state === 'latest' ? ' and up to date' : ''}` });
    }
  }
  if (p.autoremove) {
    const count = facts.autoremove ?? 0;
    if (count > 0) {
      steps.push({ kind: 'change', summary: `autoremove ${packages(count)}`, actions: [{ kind: 'run', command: pkgCommand(p, ['autoremove', '-y']) }] });
      messages.push(`autoremoved ${count} package(s)`);
    } else messages.push('no package(s) to autoremove');
  }
  if (p.annotation !== undefined) {
    const annotations = planAnnotations(p, facts);
    if ('failure' in annotations) return { steps: [], failure: annotations.failure, values: { msg: annotations.failure } };
    steps.push(...annotations.steps);
    messages.push(annotations.message);
  }
  if (steps.length === 0) steps.push({ kind: 'noop', reason: messages.join(', ') });
  return { steps, values: { msg: messages.join(', ') } };
}

/** After pkg ran: the packages that are still not as wanted (pkgng's own "failed to …" words). */
export function verifyPkg(p: Params, facts: PkgFacts): string | undefined {
  for (const name of named(p)) {
    const current = facts.states[name] ?? { installed: false };
    if (p.state === 'absent' && current.installed) return `failed to remove ${name}`;
    if (p.state !== 'absent' && !current.installed) return `failed to install ${name}`;
    if (p.state === 'latest' && current.upgradable === true) return `failed to upgrade ${name}`;
  }
  return undefined;
}

/** Read the facts of {@link pkgFacts} and name them. */
async function observePkg(host: Parameters<ModuleDefinition['observe']>[0], p: Params): Promise<PkgFacts> {
  const facts = pkgFacts(p);
  const values = await host.facts(...facts);
  let index = 1;
  const upgradeAll = p.name.includes('*') ? { upgradeAll: values[index++] as number } : {};
  const autoremove = p.autoremove ? { autoremove: values[index++] as number } : {};
  const annotations = p.annotation !== undefined ? { annotations: values[index++] as PackageAnnotations } : {};
  return { states: values[0] as Record<string, PackageState>, ...upgradeAll, ...autoremove, ...annotations };
}

/** The module under a name: `pkg` (beastie's) and `pkgng` (community.general's) share everything. */
export function pkgModule(name: 'pkg' | 'pkgng') {
  return defineModule({
    name,
    summary: name === 'pkg' ? 'Install, remove or upgrade FreeBSD packages with pkg(8), also inside a jail' : "community.general.pkgng: the pkg module under Ansible's name",
    description:
      "Ansible's community.general.pkgng with all its parameters. Each package is checked with `pkg info -e` " +
      '(and `pkg upgrade -n` for latest, rc 1 meaning an upgrade exists), all in one round trip; then ' +
      '`pkg update` (unless cached) and `pkg install -y`, `pkg upgrade -y` or `pkg delete -y` run once for the ' +
      'packages that need it, with ASSUME_ALWAYS_YES=yes so a fresh jail bootstraps pkg; autoremove and ' +
      'annotation as pkgng does them. The packages are checked again afterwards. Registers msg in pkgng\'s ' +
      'words ("installed 2 packages", "package(s) already present", …), stdout and stderr. `jail` runs the task ' +
      'inside the jail (as the task keyword jail:); chroot and rootdir are pkg -c and -r.',
    params,
    example: `- name: vm-bhyve and its firmware are installed in the jail
  ${name}:
    name: [vm-bhyve, bhyve-firmware]
    jail: bhyve`,
    jail: (p) => p.jail,
    needs: (p) => pkgFacts(p),
    observe: observePkg,
    plan({ params: p, facts }) {
      return planPkg(p, facts);
    },
    verify({ params: p, facts }) {
      return verifyPkg(p, facts);
    },
  });
}

export default pkgModule('pkg');
