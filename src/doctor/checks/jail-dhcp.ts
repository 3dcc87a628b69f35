// In a jail, `ifconfig_IFACE="DHCP"` starts dhclient in the background and rc goes on before the
// address is there; the walk-through found that only SYNCDHCP (rc waits for the lease) works in
// the bhyve jail ("Issues": SYNCDHCP). rc.conf(5) keywords; docs/freebsd/host.md.
import type { Check } from '../check.js';
import { fileText } from '../boot-config.js';
import type { Finding } from '../finding.js';
import { parseShConf } from '../../freebsd/sh-conf.js';
import { STEP } from '../walkthrough.js';

export const jailDhcp: Check = {
  id: 'jail-dhcp',
  summary: 'a bhyve jail that configures an interface by DHCP uses SYNCDHCP',
  evaluate(evidence) {
    const findings: Finding[] = [];
    for (const jail of evidence.examined) {
      const inside = evidence.inside.get(jail);
      if (inside === undefined) continue;
      const assignments = parseShConf(fileText(inside, 'jail-rc.conf') ?? '');
      const last = new Map(assignments.map((assignment) => [assignment.key, assignment.value]));
      for (const [key, value] of last) {
        const iface = /^ifconfig_(.+)$/.exec(key)?.[1];
        if (iface === undefined || iface.endsWith('_name') || iface.includes('_alias')) continue;
        if (!/(^|\s)DHCP(\s|$)/i.test(value) || /SYNCDHCP/i.test(value)) continue;
        findings.push({
          id: 'jail-dhcp-not-sync',
          severity: 'warning',
          jail,
          what: `jail ${jail} configures ${iface} with ${key}="${value}": DHCP in the background leaves it without an address when rc goes on; use SYNCDHCP`,
          evidence: [inside.evidence('jail-rc.conf')],
          fix: {
            task: `- name: ${iface} in jail ${jail} waits for its DHCP lease at start\n  sysrc:\n    name: ${key}\n    value: "${value.replace(/(^|\s)DHCP(?=\s|$)/i, '$1SYNCDHCP')}"\n  jail: ${jail}`,
            step: STEP.syncDhcp,
          },
        });
      }
    }
    return findings;
  },
};
