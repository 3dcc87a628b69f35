// allow.vmm exists only while vmm.ko is loaded (vmmdev_init registers it; docs/freebsd/kld.md):
// a jail whose jail.conf sets allow.vmm does not start before vmm is loaded — jail(8) says
// "unknown parameter: allow.vmm" — and at boot that means vmm must be loaded by the loader or
// kld_list, which run before jails start.
import { isYes, loadedAtBoot, rcVar } from '../boot-config.js';
import type { Check } from '../check.js';
import type { Finding } from '../finding.js';
import { configuredParam, flagOn } from '../jails.js';
import { moduleStates } from '../kernel-modules.js';
import { STEP } from '../walkthrough.js';

const task = '- name: vmm is loaded, now and at every boot (before jails with allow.vmm start)\n  kld:\n    name: vmm\n    persistent: true';

/** Whether rc starts this Bastille jail at boot (bastille_enable, and bastille_list naming it or empty). */
function startsAtBoot(host: Parameters<Check['evaluate']>[0]['host'], jail: string): boolean {
  if (!isYes(rcVar(host, 'bastille_enable'))) return false;
  const list = (rcVar(host, 'bastille_list') ?? '').split(/\s+/).filter((name) => name !== '');
  return list.length === 0 || list.includes(jail);
}

export const vmmBeforeJail: Check = {
  id: 'vmm-before-jail',
  summary: 'vmm.ko is loaded before a jail with allow.vmm starts (now, and at boot)',
  evaluate({ host, jails }) {
    const vmm = moduleStates(host).get('vmm') ?? 'absent';
    const findings: Finding[] = [];
    for (const jail of jails.values()) {
      if (jail.conf === undefined || !flagOn(configuredParam(jail, 'allow.vmm'))) continue;
      const evidence = [host.evidence('allow.vmm'), host.evidence('kld'), { where: 'host', command: `cat ${jail.confPath ?? ''}`, output: jail.confText?.trimEnd() ?? '' }];
      if (jail.running === undefined && vmm !== 'module') {
        findings.push({
          id: 'vmm-before-jail',
          severity: 'error',
          jail: jail.name,
          what: `jail ${jail.name} sets allow.vmm but vmm.ko is not loaded: starting it fails with "unknown parameter: allow.vmm"`,
          evidence,
          fix: { task, step: STEP.loadModules },
        });
      } else if (startsAtBoot(host, jail.name) && !loadedAtBoot(host, 'vmm')) {
        findings.push({
          id: 'vmm-before-jail',
          severity: 'error',
          jail: jail.name,
          what: `jail ${jail.name} (allow.vmm) starts at boot but nothing loads vmm.ko at boot: after a reboot it fails with "unknown parameter: allow.vmm"`,
          evidence: [...evidence, host.evidence('loader.conf'), host.evidence('rc.conf')],
          fix: { task, step: STEP.loadModules },
        });
      }
    }
    return findings;
  },
};
