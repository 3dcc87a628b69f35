// vm_guest: a vm-bhyve guest created from a template, its NAME.conf holding exactly the keys the
// play sets (cpu, memory, wired_memory, passthru0…), its ISO fetched once, installed once, and
// running or stopped. `vm create` fails when repeated and `vm start` always exits 0
// (docs/freebsd/vm-bhyve.md, docs/freebsd/idempotency.md): the module observes first and checks `vm list` afterwards,
// showing bhyve's own error from the guest's logs when it did not start.
import { posix } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { sh, type Command } from '../src/command/command.js';
import { installMarker, vmGuestStateFact, type VmGuestState } from '../src/facts/vm-bhyve-state.js';
import { setShConf, shConfValues } from '../src/freebsd/sh-conf.js';
import { parseGuestConf, pendingChanges } from '../src/freebsd/vm-bhyve-run.js';
import { convergeApply } from '../src/module-api/converge.js';
import { defineModule, type ApplyOutcome, type Plan, type Step } from '../src/module-api/module.js';
import { vmBhyveNotReady } from './vm_switch.js';

const configValue = z.union([z.string(), z.number(), z.boolean()]);

const params = z.strictObject({
  name: z.string().regex(/^[a-z0-9][.a-z0-9_-]*[a-z0-9]$/i, "vm-bhyve's guest name rule: letters, digits, . _ -, at least 2 characters").describe('Guest name.'),
  template: z.string().default('default').describe('Template in $vm_dir/.templates used by vm create.'),
  size: z.string().regex(/^\d+[KMGT]?$/, 'a size such as 20G').optional().describe('disk0 size at creation (vm create -s).'),
  datastore: z.string().default('default').describe('vm-bhyve datastore to create the guest in.'),
  config: z
    .record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a vm-bhyve configuration key'), configValue)
    .default({})
    .describe('NAME.conf keys to enforce, compared key by key: loader, cpu, memory, wired_memory, network0_switch, passthru0… true/false are written yes/no.'),
  iso: z.string().url().optional().describe('ISO URL, fetched once with `vm iso` into $vm_dir/.iso when missing.'),
  install: z.union([z.boolean(), z.string()]).optional().describe('Start the installer once: an ISO file name in $vm_dir/.iso, or true for the iso URL\'s file.'),
  state: z.enum(['present', 'running', 'stopped', 'absent']).default('present').describe('present: exists; running; stopped; absent: destroyed.'),
  restart_on_change: z.boolean().default(false).describe('Stop and start a running guest whose configuration changed, so that it applies (otherwise it is reported as needing a restart).'),
  settle_seconds: z.number().min(0).default(2).describe('After starting, wait this long and check again that bhyve still runs.'),
  stop_timeout: z.number().int().min(1).default(60).describe('Seconds to wait for an ACPI shutdown (vm stop) to finish.'),
});

type Params = z.output<typeof params>;

/** The file name an ISO URL is stored under in $vm_dir/.iso. */
export function isoFileName(url: string | undefined): string {
  return url === undefined ? '' : posix.basename(new URL(url).pathname);
}

/** The ISO file the one-time install uses, if any. */
function installIso(p: Params): string | undefined {
  if (p.install === undefined || p.install === false) return undefined;
  return p.install === true ? isoFileName(p.iso) || undefined : p.install;
}

/** vm-bhyve writes booleans as yes/no. */
function confValue(value: string | number | boolean): string {
  return typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
}

const isRunning = (state: VmGuestState) => state.listState !== undefined && /^(Running|Bootloader)/.test(state.listState);
const run = (command: Command) => ({ kind: 'run' as const, command });

/** Where the guest lives: a dataset below vm_dir's (vm_dir="zfs:…"), or a directory of vm_dir. */
export function describeGuestStorage(name: string, state: VmGuestState): { note: string; values: Record<string, string> } {
  if (state.zfsDataset !== undefined) return { note: `storage: ZFS dataset ${state.zfsDataset}/${name} (vm_dir="zfs:${state.zfsDataset}")`, values: { storage: 'zfs', dataset: `${state.zfsDataset}/${name}` } };
  return { note: `storage: directory ${state.guestDir ?? `${state.vmDir ?? '$vm_dir'}/${name}`}`, values: { storage: 'directory' } };
}

/** Steps that bring the guest to params, with where it is stored. */
export function planVmGuest(p: Params, state: VmGuestState): Plan {
  const plan = planGuest(p, state);
  const storage = describeGuestStorage(p.name, state);
  return { ...plan, notes: [storage.note, ...(plan.notes ?? [])], values: { ...plan.values, ...storage.values } };
}

function planGuest(p: Params, state: VmGuestState): Plan {
  // As vm_switch: not set up yet is planned as a fresh vm_dir; vm itself reports what is missing.
  const notReady = vmBhyveNotReady(state);
  const notes = [...(state.version ? [state.version] : []), ...(notReady ? [`${notReady}: planning for a fresh vm_dir`] : [])];
  const exists = state.guestConf !== undefined;
  const running = isRunning(state);
  const steps: Step[] = [];

  if (p.state === 'absent') {
    if (!exists) return { steps: [{ kind: 'noop', reason: `guest ${p.name} does not exist` }], notes };
    return {
      steps: [{ kind: 'change', summary: `destroy guest ${p.name}`, actions: [...(running ? [run(sh`vm poweroff -f ${p.name}`)] : []), run(sh`vm destroy -f ${p.name}`)] }],
      notes,
    };
  }

  const iso = isoFileName(p.iso);
  if (p.iso !== undefined) {
    steps.push(state.isoPresent ? { kind: 'noop', reason: `${iso} is in the ISO store` } : { kind: 'change', summary: `fetch ${iso}`, actions: [run(sh`vm iso ${p.iso}`)] });
  }

  if (!exists) {
    const options = [
      ...(p.template !== 'default' ? ['-t', p.template] : []),
      ...(p.size !== undefined ? ['-s', p.size] : []),
      ...(p.datastore !== 'default' ? ['-d', p.datastore] : []),
    ];
    const command = sh`vm create ${[...options, p.name]}`;
    steps.push({ kind: 'change', summary: `create guest ${p.name} from template ${p.template}`, actions: [run(command)] });
    const then = [
      ...(Object.keys(p.config).length > 0 ? [`set ${Object.keys(p.config).join(', ')}`] : []),
      ...(installIso(p) ? [`install from ${installIso(p)}`] : p.state === 'running' ? ['start it'] : []),
    ];
    if (then.length > 0) steps.push({ kind: 'change', summary: `then ${then.join(', ')}`, actions: [] });
    return { steps, notes };
  }

  const conf = state.guestConf ?? '';
  const current = shConfValues(conf);
  const wanted = Object.fromEntries(Object.entries(p.config).map(([key, value]) => [key, confValue(value)]));
  const differing = Object.entries(wanted).filter(([key, value]) => current.get(key) !== value);
  const confPath = `${state.guestDir ?? `${state.vmDir}/${p.name}`}/${p.name}.conf`;
  if (differing.length > 0) {
    const after = setShConf(conf, wanted);
    steps.push({
      kind: 'change',
      summary: `set ${differing.map(([key, value]) => `${key}=${value}`).join(', ')} in ${p.name}.conf`,
      actions: [{ kind: 'put', path: confPath, content: after, mode: 0o644 }],
      diff: { header: confPath, before: conf, after },
    });
  } else if (Object.keys(wanted).length > 0) {
    steps.push({ kind: 'noop', reason: `${p.name}.conf has ${Object.keys(wanted).join(', ')}` });
  }

  const installFrom = installIso(p);
  const marker = `${state.guestDir ?? `${state.vmDir}/${p.name}`}/${installMarker}`;
  let starting = false;
  if (installFrom !== undefined && !state.installed) {
    if (running) {
      steps.push({ kind: 'noop', reason: `guest ${p.name} already runs: the one-time install from ${installFrom} is not started (stop the guest to install)` });
    } else if (p.state !== 'stopped') {
      starting = true;
      steps.push({
        kind: 'change',
        summary: `install ${p.name} from ${installFrom}`,
        actions: [run(sh`vm install ${p.name} ${installFrom}`), run(sh`touch ${marker}`)],
      });
    }
  }

  const values: Record<string, unknown> = {};
  // What the running guest lacks of its configuration (this task's change and any earlier one):
  // its bhyve command line, as vm-bhyve logged it, against NAME.conf as it will be.
  const pending = running ? pendingChanges({ conf: parseGuestConf(differing.length > 0 ? setShConf(conf, wanted) : conf), runOptions: state.runOptions, runDevices: state.runDevices }) : [];
  const restartNeeded = differing.length > 0 || pending.length > 0;
  const needsRestart = () => {
    const what = pending.length > 0 ? pending.join('; ') : differing.map(([key]) => key).join(', ');
    notes.push(`guest ${p.name} runs with its old configuration: restart it to apply ${what}${p.state === 'running' ? ' (or set restart_on_change)' : ''}`);
    values['restart_required'] = true;
    // Ansible's result key for warnings: shown in the default output and the recap on every run until it is restarted
    if (pending.length > 0) values['warnings'] = [`guest ${p.name} runs with its old configuration (${what}): it applies only after vm stop and vm start (vm restart keeps the old bhyve options); set restart_on_change: true or stop and start it`];
  };
  if (p.state === 'running' && !starting) {
    if (!running) steps.push({ kind: 'change', summary: `start guest ${p.name}`, actions: [run(sh`vm start ${p.name}`)] });
    else if (restartNeeded && p.restart_on_change) {
      // Not `vm restart`: vm-bhyve reruns bhyve with the options it built at the first start, so the
      // new configuration would not apply (docs/freebsd/vm-bhyve.md, "restart").
      steps.push({
        kind: 'change',
        summary: `stop and start guest ${p.name} (${pending.length > 0 ? `runs with its old configuration: ${pending.join('; ')}` : `configuration changed: ${differing.map(([key]) => key).join(', ')}`})`,
        actions: [run(stopAndWait(p)), run(sh`vm start ${p.name}`)],
      });
    } else if (restartNeeded) needsRestart();
    else steps.push({ kind: 'noop', reason: `guest ${p.name} is ${state.listState ?? 'running'}` });
  } else if (p.state === 'stopped') {
    steps.push(
      running
        ? {
            kind: 'change',
            summary: `stop guest ${p.name}`,
            actions: [run(stopAndWait(p))],
          }
        : { kind: 'noop', reason: `guest ${p.name} is stopped` },
    );
  } else if (p.state === 'present' && running && restartNeeded) needsRestart();
  return { steps, notes, values };
}

/** `vm stop` (an ACPI shutdown), then wait at most stop_timeout seconds for bhyve to release /dev/vmm/NAME. */
function stopAndWait(p: Params): Command {
  return sh`vm stop ${p.name} && i=0 && while [ -e ${`/dev/vmm/${p.name}`} ] && [ $i -lt ${p.stop_timeout} ]; do sleep 1; i=$((i+1)); done`;
}

/** Why the guest is not in the wanted run state, with bhyve's own words from its logs. */
function runStateFailure(p: Params, state: VmGuestState): string | undefined {
  const running = isRunning(state);
  const wantsRunning = p.state === 'running' || (installIso(p) !== undefined && p.state !== 'stopped' && p.state !== 'absent');
  if (wantsRunning && !running) {
    const logs = [
      state.bhyveLogTail.trim() ? `bhyve.log:\n${state.bhyveLogTail.trimEnd()}` : '',
      state.vmLogTail.trim() ? `vm-bhyve.log:\n${state.vmLogTail.trimEnd()}` : '',
    ].filter(Boolean);
    return `guest ${p.name} is not running (vm list: ${state.listState ?? 'not listed'})${logs.length ? `\n${logs.join('\n')}` : ' and left no log; set debug: "yes" in its config to keep bhyve.log'}`;
  }
  if (p.state === 'stopped' && running) return `guest ${p.name} still runs ${p.stop_timeout} s after vm stop (${state.listState ?? ''})`;
  return undefined;
}

const vmGuest = defineModule({
  name: 'vm_guest',
  summary: 'A vm-bhyve guest: created, configured key by key, ISO fetched and installed once, running or stopped',
  description:
    'Reads the guest\'s NAME.conf, `vm list`, the ISO store and its logs in one command (inside the jail with jail:). ' +
    'Creates the guest from its template, then sets only the NAME.conf keys that differ (every other line kept). ' +
    'Fetches the ISO once (vm iso downloads again when repeated) and starts the install once (a marker file ' +
    '.beastie-installed in the guest\'s directory records it). A running guest whose configuration changed is reported ' +
    'as needing a restart (restart_required) and restarted only with restart_on_change. `vm start` always exits 0, so ' +
    'the module checks `vm list` after settle_seconds and fails with the last lines of bhyve.log and vm-bhyve.log.',
  params,
  example: `- name: guest test with igb0 passed through
  vm_guest:
    name: test
    config:
      cpu: 2
      memory: 4G
      wired_memory: true
      passthru0: 1/0/0
      debug: true
    state: running
    restart_on_change: true
  jail: bhyve`,
  needs: (p) => [vmGuestStateFact(p.name, installIso(p) ?? isoFileName(p.iso), p.datastore)],
  async observe(host, p) {
    const [state] = await host.facts(vmGuestStateFact(p.name, installIso(p) ?? isoFileName(p.iso), p.datastore));
    return state;
  },
  plan({ params: p, facts }) {
    return planVmGuest(p, facts);
  },
  verify({ params: p, facts }) {
    if (p.state === 'absent') return facts.guestConf === undefined ? undefined : `guest ${p.name} still exists after vm destroy`;
    if (facts.guestConf === undefined) return `guest ${p.name} does not exist after vm create`;
    return runStateFailure(p, facts);
  },
  async apply(context, input): Promise<ApplyOutcome> {
    const outcome = await convergeApply(vmGuest, context, input);
    if (outcome.failure !== undefined || !outcome.changed || input.params.state === 'stopped' || input.params.settle_seconds === 0) return outcome;
    // bhyve may die a moment after vm start returned (a passthru device it cannot open): look again.
    context.progress(`waiting ${input.params.settle_seconds} s for bhyve to settle`);
    await sleep(input.params.settle_seconds * 1000);
    context.invalidateFacts();
    const failure = runStateFailure(input.params, await vmGuest.observe(context, input.params));
    return failure === undefined ? outcome : { ...outcome, failure };
  },
});

export default vmGuest;
