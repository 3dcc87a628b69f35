// The jail's devfs ruleset exists in /etc/devfs.rules and unhides what bhyve needs (the
// walk-through's ruleset 25). A default ruleset (4, 5, Bastille's 13 before `bastille setup`)
// unhides none of vmm, nmdm, tap, pci, io, mem (docs/freebsd/devfs.md).
import { kernelMajor } from '../boot-config.js';
import { examinedJails, type Check } from '../check.js';
import type { Finding } from '../finding.js';
import { DEFAULT_RULESETS, missingPathReason, requiredPaths, rulesetInFile, rulesetNumber, unhiddenPaths } from '../jail-ruleset.js';
import { passthroughGuests } from '../passthrough.js';
import { STEP } from '../walkthrough.js';

/**
 * The includes a bhyve jail's ruleset starts with: 1, 2 and 3 listed before 4, as freebsd-src's
 * devfsrules_jail_vnet does, because the kernel follows includes one level deep
 * (vfs.devfs.rule_depth 1, docs/freebsd/devfs.md "Include depth"): the walk-through's
 * `add include $devfsrules_jail` alone never runs hide_all.
 */
export const JAIL_RULESET_INCLUDES: readonly string[] = [
  'add include $devfsrules_hide_all',
  'add include $devfsrules_unhide_basic',
  'add include $devfsrules_unhide_login',
  'add include $devfsrules_jail',
];

/** The devfs_rule task that writes the walk-through's ruleset (with what this jail needs). */
export function rulesetTask(number: number, paths: readonly string[]): string {
  const rules = [...JAIL_RULESET_INCLUDES, ...paths.map((path) => (/[*?]/.test(path) ? `add path '${path}' unhide` : `add path ${path} unhide`))];
  return `- name: devfs ruleset ${number} unhides what bhyve needs in the jail\n  devfs_rule:\n    name: devfs_rules_bhyve_jail\n    number: ${number}\n    rules:\n${rules.map((rule) => `      - ${rule}`).join('\n')}`;
}

export const devfsRuleset: Check = {
  id: 'devfs-ruleset',
  summary: "each bhyve jail's devfs ruleset is in /etc/devfs.rules and unhides vmm, vmm/*, nmdm*, tap* (vmmctl on 15.x; pci, io, mem for passthrough)",
  evaluate(evidence) {
    const { host } = evidence;
    const major = kernelMajor(host) ?? 14;
    const passthroughJails = new Set(passthroughGuests(evidence).map((entry) => entry.jail));
    const findings: Finding[] = [];
    for (const jail of examinedJails(evidence)) {
      const number = rulesetNumber(jail);
      const needed = requiredPaths(major, passthroughJails.has(jail.name));
      const jailEvidence = { where: 'host', command: `cat ${jail.confPath ?? 'jail.conf'}`, output: jail.confText?.trimEnd() ?? `(jail ${jail.name} has no Bastille jail.conf; jls shows devfs_ruleset=${jail.running?.get('devfs_ruleset') ?? '?'})` };
      if (number === undefined) {
        findings.push({
          id: 'devfs-ruleset-missing',
          severity: 'error',
          jail: jail.name,
          what: `jail ${jail.name} names no devfs ruleset: its /dev hides vmm, so bhyve fails with "vm_create: Operation not permitted"`,
          evidence: [jailEvidence],
          fix: { task: `${rulesetTask(25, needed)}\n- name: jail ${jail.name} mounts its /dev with ruleset 25\n  bastille_jail:\n    name: ${jail.name}\n    params:\n      devfs_ruleset: 25`, step: STEP.devfsRules },
        });
        continue;
      }
      const section = rulesetInFile(host, number);
      if (section === undefined) {
        const builtin = DEFAULT_RULESETS.get(number);
        findings.push({
          id: 'devfs-ruleset-missing',
          severity: 'error',
          jail: jail.name,
          what:
            builtin === undefined
              ? `jail ${jail.name} uses devfs ruleset ${number}, which /etc/devfs.rules does not define: its /dev unhides nothing bhyve needs`
              : `jail ${jail.name} uses devfs ruleset ${number} (${builtin}, a system default), which hides ${needed.join(', ')}`,
          evidence: [jailEvidence, host.evidence('devfs.rules')],
          fix: { task: `${rulesetTask(builtin === undefined ? number : 25, needed)}${builtin === undefined ? '' : `\n- name: jail ${jail.name} mounts its /dev with ruleset 25\n  bastille_jail:\n    name: ${jail.name}\n    params:\n      devfs_ruleset: 25`}`, step: STEP.devfsRules },
        });
        continue;
      }
      const unhidden = unhiddenPaths(section.rules);
      const missing = needed.filter((path) => !unhidden.has(path));
      if (missing.length > 0) {
        findings.push({
          id: 'devfs-ruleset-incomplete',
          severity: 'error',
          jail: jail.name,
          what: [`devfs ruleset ${number} (${section.name}) of jail ${jail.name} does not unhide ${missing.join(', ')}`, ...missing.flatMap((path) => missingPathReason(path) ?? [])].join(': '),
          evidence: [host.evidence('devfs.rules')],
          fix: { task: rulesetTask(number, needed), step: STEP.devfsRules },
        });
      }
    }
    return findings;
  },
};
