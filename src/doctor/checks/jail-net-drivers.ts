// vm-bhyve's `vm init` loads if_bridge and the tap driver (if_tap before FreeBSD 13, if_tuntap
// from 13) with kldload; inside a jail kldload is refused, so it fails with
// "unable to load if_bridge.ko!" / "unable to load if_tap.ko!" unless the host loaded them
// (lib/vm-base util::load_module; docs/freebsd/vm-bhyve.md, kld.md).
import { kernelMajor, loadedAtBoot } from '../boot-config.js';
import { examinedJails, type Check } from '../check.js';
import type { Finding } from '../finding.js';
import { moduleStates, tapModule } from '../kernel-modules.js';
import { STEP } from '../walkthrough.js';

export const jailNetDrivers: Check = {
  id: 'jail-net-drivers',
  summary: 'the bridge and tap drivers vm-bhyve needs are loaded on the host (a jail cannot load them)',
  evaluate(evidence) {
    const { host } = evidence;
    const jails = examinedJails(evidence).map((jail) => jail.name);
    if (jails.length === 0) return [];
    const major = kernelMajor(host) ?? 14;
    const states = moduleStates(host);
    const findings: Finding[] = [];
    for (const module of ['if_bridge', tapModule(major)]) {
      const task = `- name: ${module} is loaded on the host, now and at every boot (vm-bhyve in a jail cannot load it)\n  kld:\n    name: ${module}\n    persistent: true`;
      if ((states.get(module) ?? 'absent') === 'absent') {
        findings.push({
          id: 'net-driver-not-loaded',
          severity: 'error',
          what: `${module}.ko is not loaded on the host: vm init in jail ${jails.join(', ')} fails with "unable to load ${module}.ko!" (a jail cannot load kernel modules)`,
          evidence: [host.evidence('kld'), host.evidence('uname-r')],
          fix: { task, step: STEP.vmInit },
        });
      } else if (!loadedAtBoot(host, module)) {
        findings.push({
          id: 'net-driver-not-at-boot',
          severity: 'warning',
          what: `${module}.ko is loaded now but not at boot: after a reboot vm init in jail ${jails.join(', ')} fails with "unable to load ${module}.ko!"`,
          evidence: [host.evidence('kld'), host.evidence('loader.conf'), host.evidence('rc.conf')],
          fix: { task, step: STEP.vmInit },
        });
      }
    }
    return findings;
  },
};
