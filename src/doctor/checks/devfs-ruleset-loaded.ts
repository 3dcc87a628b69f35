// /etc/devfs.rules is read only by `service devfs restart` (and at boot): a ruleset written or
// edited since is not what the kernel applies to a jail's /dev (docs/freebsd/devfs.md).
import { examinedJails, type Check } from '../check.js';
import type { Finding } from '../finding.js';
import { loadedRules, rulesetInFile, rulesetNumber, unhiddenPaths } from '../jail-ruleset.js';
import { STEP } from '../walkthrough.js';

export const devfsRulesetLoaded: Check = {
  id: 'devfs-ruleset-loaded',
  summary: "each bhyve jail's devfs ruleset is loaded in the kernel as /etc/devfs.rules writes it",
  evaluate(evidence) {
    const { host } = evidence;
    const findings: Finding[] = [];
    const seen = new Set<number>();
    for (const jail of examinedJails(evidence)) {
      const number = rulesetNumber(jail);
      if (number === undefined || seen.has(number)) continue;
      seen.add(number);
      const section = rulesetInFile(host, number);
      if (section === undefined) continue;
      const loaded = loadedRules(host, number);
      const inFile = unhiddenPaths(section.rules);
      const inKernel = unhiddenPaths(loaded);
      const differs = loaded.length === 0 || [...inFile].some((path) => !inKernel.has(path)) || [...inKernel].some((path) => !inFile.has(path));
      if (!differs) continue;
      findings.push({
        id: 'devfs-ruleset-not-loaded',
        severity: 'error',
        jail: jail.name,
        what:
          loaded.length === 0
            ? `devfs ruleset ${number} is in /etc/devfs.rules but not loaded in the kernel: jail ${jail.name} gets a /dev without vmm`
            : `devfs ruleset ${number} as loaded differs from /etc/devfs.rules (edited since the last \`service devfs restart\`)`,
        evidence: [host.evidence('devfs.rules'), host.evidence('devfs-loaded')],
        fix: { task: '- name: the devfs rulesets of /etc/devfs.rules are loaded\n  service:\n    name: devfs\n    state: restarted', step: STEP.devfsRules },
      });
    }
    return findings;
  },
};
