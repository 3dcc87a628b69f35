// vmm and nmdm on the host, loaded now and at every boot (the walk-through's `kldload vmm`,
// `kldload nmdm`): bhyve needs vmm, vm-bhyve's consoles need nmdm, and inside a jail neither can
// be loaded (kldload is refused in jails; docs/freebsd/kld.md). A module loaded by hand is gone
// after the next reboot unless loader.conf (NAME_load) or rc.conf (kld_list) loads it.
import { loadedAtBoot } from '../boot-config.js';
import type { Check } from '../check.js';
import type { Finding } from '../finding.js';
import { moduleStates } from '../kernel-modules.js';
import { STEP } from '../walkthrough.js';

const fixTask = (module: string) => `- name: ${module} is loaded, now and at every boot\n  kld:\n    name: ${module}\n    persistent: true`;

export const bhyveModules: Check = {
  id: 'bhyve-modules',
  summary: 'vmm and nmdm are loaded on the host and loaded again at every boot',
  evaluate({ host }) {
    const states = moduleStates(host);
    const findings: Finding[] = [];
    for (const module of ['vmm', 'nmdm']) {
      const state = states.get(module) ?? 'absent';
      // vmm linked without its module is the CPU's problem (cpu-virtualization), not a missing kldload.
      if (state === 'absent') {
        findings.push({
          id: `${module}-not-loaded`,
          severity: 'error',
          what: `${module}.ko is not loaded on the host${module === 'vmm' ? ': bhyve cannot create guests and jails cannot have allow.vmm' : ': vm-bhyve cannot give guests their nmdm console'}`,
          evidence: [host.evidence('kld')],
          fix: { task: fixTask(module), step: STEP.loadModules },
        });
      } else if (!loadedAtBoot(host, module)) {
        findings.push({
          id: `${module}-not-at-boot`,
          severity: 'warning',
          what: `${module}.ko is loaded now but nothing loads it at boot (no ${module}_load in /boot/loader.conf, not in kld_list): it is gone after the next reboot`,
          evidence: [host.evidence('kld'), host.evidence('loader.conf'), host.evidence('rc.conf')],
          fix: { task: fixTask(module), step: STEP.loadModules },
        });
      }
    }
    return findings;
  },
};
