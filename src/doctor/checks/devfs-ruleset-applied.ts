// A jail's /dev is mounted with its ruleset when the jail starts; a jail started before its
// ruleset was loaded, or with another devfs_ruleset, keeps that /dev until it restarts
// (docs/freebsd/devfs.md "Jails already running keep the /dev they mounted"), or until the
// ruleset is applied to that mount (devfs applyset, the fix for the second case). Only nodes that
// always exist on the host tell: vmm/NAME, nmdmN and tapN appear with their guests.
import { examinedJails, type Check } from '../check.js';
import type { Finding } from '../finding.js';
import { kernelMajor } from '../boot-config.js';
import { kernelHasVmmctl, loadedRules, rulesetInFile, rulesetNumber, unhiddenPaths } from '../jail-ruleset.js';
import { STEP } from '../walkthrough.js';

/**
 * Device nodes the host always has, so a ruleset that unhides them shows them in the jail's /dev:
 * vmmctl only on a kernel that makes it (15.0 on); on 14.x a ruleset may unhide it and the jail's
 * /dev still has none.
 */
const alwaysPresent = (major: number | undefined) => ['pci', 'io', 'mem', 'kmem', ...(major !== undefined && kernelHasVmmctl(major) ? ['vmmctl'] : [])];

const restartTask = (jail: string) => `- name: jail ${jail} restarts so its /dev is mounted with its ruleset\n  command: bastille restart ${jail}`;

/**
 * The fix for a running jail whose /dev predates its loaded ruleset: apply the ruleset to that
 * mount (`devfs -m ROOT/dev rule -s N applyset`, docs/freebsd/devfs.md), which shows what it
 * unhides at once and keeps the jail and its guests running; without the jail's root, a restart.
 */
const applysetTask = (jail: string, root: string | undefined, ruleset: number) =>
  root === undefined || root === ''
    ? restartTask(jail)
    : `- name: jail ${jail}'s mounted /dev gets ruleset ${ruleset} (devfs applyset; the jail keeps running)\n` +
      `  command:\n    argv: [devfs, -m, ${JSON.stringify(`${root}/dev`)}, rule, -s, "${ruleset}", applyset]`;

export const devfsRulesetApplied: Check = {
  id: 'devfs-ruleset-applied',
  summary: 'each running bhyve jail runs with its configured devfs ruleset, and its /dev shows what the ruleset unhides',
  evaluate(evidence) {
    const findings: Finding[] = [];
    for (const jail of examinedJails(evidence)) {
      if (jail.running === undefined) continue;
      const number = rulesetNumber(jail);
      const runningNumber = Number(jail.running.get('devfs_ruleset'));
      if (number !== undefined && runningNumber !== number) {
        findings.push({
          id: 'devfs-ruleset-not-applied',
          severity: 'error',
          jail: jail.name,
          what: `jail ${jail.name} runs with devfs ruleset ${runningNumber}, its jail.conf says ${number}: the change applies when the jail restarts`,
          evidence: [evidence.host.evidence('jls')],
          fix: { task: restartTask(jail.name), step: STEP.jailConf },
        });
        continue;
      }
      const inside = evidence.inside.get(jail.name);
      if (inside === undefined || inside.exitCode('jail-dev') !== 0) continue;
      const devices = new Set(inside.text('jail-dev').split(/\s+/));
      const rules = number === undefined ? [] : loadedRules(evidence.host, number);
      const unhidden = unhiddenPaths(rules.length > 0 ? rules : (number === undefined ? undefined : rulesetInFile(evidence.host, number))?.rules ?? []);
      const absent = alwaysPresent(kernelMajor(evidence.host)).filter((node) => unhidden.has(node) && !devices.has(node));
      if (absent.length > 0) {
        findings.push({
          id: 'devfs-ruleset-not-applied',
          severity: 'error',
          jail: jail.name,
          what: `jail ${jail.name}'s /dev lacks ${absent.join(', ')} although its ruleset ${runningNumber} unhides them: the jail was started before the ruleset was loaded`,
          evidence: [inside.evidence('jail-dev'), evidence.host.evidence('devfs-loaded')],
          fix: { task: applysetTask(jail.name, jail.running.get('path'), runningNumber), step: STEP.devfsRules },
        });
      }
    }
    return findings;
  },
};
