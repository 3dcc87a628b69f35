// Every fix doctor prints is a task to paste: wrapped in a play it loads and validates through
// the same loader as `beastie play` (module names and parameters checked by their schemas).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allModules } from '../../modules/all.js';
import { ALL_CHECKS } from '../../src/doctor/checks/all.js';
import type { Finding } from '../../src/doctor/finding.js';
import { diagnose } from '../../src/doctor/run-doctor.js';
import { moduleRegistry } from '../../src/module-api/registry.js';
import { loadPlaybook } from '../../src/playbook/load.js';
import { CLEAN_JAIL, DEVFS_RULES, GUEST_TEST, JAIL_CONF, evidence, guests, jailConfs } from './evidence-fixture.js';

/** A host where every check fires at least once (pitfalls planted together). */
function everything(): Finding[] {
  const plants = [
    evidence({ dmesg: '  VT-x: (disabled in BIOS) PAT\n', acpidump: '', kld: 'vmm absent\nnmdm absent\nif_bridge absent\nif_tap absent\n', jls: '', 'devfs.rules': { absent: true } }),
    evidence({ acpidump: '  IVRS: Length=1,\n', 'rc.conf': '', 'loader.conf': 'pptdevs="1/0/1"\n', 'bastille-version': '1.4.4\n', 'jail.conf': jailConfs(['/j/test-bhyve/jail.conf', JAIL_CONF.replace('bhyve {', 'test-bhyve {').replace('securelevel = -1', 'securelevel = 2')]) }, CLEAN_JAIL),
    evidence({ 'devfs.rules': DEVFS_RULES.replace('add path io unhide\n', ''), 'uname-v': 'FreeBSD 12.2-RELEASE r366954 GENERIC\n', userland: '13.0-RELEASE\n', 'kernel-stamp': { absent: true } }, { 'jail-securelevel': '2\n', 'jail-dev': 'null\n', 'system.conf': 'switch_list="public"\nports_public="vtnet0"\n', 'jail-rc.conf': 'ifconfig_vnet0="DHCP"\n', guests: guests({ ...GUEST_TEST, run: GUEST_TEST.run.replace('-m 4G', '-m 2G') }) }),
    evidence({ 'devfs-loaded': '', jls: 'name=bhyve devfs_ruleset=4 securelevel=-1 vnet=inherit allow.novmm path=/p\n', pciconf: 'igb0@pci0:1:0:0:\tclass=0x020000\n' }),
  ];
  return plants.flatMap((planted) => diagnose(ALL_CHECKS, planted));
}

describe('doctor fix tasks', () => {
  it('every kind of finding has a fix that loads as a task of a play', () => {
    const findings = everything();
    const seen = new Map(findings.map((finding) => [finding.id, finding]));
    expect(seen.size).toBeGreaterThanOrEqual(24);
    for (const finding of seen.values()) {
      const text = `- hosts: all\n  gather_facts: false\n  tasks:\n${finding.fix.task.replace(/^/gm, '    ')}\n`;
      let problem = '';
      try {
        loadPlaybook(join(process.cwd(), 'playbooks', `doctor-${finding.id}.yml`), { modules: moduleRegistry(allModules), text });
      } catch (error) {
        problem = `${finding.id}: ${String(error)}\n${text}`;
      }
      expect(problem).toBe('');
    }
  });
});
