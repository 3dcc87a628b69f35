// bastille_jail: a BastilleBSD jail that exists, runs, and carries the jail.conf parameters the
// play asks for (allow.vmm, devfs_ruleset, securelevel…). Works with the seed's Bastille 0.x and
// with 1.x, and says which it found. `bastille create` and `start` lie or fail when repeated
// (docs/freebsd/bastille.md, docs/freebsd/idempotency.md), so the module observes first and checks `jls` after acting.
import { z } from 'zod';
import { sh, type Command } from '../src/command/command.js';
import { bastilleStateFact, type BastilleState } from '../src/facts/bastille-state.js';
import { jailParam, jailParamMatches, parseJailConf, setJailParams, type JailParamValue } from '../src/freebsd/jail-conf.js';
import { jailPendingChanges } from '../src/freebsd/jail-running.js';
import { shConfValues } from '../src/freebsd/sh-conf.js';
import { convergeApply } from '../src/module-api/converge.js';
import { defineModule, type ApplyOutcome, type Plan, type Step } from '../src/module-api/module.js';

const paramValue = z.union([z.boolean(), z.string(), z.number()]);

const params = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'letters, digits, - and _, not starting with - or _').describe('Jail name.'),
  release: z.string().regex(/^[0-9]+\.[0-9]+-[A-Z0-9-]+$/, 'a release such as 12.2-RELEASE').optional().describe('Release to build the jail from; bootstrapped when missing. Needed to create the jail.'),
  ip: z.string().optional().describe('IP address (a.b.c.d or a.b.c.d/len, DHCP, SYNCDHCP). Needed to create the jail.'),
  interface: z.string().optional().describe('Host interface (em0). Needed for VNET jails.'),
  vnet: z.boolean().default(false).describe('Create a VNET jail (bastille create --vnet); its NIC is vnet0 inside.'),
  type: z.enum(['thin', 'thick', 'clone']).default('thin').describe('How a new jail gets its base: thin (nullfs-mounts the release), thick (its own copy: -T; on ZFS a zfs send | receive of the release), clone (Bastille 1.x: -C, on ZFS a zfs clone of a release snapshot). Only used when the jail is created.'),
  state: z.enum(['present', 'started', 'stopped', 'absent']).default('started').describe('present: exists (running or not); started; stopped; absent: destroyed.'),
  boot: z.boolean().optional().describe('Start the jail at boot (Bastille 1.x: settings.conf boot=on; 0.x: rc.conf bastille_list).'),
  params: z.record(z.string().regex(/^[A-Za-z0-9_.]+$/), paramValue).default({}).describe('jail.conf parameters to enforce: `allow.vmm: true`, `devfs_ruleset: 25`, `securelevel: -1`. true writes a flag (`allow.vmm;`), false removes it.'),
  release_upgrade: z.boolean().default(false).describe('When the existing jail runs an older release than `release`: upgrade it (`bastille upgrade -a`, Bastille 1.x thin jails; the release is bootstrapped first; a thick or clone jail is refused with what it needs). Off: the module only reports it.'),
});

type Params = z.output<typeof params>;

/** Which generation of Bastille the host runs: 0.x (the seed's era) or 1.x. */
export interface BastilleEra {
  readonly version: string;
  readonly legacy: boolean;
  /** Bastille 1.1.0+ refuses VNET jail names containing - or _ (docs/freebsd/bastille.md). */
  readonly vnetNamesRestricted: boolean;
}

/** Classify a `bastille --version` string. */
export function bastilleEra(version: string): BastilleEra {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  return { version, legacy: major < 1, vnetNamesRestricted: major > 1 || (major === 1 && minor >= 1) };
}

function describeEra(era: BastilleEra): string {
  return era.legacy ? `Bastille ${era.version} (0.x, the seed's era: jail.conf edited in place)` : `Bastille ${era.version} (1.x)`;
}

function formatParams(changes: readonly [string, JailParamValue][]): string {
  return changes.map(([key, value]) => (value === true ? key : value === false ? `no ${key}` : `${key}=${value}`)).join(', ');
}

/** Parameters whose running value differs from the wanted one (only those jls reports). */
function runningDifferences(p: Params, running: ReadonlyMap<string, string>): string[] {
  return Object.entries(p.params).flatMap(([key, wanted]) => {
    const actual = running.get(key);
    if (actual === undefined && typeof wanted !== 'boolean') return [];
    if (actual === undefined && !running.has(key) && !key.startsWith('allow.')) return [];
    return jailParamMatches(wanted, actual) ? [] : [key];
  });
}

function bootSteps(p: Params, facts: BastilleState, era: BastilleEra): Step[] {
  if (p.boot === undefined) return [];
  const steps: Step[] = [];
  const enabled = /^(yes|true|on|1)$/i.test(facts.bastilleEnable ?? '');
  if (p.boot && !enabled) {
    steps.push({
      kind: 'change',
      summary: 'enable the bastille rc service',
      actions: [{ kind: 'run', command: sh`sysrc bastille_enable=YES` }],
      diff: { header: '/etc/rc.conf bastille_enable', before: `${facts.bastilleEnable ?? ''}\n`, after: 'YES\n' },
    });
  }
  if (era.legacy) {
    const list = facts.bastilleList;
    const all = list === undefined || list.trim().toUpperCase() === 'ALL';
    const listed = all || list.split(/\s+/).includes(p.name);
    if (p.boot && !listed) {
      steps.push({ kind: 'change', summary: `add ${p.name} to bastille_list`, actions: [{ kind: 'run', command: sh`sysrc bastille_list+=${p.name}` }] });
    } else if (!p.boot && listed && !all) {
      steps.push({ kind: 'change', summary: `remove ${p.name} from bastille_list`, actions: [{ kind: 'run', command: sh`sysrc bastille_list-=${p.name}` }] });
    } else if (!p.boot && all) {
      return [...steps, { kind: 'noop', reason: `bastille_list is ALL: every jail starts at boot; list the jails to start instead to keep ${p.name} from booting` }];
    } else {
      steps.push({ kind: 'noop', reason: `${p.name} ${p.boot ? 'starts' : 'does not start'} at boot` });
    }
    return steps;
  }
  const settingsPath = `${facts.jailsDir}/${p.name}/settings.conf`;
  const current = shConfValues(facts.settingsConf ?? '').get('boot');
  const wanted = p.boot ? 'on' : 'off';
  steps.push(
    current === wanted
      ? { kind: 'noop', reason: `boot is ${wanted} for ${p.name}` }
      : {
          kind: 'change',
          summary: `set boot=${wanted} for ${p.name}`,
          actions: [{ kind: 'run', command: sh`sysrc -f ${settingsPath} ${`boot=${wanted}`}` }],
          diff: { header: settingsPath, before: `boot="${current ?? ''}"\n`, after: `boot="${wanted}"\n` },
        },
  );
  return steps;
}

/** What the module says about where the jail lives: its dataset on ZFS, or its directory. */
export function describeStorage(name: string, facts: BastilleState): { note: string; values: Record<string, string> } {
  const directory = `${facts.jailsDir}/${name}`;
  if (facts.storage.kind === 'directories') return { note: `storage: directories (${directory}); bastille_zfs_enable is off`, values: { storage: 'directories' } };
  const { dataset, datasetExists } = facts.storage;
  if (datasetExists || facts.jailConf === undefined) return { note: `storage: ZFS dataset ${dataset} (bastille_zfs_enable)`, values: { storage: 'zfs', dataset } };
  // a jail made before bastille_zfs_enable was set keeps its directories: Bastille never moves it
  return { note: `storage: directories (${directory}), made before bastille_zfs_enable was set; ${dataset} does not exist`, values: { storage: 'directories' } };
}

/** -1, 0, 1 as release `a` (13.5-RELEASE) is older than, the same as, or newer than `b`, by major.minor. */
export function compareReleases(a: string, b: string): number {
  const number = (release: string) => (/^(\d+)\.(\d+)/.exec(release) ?? []).slice(1, 3).map(Number);
  const [am = 0, an = 0] = number(a);
  const [bm = 0, bn = 0] = number(b);
  return Math.sign(am - bm || an - bn);
}

/**
 * A jail that exists keeps its release when the host moves on (docs/freebsd/bastille.md,
 * "Upgrading jails"): say so, and with release_upgrade upgrade it as today's Bastille does.
 */
function releaseSteps(p: Params, facts: BastilleState, era: BastilleEra): { steps: Step[]; notes: string[]; failure?: string } {
  const jailRelease = facts.jailRelease;
  if (p.release === undefined || jailRelease === undefined || jailRelease === p.release) return { steps: [], notes: [] };
  const order = compareReleases(jailRelease, p.release);
  if (order >= 0) return { steps: [], notes: [`jail ${p.name} runs ${jailRelease}, not older than ${p.release}: left as it is`] };
  if (!p.release_upgrade) {
    return { steps: [], notes: [`jail ${p.name} runs ${jailRelease}, older than ${p.release}; release_upgrade: true upgrades it (bastille upgrade)`] };
  }
  if (era.legacy) {
    return {
      steps: [],
      notes: [],
      failure: `jail ${p.name} runs ${jailRelease}, older than ${p.release}, and Bastille ${era.version} has no thin-jail upgrade: upgrade Bastille (pkg upgrade bastille) or recreate the jail from ${p.release}`,
    };
  }
  if (facts.jailType === 'thick' || facts.jailType === 'clone') {
    // upgrade.sh 1.4.4 jail_upgrade: only a thin jail is upgraded by the command itself; a thick
    // or clone jail's `bastille upgrade` stages freebsd-update -j and leaves three more steps
    return {
      steps: [],
      notes: [],
      failure:
        `jail ${p.name} is a ${facts.jailType} jail running ${jailRelease}: bastille upgrade only stages its upgrade (freebsd-update -j ${p.name} -r ${p.release} upgrade, with the jail running) ` +
        `and then needs 'bastille upgrade ${p.name} install', a restart and 'install' again, which release_upgrade does not drive; ` +
        `upgrade it by hand (docs/freebsd/upgrade.md, "Jails after the host's upgrade") or recreate it from ${p.release}`,
    };
  }
  const steps: Step[] = [];
  if (!facts.releasePresent) steps.push({ kind: 'change', summary: `bootstrap ${p.release}`, actions: [{ kind: 'run', command: sh`bastille bootstrap ${p.release}` }] });
  steps.push({
    kind: 'change',
    summary: `upgrade jail ${p.name} from ${jailRelease} to ${p.release}${facts.running !== undefined ? ' (stopped and started again)' : ''}`,
    actions: [{ kind: 'run', command: sh`bastille upgrade -a ${p.name} ${p.release}` }],
  });
  return { steps, notes: [] };
}

/**
 * A clone jail's origin, POOL/PREFIX/releases/REL@bastille-clone-DATE, made by `bastille create
 * -C` for this jail alone: `bastille destroy` (destroy.sh 1.4.4: `zfs destroy -r` of
 * POOL/PREFIX/jails/NAME only) leaves it behind, one more snapshot pinning the release's blocks
 * each time a clone jail is made and destroyed. Destroyed after the jail when no other dataset
 * was cloned from it (docs/freebsd/bastille.md, "destroy").
 */
function originSteps(name: string, facts: BastilleState): Step[] {
  const origin = facts.cloneOrigin;
  if (facts.jailType !== 'clone' || origin === undefined || facts.storage.kind !== 'zfs') return [];
  if (!/\/releases\/[^/@]+@bastille-clone-[^/@]+$/.test(origin.snapshot)) return [];
  const root = `${facts.storage.dataset}/root`;
  const others = origin.clones.filter((clone) => clone !== root);
  if (others.length > 0) return [{ kind: 'noop', reason: `${origin.snapshot}, the origin of jail ${name}, stays: ${others.join(', ')} ${others.length === 1 ? 'was' : 'were'} cloned from it too` }];
  return [
    {
      kind: 'change',
      summary: `destroy ${origin.snapshot}, the release snapshot jail ${name} was cloned from (bastille destroy leaves it)`,
      actions: [{ kind: 'run', command: sh`zfs destroy ${origin.snapshot}` }],
    },
  ];
}

/**
 * `bastille destroy`, failing with Bastille's own words, why it does, and the fix when it exits 0
 * but keeps the jail. destroy.sh 1.4.4 refuses a jail with filesystems mounted below its root, or
 * whose dataset `zfs destroy -r` finds busy ("[ERROR]: Jail dataset(s) appears to be busy,
 * exiting."), in error_continue, so it exits 0 (docs/freebsd/bastille.md, "destroy"). Its output
 * is kept and shown with the failure: a successful step's output is not shown, so without this
 * the task would end `changed` (or, for a clone jail, with zfs's "snapshot has dependent clones"
 * at the origin's destroy), and nothing would say why the jail stayed.
 */
function checkedDestroy(name: string, facts: BastilleState, destroy: Command): Command {
  const base = `${facts.jailsDir}/${name}`;
  const origin = facts.jailType === 'clone' && facts.cloneOrigin !== undefined ? `; ${facts.cloneOrigin.snapshot}, from which the jail's root is cloned, stays too` : '';
  const message =
    `bastille destroy exited 0 but kept jail ${name} (its output above says why: Bastille keeps a jail whose dataset is busy or that has filesystems mounted below its root)${origin}. ` +
    `Stop what holds the jail's files (fstat -f ${base}/root lists the processes) or unmount what is below its root (mount | grep ${base}/root/), then run again.`;
  return {
    text: sh`out=$(${destroy} 2>&1); rc=$?; if [ "$rc" -ne 0 ]; then printf '%s\n' "$out" >&2; exit "$rc"; fi; if [ -e ${`${base}/jail.conf`} ]; then printf '%s\n' "$out" ${message} >&2; exit 1; fi; printf '%s\n' "$out"`.text,
    display: `${destroy.display}, then fail if ${base}/jail.conf is still there`,
  };
}

/** The plan for one jail, from Bastille's own files and jls, with where it is stored. */
export function planBastilleJail(p: Params, facts: BastilleState): Plan {
  const plan = planJail(p, facts);
  const storage = describeStorage(p.name, facts);
  const release = facts.jailRelease === undefined ? {} : { jail_release: facts.jailRelease };
  const type = facts.jailType === undefined ? {} : { jail_type: facts.jailType };
  return { ...plan, notes: [storage.note, ...(plan.notes ?? [])], values: { ...plan.values, ...storage.values, ...release, ...type } };
}

function planJail(p: Params, facts: BastilleState): Plan {
  // Without bastille (yet: in --check an earlier pkg task has not run) plan as for a fresh host;
  // if bastille is still missing when this runs, `bastille create` fails with the shell's own words.
  const era = bastilleEra(facts.version ?? '1.4.4');
  const notes = [facts.version === undefined ? 'bastille is not installed yet: planning for a fresh host (an earlier task must install it)' : describeEra(era)];
  const running = facts.running !== undefined;
  const steps: Step[] = [];

  if (p.state === 'absent') {
    if (facts.jailConf === undefined) return { steps: [{ kind: 'noop', reason: `jail ${p.name} does not exist` }], notes };
    const commands: Command[] = era.legacy
      ? [...(running ? [sh`bastille stop ${p.name}`] : []), sh`bastille destroy ${p.name}`]
      : [sh`bastille destroy -a -y ${p.name}`];
    const checked = commands.map((command, i) => (i === commands.length - 1 ? checkedDestroy(p.name, facts, command) : command));
    const destroy: Step = { kind: 'change', summary: `destroy ${facts.jailType === undefined || facts.jailType === 'thin' ? '' : `${facts.jailType} `}jail ${p.name}`, actions: checked.map((command) => ({ kind: 'run', command })) };
    return { steps: [destroy, ...originSteps(p.name, facts)], notes };
  }

  if (facts.jailConf === undefined) {
    const missing: string[] = (['release', 'ip'] as const).filter((key) => p[key] === undefined);
    if (p.vnet && p.interface === undefined) missing.push('interface');
    if (missing.length > 0) {
      return { steps: [], notes, failure: `jail ${p.name} does not exist, and creating it needs ${missing.join(', ')}` };
    }
    if (p.vnet && era.vnetNamesRestricted && /[-_]/.test(p.name)) {
      return {
        steps: [],
        notes,
        failure:
          `${describeEra(era)} refuses VNET jail names containing - or _ ("[ERROR]: VNET jail names may not contain (-|_) characters."); ` +
          `name the jail '${p.name.replace(/[-_]/g, '')}' instead`,
      };
    }
    if (p.type === 'clone' && era.legacy) {
      return { steps: [], notes, failure: `${describeEra(era)} has no clone jails (bastille create -C came with 1.x: "Unknown Option."); use type: thick or thin` };
    }
    if (!facts.releasePresent) {
      steps.push({ kind: 'change', summary: `bootstrap ${p.release}`, actions: [{ kind: 'run', command: sh`bastille bootstrap ${p.release ?? ''}` }] });
    }
    const options = [...(p.type === 'thick' ? ['-T'] : p.type === 'clone' ? ['-C'] : []), ...(p.vnet ? ['--vnet'] : [])];
    const operands = [p.name, p.release ?? '', p.ip ?? '', ...(p.interface === undefined ? [] : [p.interface])];
    const create = sh`bastille create ${[...options, ...operands]}`;
    const kind = `${p.type === 'thin' ? '' : `${p.type} `}${p.vnet ? 'VNET ' : ''}`;
    steps.push({ kind: 'change', summary: `create ${kind}jail ${p.name} from ${p.release}`, actions: [{ kind: 'run', command: create }] });
    const then = [
      ...(Object.keys(p.params).length > 0 ? [`set ${formatParams(Object.entries(p.params))} in its jail.conf`] : []),
      ...(p.boot !== undefined ? [`boot ${p.boot ? 'on' : 'off'}`] : []),
      p.state === 'stopped' ? 'stop it' : p.state === 'started' ? 'restart it with them' : '',
    ].filter((text) => text !== '');
    if (then.length > 0) steps.push({ kind: 'change', summary: `then ${then.join(', ')}`, actions: [] });
    return { steps, notes };
  }

  if (facts.jailType !== undefined && facts.jailType !== p.type) {
    notes.push(`jail ${p.name} is a ${facts.jailType} jail (type: ${p.type} applies only when a jail is created; it is left as it is)`);
  }
  const upgrade = releaseSteps(p, facts, era);
  notes.push(...upgrade.notes);
  if (upgrade.failure !== undefined) return { steps: [], notes, failure: upgrade.failure };
  steps.push(...upgrade.steps);

  const confPath = `${facts.jailsDir}/${p.name}/jail.conf`;
  const conf = parseJailConf(facts.jailConf);
  const fileChanges = Object.entries(p.params).filter(([key, value]) => !jailParamMatches(value, jailParam(conf, key)));
  if (fileChanges.length > 0) {
    const after = setJailParams(facts.jailConf, p.params);
    steps.push({
      kind: 'change',
      summary: `set ${formatParams(fileChanges)} in ${p.name}'s jail.conf`,
      actions: [{ kind: 'put', path: confPath, content: after, mode: 0o644 }],
      diff: { header: confPath, before: facts.jailConf, after },
    });
  } else if (Object.keys(p.params).length > 0) {
    steps.push({ kind: 'noop', reason: `jail.conf of ${p.name} has ${formatParams(Object.entries(p.params))}` });
  }
  steps.push(...bootSteps(p, facts, era));

  const stale = running && facts.running ? runningDifferences(p, facts.running) : [];
  const restarts = p.state === 'started' && running && (fileChanges.length > 0 || stale.length > 0);
  const values = restarts || p.state === 'stopped' || facts.running === undefined ? {} : pendingRestart(p.name, fileChanges.length > 0 ? setJailParams(facts.jailConf, p.params) : facts.jailConf, facts.running);
  if (p.state === 'started') {
    if (!running) steps.push({ kind: 'change', summary: `start jail ${p.name}`, actions: [{ kind: 'run', command: sh`bastille start ${p.name}` }] });
    else if (restarts) {
      const why = [...new Set([...fileChanges.map(([key]) => key), ...stale])].join(', ');
      steps.push({ kind: 'change', summary: `restart jail ${p.name} (parameters changed: ${why})`, actions: [{ kind: 'run', command: sh`bastille restart ${p.name}` }] });
    } else steps.push({ kind: 'noop', reason: `jail ${p.name} is running with its parameters` });
  } else if (p.state === 'stopped') {
    steps.push(
      running
        ? { kind: 'change', summary: `stop jail ${p.name}`, actions: [{ kind: 'run', command: sh`bastille stop ${p.name}` }] }
        : { kind: 'noop', reason: `jail ${p.name} is stopped` },
    );
  } else if (running && (fileChanges.length > 0 || stale.length > 0)) {
    notes.push(`jail ${p.name} runs with old parameters; they apply at its next restart (state: started restarts it)`);
  }
  return { steps, notes, values };
}

/**
 * A running jail whose parameters differ from its jail.conf (as this task leaves it) and that this
 * task does not restart: `restart_required`, and a warning (Ansible's `warnings` result key: the
 * default output and the recap show it) on every run until it restarts, as vm_guest does for guests.
 */
function pendingRestart(name: string, confText: string, running: ReadonlyMap<string, string>): Record<string, unknown> {
  const pending = jailPendingChanges(confText, running);
  if (pending.length === 0) return {};
  return {
    restart_required: true,
    warnings: [`jail ${name} runs with parameters other than its jail.conf's (${pending.join('; ')}): they apply only when it restarts (bastille restart ${name})`],
  };
}

const bastilleJail = defineModule({
  name: 'bastille_jail',
  summary: 'A BastilleBSD jail: created, started or stopped, with jail.conf parameters enforced',
  description:
    'Reads bastille.conf, the jail\'s jail.conf and settings.conf, and `jls -j NAME -n` in one command. Creates the jail ' +
    '(bootstrapping the release when missing), then edits its jail.conf parameters in place (everything else kept), and ' +
    'restarts a running jail only when a parameter it enforces changed in the file or differs in the running jail; a ' +
    'running jail whose `jls` parameters differ from its jail.conf otherwise is reported as `restart_required`, with a ' +
    'warning on every run until it restarts. ' +
    'Bastille 1.1+ refuses VNET names with - or _ (the seed\'s test-bhyve): the module says so before trying. ' +
    '`bastille start` exits 0 when the jail fails, so the module checks jls afterwards and shows jail(8)\'s own error ' +
    '(e.g. `unknown parameter: allow.vmm` when vmm.ko is not loaded).',
  params,
  example: `- name: a VNET jail that may run bhyve
  bastille_jail:
    name: bhyve
    release: 12.2-RELEASE
    ip: 192.168.1.225
    interface: em0
    vnet: true
    boot: true
    params:
      allow.vmm: true
      allow.raw_sockets: true
      devfs_ruleset: 25
      securelevel: -1`,
  needs: (p) => [bastilleStateFact(p.name, p.release ?? '')],
  async observe(host, p) {
    const [state] = await host.facts(bastilleStateFact(p.name, p.release ?? ''));
    return state;
  },
  plan({ params: p, facts }) {
    return planBastilleJail(p, facts);
  },
  verify({ params: p, facts }) {
    if (p.state === 'absent') return facts.jailConf === undefined ? undefined : `jail ${p.name} still exists after bastille destroy`;
    if (facts.jailConf === undefined) return `jail ${p.name} does not exist after bastille create`;
    if (p.state === 'started' && facts.running === undefined) return `jail ${p.name} is not running after bastille start (jls -j ${p.name} finds nothing)`;
    if (p.state === 'stopped' && facts.running !== undefined) return `jail ${p.name} still runs after bastille stop`;
    if (p.release_upgrade && p.release !== undefined && facts.jailRelease !== undefined && compareReleases(facts.jailRelease, p.release) < 0) {
      return `jail ${p.name} still runs ${facts.jailRelease} after bastille upgrade to ${p.release}`;
    }
    return undefined;
  },
  apply(context, input): Promise<ApplyOutcome> {
    return convergeApply(bastilleJail, context, input);
  },
});

export default bastilleJail;
