// Bastille 1.1 and later refuse VNET jail names with `-` or `_` ("VNET jail names may not contain
// (-|_) characters."; create.sh), which 0.x and 1.0 accepted — the walk-through's `test-bhyve`.
// A fleet that upgrades Bastille keeps such jails, but cannot create them again (docs/freebsd/bastille.md).
import type { Check } from '../check.js';
import type { Finding } from '../finding.js';
import { configuredParam, isVnet } from '../jails.js';
import { STEP } from '../walkthrough.js';

/** `1.4.4` → [1, 4]; `0.7.20200714` → [0, 7]. */
export function bastilleVersion(text: string): readonly [number, number] | undefined {
  const match = /(\d+)\.(\d+)/.exec(text);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

export const bastilleVnetName: Check = {
  id: 'bastille-vnet-name',
  summary: 'no VNET jail has a name Bastille 1.1+ rejects (with - or _)',
  evaluate({ host, jails }) {
    const version = bastilleVersion(host.text('bastille-version'));
    const findings: Finding[] = [];
    for (const jail of jails.values()) {
      if (jail.conf === undefined || !/[-_]/.test(jail.name) || !isVnet(configuredParam(jail, 'vnet'))) continue;
      const rejects = version !== undefined && (version[0] > 1 || (version[0] === 1 && version[1] >= 1));
      findings.push({
        id: 'bastille-vnet-name',
        severity: 'warning',
        jail: jail.name,
        what: rejects
          ? `VNET jail ${jail.name}: Bastille ${host.text('bastille-version').trim()} refuses VNET names with - or _ ("VNET jail names may not contain (-|_) characters."), so it cannot be created again under this name`
          : `VNET jail ${jail.name}: Bastille 1.1 and later refuse VNET names with - or _; after a Bastille upgrade it cannot be created again under this name`,
        evidence: [host.evidence('bastille-version'), { where: 'host', command: `cat ${jail.confPath ?? 'jail.conf'}`, output: jail.confText?.trimEnd() ?? '' }],
        fix: {
          task: `# Bastille cannot rename a VNET jail in place; create it under a name without - or _ and move the guests.\n- name: the VNET jail ${jail.name.replace(/[-_]/g, '')} may run bhyve\n  bastille_jail:\n    name: ${jail.name.replace(/[-_]/g, '')}\n    vnet: true\n    params:\n      allow.vmm: true`,
          step: STEP.createJail,
        },
      });
    }
    return findings;
  },
};
