// vm-bhyve reads NAME.conf once, when `vm start` launches its `vm _run` loop: the bhyve command
// line it logs (`[bhyve options: -c 2 -m 2G … -S …]`) is what the guest runs with until the loop
// ends. A guest reboot and `vm restart` run bhyve again with the SAME options (lib/vm-run
// vm::run; lib/vm-core core::restart only sets a flag and stops bhyve), so a changed cpu, memory,
// wired_memory or passthruN applies only after `vm stop` and a new `vm start`
// (docs/freebsd/vm-bhyve.md).
import type { Check } from '../check.js';
import type { Finding } from '../finding.js';
import { pendingChanges } from '../../freebsd/vm-bhyve-run.js';
import { guestsOf, isRunning } from '../guests.js';
import { STEP } from '../walkthrough.js';

export const guestRestartPending: Check = {
  id: 'guest-restart-pending',
  summary: "a running guest's bhyve command line matches its configuration (else it waits for a stop and start)",
  evaluate(evidence) {
    const findings: Finding[] = [];
    for (const jail of evidence.examined) {
      const inside = evidence.inside.get(jail);
      if (inside === undefined) continue;
      for (const guest of guestsOf(inside)) {
        const changes = isRunning(guest) ? pendingChanges(guest) : [];
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
