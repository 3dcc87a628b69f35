// A vm-bhyve switch's ports (ports_NAME in $vm_dir/.config/system.conf) must be interfaces of
// the jail's own network stack: inside a Bastille VNET jail the NIC is vnet0, not the host's
// vtnet0/em0 the walk-through names, and `vm switch add` or `vm init` after a reboot fails with
// "failed to add member IFACE to the virtual switch NAME" (docs/freebsd/vm-bhyve.md, bastille.md).
import type { Check } from '../check.js';
import { fileText } from '../boot-config.js';
import type { Finding } from '../finding.js';
import { STEP } from '../walkthrough.js';

/** system.conf as vm-bhyve reads it: `key=value` lines, quotes dropped, the first match wins. */
export function systemConf(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z][A-Za-z0-9_]*)=(.*)$/.exec(line.replace(/#.*$/, '').trimEnd());
    if (match?.[1] !== undefined && !values.has(match[1])) values.set(match[1], (match[2] ?? '').replaceAll('"', ''));
  }
  return values;
}

export const switchInterfaces: Check = {
  id: 'switch-interfaces',
  summary: "every vm-bhyve switch port is an interface that exists in the jail (vnet0, not the seed's vtnet0)",
  evaluate(evidence) {
    const findings: Finding[] = [];
    for (const jail of evidence.examined) {
      const inside = evidence.inside.get(jail);
      if (inside === undefined || inside.exitCode('jail-ifconfig') !== 0) continue;
      const interfaces = new Set(inside.text('jail-ifconfig').split(/\s+/).filter((name) => name !== ''));
      const conf = systemConf(fileText(inside, 'system.conf') ?? '');
      for (const name of (conf.get('switch_list') ?? '').split(/\s+/).filter((word) => word !== '')) {
        const ports = (conf.get(`ports_${name}`) ?? '').split(/\s+/).filter((word) => word !== '');
        const missing = ports.filter((port) => !interfaces.has(port));
        if (missing.length === 0) continue;
        const present = [...interfaces].find((iface) => /^vnet\d+$/.test(iface)) ?? [...interfaces].find((iface) => !/^(lo|vm-|tap|bridge)/.test(iface));
        findings.push({
          id: 'switch-interface-missing',
          severity: 'error',
          jail,
          what: `switch ${name} in jail ${jail} has port ${missing.join(', ')}, which the jail does not have (its interfaces: ${[...interfaces].join(' ')})`,
          evidence: [inside.evidence('system.conf'), inside.evidence('jail-ifconfig')],
          fix: {
            task: `- name: switch ${name} on the jail's own NIC\n  vm_switch:\n    name: ${name}\n    interfaces: [${present ?? 'vnet0'}]\n  jail: ${jail}`,
            step: STEP.vmSwitch,
          },
        });
      }
    }
    return findings;
  },
};
