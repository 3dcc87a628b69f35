// `beastie play --preflight`: before the run changes anything, doctor's checks that no task of a
// play can fix — the CPU's virtualisation (VT-x/EPT, AMD-V/RVI, the firmware's switch) and, where
// devices are passed through, the IOMMU (DMAR/IVRS, AMD-Vi) — examine the hosts of the plays that
// use the bhyve modules. A host with an error finding refuses the whole run (exit 2) with the
// findings, their evidence and fixes; every other pitfall is the play's own work (or doctor's).
import { ALL_CHECKS } from '../doctor/checks/all.js';
import type { Check } from '../doctor/check.js';
import { doctorExitCode } from '../doctor/diagnosis-summary.js';
import { renderDoctor } from '../doctor/human-output.js';
import { doctorJsonLines } from '../doctor/json-output.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { painter, wantsColour } from '../output/colour.js';
import type { Playbook, PlayTask } from '../playbook/types.js';
import type { InventoryView } from '../runner/services.js';
import type { CliIO } from './cli-io.js';
import { doctorTargets } from './doctor-command.js';
import type { PlayWiring } from './play-wiring.js';
import type { RunPreamble } from './run-session.js';

/** The modules of the bhyve-in-a-jail chain: a play using one of them gets the preflight. */
const BHYVE_MODULES = new Set(['vm_guest', 'vm_switch', 'bastille_jail', 'pptdev', 'kernel_patch']);

/** The checks whose findings no task can fix before bhyve needs them (firmware and hardware). */
export const PREFLIGHT_CHECKS: readonly Check[] = ALL_CHECKS.filter((check) => check.id === 'cpu-virtualization' || check.id === 'iommu');

function usesBhyve(tasks: readonly PlayTask[]): boolean {
  return tasks.some((task) => {
    if (task.kind === 'task') return BHYVE_MODULES.has(task.module.replace(/^.*\./, ''));
    if (task.kind === 'block') return usesBhyve([...task.block, ...task.rescue, ...task.always]);
    return false;
  });
}

/** Hosts of the plays that use the bhyve modules, in play order, each once. */
export function preflightHosts(playbook: Playbook, hostsPerPlay: readonly (readonly string[])[]): string[] {
  const hosts = playbook.plays.flatMap((play, index) => (usesBhyve([...play.preTasks, ...play.tasks, ...play.postTasks, ...play.handlers]) ? (hostsPerPlay[index] ?? []) : []));
  return [...new Set(hosts)];
}

/** Run the preflight; returns the exit code that refuses the run, or undefined to go on. */
export async function runPreflight(hosts: readonly string[], inventory: InventoryView, preamble: RunPreamble, io: CliIO, wiring: PlayWiring, options: { readonly json: boolean; readonly forks: number }): Promise<number | undefined> {
  if (hosts.length === 0) {
    io.stderr.write('PREFLIGHT: no play uses the bhyve modules; nothing to check\n');
    return undefined;
  }
  const transports = wiring.transports({ acceptNewHostKeys: preamble.acceptNewHostKeys, allowPassword: preamble.allowPassword, connectTimeoutMs: undefined, askSecret: io.askSecret });
  const diagnoses = await runDoctor(doctorTargets(inventory, hosts, preamble, wiring), { checks: PREFLIGHT_CHECKS, transports, jail: undefined, forks: options.forks });
  const code = doctorExitCode(diagnoses);
  if (code === 0) {
    io.stderr.write(`PREFLIGHT: ${hosts.length} host${hosts.length === 1 ? '' : 's'} ok (${PREFLIGHT_CHECKS.map((check) => check.id).join(', ')})\n`);
    return undefined;
  }
  if (options.json) io.stdout.write(doctorJsonLines(diagnoses));
  else io.stdout.write(renderDoctor(diagnoses, painter(wantsColour(io.stdout, io.env))));
  io.stderr.write(`PREFLIGHT: refusing to run: ${code === 2 ? 'a host has an error no task can fix' : 'a host could not be examined'}; nothing was changed on any host\n`);
  return code;
}
