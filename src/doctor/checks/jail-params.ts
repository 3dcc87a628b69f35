// A jail that runs bhyve needs allow.vmm (bhyve's /dev/vmm ioctls check it) and, for vm-bhyve's
// switches, its own network stack (vnet): the walk-through's `bastille create --vnet` and
// `allow.vmm;` (docs/freebsd/passthrough.md, bastille.md). jail.conf changes apply at the next start.
import { examinedJails, type Check } from '../check.js';
import type { Finding } from '../finding.js';
import { configuredParam, flagOn, isVnet } from '../jails.js';
import { STEP } from '../walkthrough.js';

export const jailParams: Check = {
  id: 'jail-params',
  summary: 'each bhyve jail has allow.vmm and vnet, in jail.conf and in the running jail',
  evaluate(evidence) {
    const findings: Finding[] = [];
    for (const jail of examinedJails(evidence)) {
      const confEvidence = { where: 'host', command: `cat ${jail.confPath ?? 'jail.conf'}`, output: jail.confText?.trimEnd() ?? '(no Bastille jail.conf)' };
      const runningEvidence = evidence.host.evidence('jls');
      const configured = flagOn(configuredParam(jail, 'allow.vmm'));
      const running = jail.running === undefined ? undefined : flagOn(jail.running.get('allow.vmm'));
      if (!configured) {
        findings.push({
          id: 'jail-allow-vmm',
          severity: 'error',
          jail: jail.name,
          what: `jail ${jail.name} lacks allow.vmm: bhyve in it fails with "vm_create: Operation not permitted"`,
          evidence: [confEvidence, runningEvidence],
          fix: { task: `- name: jail ${jail.name} may run bhyve\n  bastille_jail:\n    name: ${jail.name}\n    params:\n      allow.vmm: true`, step: STEP.jailConf },
        });
      } else if (running === false) {
        findings.push({
          id: 'jail-allow-vmm',
          severity: 'error',
          jail: jail.name,
          what: `jail ${jail.name}'s jail.conf has allow.vmm but the running jail does not (jls: allow.novmm): restart it`,
          evidence: [confEvidence, runningEvidence],
          fix: { task: `- name: jail ${jail.name} restarts with allow.vmm\n  command: bastille restart ${jail.name}`, step: STEP.jailConf },
        });
      }
      const vnet = isVnet(configuredParam(jail, 'vnet')) || isVnet(jail.running?.get('vnet'));
      if (!vnet) {
        findings.push({
          id: 'jail-vnet',
          severity: 'error',
          jail: jail.name,
          what: `jail ${jail.name} is not a VNET jail: vm-bhyve's switches (bridges, taps) need the jail's own network stack`,
          evidence: [confEvidence, runningEvidence],
          fix: {
            task: `# A jail becomes VNET when it is created so: Bastille makes its epair and vnet.interface.\n- name: the VNET jail ${jail.name} may run bhyve\n  bastille_jail:\n    name: ${jail.name}\n    vnet: true\n    params:\n      allow.vmm: true`,
            step: STEP.createJail,
          },
        });
      }
    }
    return findings;
  },
};
