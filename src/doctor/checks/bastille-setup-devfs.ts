// Bastille 1.x's `bastille setup` rewrites /etc/devfs.rules with its own bastille_vnet=13 ruleset
// when that ruleset is missing (setup.sh, 1.4.4; docs/freebsd/devfs.md): a devfs.rules that holds
// the bhyve ruleset but not Bastille's loses the bhyve ruleset the next time someone runs it.
import type { Check } from '../check.js';
import { fileText } from '../boot-config.js';
import { parseDevfsRules } from '../../freebsd/devfs-rules.js';
import { bastilleVersion } from './bastille-vnet-name.js';
import { rulesetTask } from './devfs-ruleset.js';
import { STEP } from '../walkthrough.js';

export const bastilleSetupDevfs: Check = {
  id: 'bastille-setup-devfs',
  summary: '/etc/devfs.rules survives `bastille setup` (Bastille 1.x rewrites it unless bastille_vnet=13 is there)',
  evaluate({ host }) {
    const version = bastilleVersion(host.text('bastille-version'));
    if (version === undefined || version[0] < 1) return [];
    const text = fileText(host, 'devfs.rules');
    if (text === undefined) return [];
    const sections = parseDevfsRules(text);
    // setup.sh tests the file with `grep -oq "bastille_vnet=13"`, so any mention of it keeps the file.
    if (sections.length === 0 || text.includes('bastille_vnet=13')) return [];
    return [
      {
        id: 'bastille-setup-devfs',
        severity: 'warning',
        what: `/etc/devfs.rules has ${sections.map((section) => `${section.name}=${section.number}`).join(', ')} but not Bastille's bastille_vnet=13: \`bastille setup\` would rewrite the file and drop them`,
        evidence: [host.evidence('bastille-version'), host.evidence('devfs.rules')],
        fix: {
          task: `${'- name: Bastille\'s own ruleset is in /etc/devfs.rules, so bastille setup leaves the file alone\n  devfs_rule:\n    name: bastille_vnet\n    number: 13\n    rules:\n      - add include $devfsrules_hide_all\n      - add include $devfsrules_unhide_basic\n      - add include $devfsrules_unhide_login\n      - add include $devfsrules_jail\n      - add include $devfsrules_jail_vnet\n      - add path \'bpf*\' unhide'}\n# (ruleset 25 stays as it is; for reference:)\n${rulesetTask(25, ['vmm', 'vmm/*', 'tap*', 'mem', 'kmem', 'nmdm*', 'pci', 'io']).replace(/^/gm, '# ')}`,
          step: STEP.bastilleSetup,
        },
      },
    ];
  },
};
