// bhyve opens /dev/pci for writing to pass a device through, which pci_open refuses above
// securelevel 0; inside a jail the level is the larger of the host's and the jail's securelevel
// (Bastille writes securelevel = 2) — the walk-through's "failed to open /dev/pci: Operation not
// permitted" (docs/freebsd/passthrough.md, host.md).
import type { Check } from '../check.js';
import type { Finding } from '../finding.js';
import { configuredParam } from '../jails.js';
import { passthroughGuests } from '../passthrough.js';
import { STEP } from '../walkthrough.js';

export const jailSecurelevel: Check = {
  id: 'jail-securelevel',
  summary: 'a jail whose guests pass devices through runs at securelevel 0 or below (jail and host)',
  evaluate(evidence) {
    const findings: Finding[] = [];
    const jails = [...new Set(passthroughGuests(evidence).map((entry) => entry.jail))];
    const hostLevel = Number(evidence.host.text('securelevel').trim());
    for (const name of jails) {
      const jail = evidence.jails.get(name);
      const inside = evidence.inside.get(name);
      const configured = jail === undefined ? undefined : Number(configuredParam(jail, 'securelevel') ?? '-1');
      const effective = inside === undefined ? undefined : Number(inside.text('jail-securelevel').trim());
      if (hostLevel > 0) {
        findings.push({
          id: 'host-securelevel',
          severity: 'error',
          jail: name,
          what: `the host runs at securelevel ${hostLevel}: no jail can open /dev/pci for writing, and it can only be lowered by a reboot`,
          evidence: [evidence.host.evidence('securelevel')],
          fix: { task: '- name: the host boots at securelevel -1\n  sysrc:\n    name: kern_securelevel_enable\n    value: "NO"', step: STEP.securelevel },
        });
      }
      if ((configured !== undefined && configured > 0) || (effective !== undefined && effective > 0 && hostLevel <= 0)) {
        findings.push({
          id: 'jail-securelevel',
          severity: 'error',
          jail: name,
          what: `jail ${name} runs at securelevel ${effective ?? configured}${configured !== undefined && configured !== effective ? ` (jail.conf: ${configured})` : ''}: bhyve fails with "failed to open /dev/pci: Operation not permitted"`,
          evidence: [...(inside === undefined ? [] : [inside.evidence('jail-securelevel')]), { where: 'host', command: `cat ${jail?.confPath ?? 'jail.conf'}`, output: jail?.confText?.trimEnd() ?? '' }],
          fix: { task: `- name: jail ${name} runs at securelevel -1 so bhyve may open /dev/pci for writing\n  bastille_jail:\n    name: ${name}\n    params:\n      securelevel: -1`, step: STEP.securelevel },
        });
      }
    }
    return findings;
  },
};
