// vm-bhyve reads NAME.conf once, when `vm start` launches its `vm _run` loop: the bhyve command
// line it logs (`[bhyve options: -c 2 -m 2G … -S …]`) is what the guest runs with until the loop
// ends. A guest reboot and `vm restart` run bhyve again with the SAME options (lib/vm-run
// vm::run; lib/vm-core core::restart only sets a flag and stops bhyve), so a changed cpu, memory,
// wired_memory or passthruN applies only after `vm stop` and a new `vm start`
// (docs/freebsd/vm-bhyve.md).
import type { Check } from '../check.js';
import type { Finding } from '../finding.js';
import { guestsOf, isRunning, passthruDevices, vmYes, type GuestView } from '../guests.js';
import { STEP } from '../walkthrough.js';

/** `4G`, `4096M`, `4096` (bytes) … as bytes, to compare memory sizes written differently. */
export function memoryBytes(text: string): number | undefined {
  const match = /^(\d+)([KMGT]?)B?$/i.exec(text.trim());
  if (!match) return undefined;
  const power = { '': 0, K: 1, M: 2, G: 3, T: 4 }[(match[2] ?? '').toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  return Number(match[1]) * 1024 ** power;
}

/** What differs between the guest's NAME.conf and the bhyve command line it runs with. */
export function pendingChanges(guest: GuestView): string[] {
  const options = guest.runOptions;
  if (options === undefined || !isRunning(guest)) return [];
  const changes: string[] = [];
  const runCpu = /(?:^|\s)-c (\S+)/.exec(options)?.[1];
  const runMemory = /(?:^|\s)-m (\S+)/.exec(options)?.[1];
  const cpu = guest.conf.get('cpu');
  const memory = guest.conf.get('memory');
  if (cpu !== undefined && runCpu !== undefined && cpu !== runCpu) changes.push(`cpu ${runCpu} → ${cpu}`);
  if (memory !== undefined && runMemory !== undefined && memoryBytes(memory) !== memoryBytes(runMemory)) changes.push(`memory ${runMemory} → ${memory}`);
  const devices = passthruDevices(guest.conf);
  const wired = vmYes(guest.conf.get('wired_memory')) || devices.length > 0;
  const runWired = /(?:^|\s)-S(?:\s|$)/.test(options);
  if (wired !== runWired) changes.push(wired ? 'wired memory (-S) added' : 'wired memory (-S) removed');
  const runDevices = [...(guest.runDevices ?? '').matchAll(/,passthru,(\d+\/\d+\/\d+)/g)].map((match) => match[1] ?? '');
  if (devices.join(' ') !== runDevices.join(' ')) changes.push(`passthru ${runDevices.join(' ') || '(none)'} → ${devices.join(' ') || '(none)'}`);
  return changes;
}

export const guestRestartPending: Check = {
  id: 'guest-restart-pending',
  summary: "a running guest's bhyve command line matches its configuration (else it waits for a stop and start)",
  evaluate(evidence) {
    const findings: Finding[] = [];
    for (const jail of evidence.examined) {
      const inside = evidence.inside.get(jail);
      if (inside === undefined) continue;
      for (const guest of guestsOf(inside)) {
        const changes = pendingChanges(guest);
        if (changes.length === 0) continue;
        findings.push({
          id: 'guest-restart-pending',
          severity: 'warning',
          jail,
          what: `guest ${guest.name} in jail ${jail} runs with its old configuration (${changes.join('; ')}): it applies only after vm stop and vm start — vm restart and a guest reboot keep the old bhyve options`,
          evidence: [inside.evidence('guests'), inside.evidence('vm-list')],
          fix: {
            task: `- name: guest ${guest.name} stops, so its new configuration applies at the next start\n  command: vm stop ${guest.name}\n  jail: ${jail}\n- name: guest ${guest.name} runs with its configuration\n  vm_guest:\n    name: ${guest.name}\n    state: running\n  jail: ${jail}`,
            step: STEP.vmConfig,
          },
        });
      }
    }
    return findings;
  },
};
