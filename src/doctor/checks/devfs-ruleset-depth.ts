// A jail's devfs ruleset whose hide_all never runs: the kernel follows an include only as deep as
// vfs.devfs.rule_depth, 1 on a stock kernel (sys/fs/devfs/devfs_devs.c; devfs_rule.c
// devfs_rule_run runs an included ruleset with depth - 1 and skips includes at depth 0). The
// walk-through's ruleset 25 starts with `add include $devfsrules_jail` only, so ruleset 4's own
// include of 1 (hide everything) is skipped there and the jail sees every host device
// (docs/freebsd/devfs.md "Include depth"). freebsd-src's devfsrules_jail_vnet lists 1, 2 and 3
// itself before 4 for that reason; the fix does the same.
import { examinedJails, type Check } from '../check.js';
import type { Finding } from '../finding.js';
import { fileText, kernelMajor } from '../boot-config.js';
import { DEFAULT_RULESETS, loadedRules, requiredPaths, rulesetInFile, rulesetNumber, unhiddenPaths } from '../jail-ruleset.js';
import { parseDevfsRules } from '../../freebsd/devfs-rules.js';
import { passthroughGuests } from '../passthrough.js';
import type { ProbeResults } from '../probe.js';
import { STEP } from '../walkthrough.js';
import { rulesetTask } from './devfs-ruleset.js';

/** One devfs rule as far as this check needs it: its path condition, its action, the ruleset it includes. */
interface Rule {
  readonly path: string | undefined;
  readonly conditioned: boolean;
  readonly hide: boolean;
  readonly include: number | undefined;
}

/** freebsd-src's /etc/defaults/devfs.rules (sbin/devfs/devfs.rules at 1b1334b1), as far as includes and hide go. */
const DEFAULT_RULES: ReadonlyMap<number, readonly string[]> = new Map([
  [1, ['add hide']],
  [2, []],
  [3, []],
  [4, ['add include 1', 'add include 2', 'add include 3', 'add path fuse unhide', 'add path zfs unhide']],
  [5, ['add include 1', 'add include 2', 'add include 3', 'add include 4', 'add path pf unhide']],
]);

/** A rule line (`add include $devfsrules_jail`, `100 include 4`, `add path 'tap*' unhide`) read with NAMES for `$name`. */
function parseRule(line: string, names: ReadonlyMap<string, number>): Rule {
  const words = line.split(/\s+/).map((word) => word.replace(/^['"]|['"]$/g, ''));
  let path: string | undefined;
  let include: number | undefined;
  let hide = false;
  let conditioned = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === 'path') path = words[++i];
    else if (word === 'type') {
      conditioned = true;
      i++;
    } else if (word === 'include') {
      const target = words[++i] ?? '';
      const name = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(target)?.[1];
      include = name === undefined ? Number(target) : names.get(name);
    } else if (word === 'hide') hide = true;
  }
  return { path, conditioned: conditioned || path !== undefined, hide, include: Number.isInteger(include) ? include : undefined };
}

/** The rulesets the kernel holds now (`devfs rule -s N show`), freebsd-src's defaults under any the probe left out; undefined when `number` is not loaded. */
function loadedSets(host: ProbeResults, number: number): ReadonlyMap<number, readonly Rule[]> | undefined {
  if (loadedRules(host, number).length === 0) return undefined;
  const noNames = new Map<string, number>();
  const sets = new Map<number, readonly Rule[]>([...DEFAULT_RULES].map(([n, lines]) => [n, lines.map((line) => parseRule(line, noNames))]));
  for (const match of host.text('devfs-loaded').matchAll(/^\[(\d+)\]$/gm)) {
    const n = Number(match[1]);
    sets.set(n, loadedRules(host, n).map((line) => parseRule(line, noNames)));
  }
  return sets;
}

/** The rulesets the next `service devfs restart` (or boot) loads: /etc/devfs.rules over the defaults; undefined when the file lacks `number`. */
function fileSets(host: ProbeResults, number: number): ReadonlyMap<number, readonly Rule[]> | undefined {
  const sections = parseDevfsRules(fileText(host, 'devfs.rules') ?? '');
  if (!sections.some((section) => section.number === number)) return undefined;
  const names = new Map<string, number>([...DEFAULT_RULESETS].map(([n, name]) => [name, n]));
  for (const section of sections) names.set(section.name, section.number);
  const sets = new Map<number, readonly Rule[]>([...DEFAULT_RULES].map(([n, lines]) => [n, lines.map((line) => parseRule(line, names))]));
  for (const section of sections) sets.set(section.number, section.rules.map((line) => parseRule(line, names)));
  return sets;
}

/** The include chain to hide_all that `depth` does not reach in SETS, or undefined when hide_all runs (or no ruleset hides everything). */
function skippedChain(sets: ReadonlyMap<number, readonly Rule[]> | undefined, number: number, depth: number): number[] | undefined {
  if (sets === undefined || hideAllChain(sets, number, depth) !== undefined) return undefined;
  return hideAllChain(sets, number, 64);
}

/** The includes from `number` down to a rule that hides every node, followed at most `depth` deep; undefined when none is reached. */
function hideAllChain(sets: ReadonlyMap<number, readonly Rule[]>, number: number, depth: number, seen: readonly number[] = []): number[] | undefined {
  if (seen.includes(number)) return undefined;
  for (const rule of sets.get(number) ?? []) {
    if (rule.conditioned) continue;
    if (rule.hide) return [number];
    if (rule.include !== undefined && depth > 0) {
      const below = hideAllChain(sets, rule.include, depth - 1, [...seen, number]);
      if (below !== undefined) return [number, ...below];
    }
  }
  return undefined;
}

/** vfs.devfs.rule_depth as the host's sysctl printed it; 1, the kernel's own value, when it was not read. */
function ruleDepth(host: ProbeResults): number {
  const value = /^vfs\.devfs\.rule_depth: (\d+)$/m.exec(host.text('devfs.rule_depth'))?.[1];
  return value === undefined ? 1 : Number(value);
}

export const devfsRulesetDepth: Check = {
  id: 'devfs-ruleset-depth',
  summary: "each bhyve jail's devfs ruleset hides every host device first: its hide_all is reached within vfs.devfs.rule_depth (1) includes",
  evaluate(evidence) {
    const { host } = evidence;
    const depth = ruleDepth(host);
    const major = kernelMajor(host) ?? 14;
    const passthroughJails = new Set(passthroughGuests(evidence).map((entry) => entry.jail));
    const findings: Finding[] = [];
    for (const jail of examinedJails(evidence)) {
      const number = rulesetNumber(jail);
      if (number === undefined || number === 0) continue;
      const inKernel = skippedChain(loadedSets(host, number), number, depth);
      const inFile = skippedChain(fileSets(host, number), number, depth);
      const deeper = inKernel ?? inFile;
      if (deeper === undefined) continue;
      const chain = deeper.map((n, i) => (i === 0 ? `ruleset ${n}` : `${n}${DEFAULT_RULESETS.has(n) ? ` (${DEFAULT_RULESETS.get(n)})` : ''}`)).join(' includes ');
      const where = inKernel !== undefined ? 'the jail sees every device of the host' : 'a jail mounting /dev after the next service devfs restart or boot sees every device of the host';
      const own = unhiddenPaths(inKernel !== undefined ? loadedRules(host, number) : (rulesetInFile(host, number)?.rules ?? []));
      const paths = [...new Set([...own, ...requiredPaths(major, passthroughJails.has(jail.name))])];
      const inside = evidence.inside.get(jail.name);
      findings.push({
        id: 'devfs-ruleset-nested-include',
        severity: 'error',
        jail: jail.name,
        what:
          `jail ${jail.name}'s devfs ruleset ${number} hides nothing${inKernel !== undefined ? '' : ' as /etc/devfs.rules writes it'}: ${chain}, but the kernel follows includes only ${depth} deep (vfs.devfs.rule_depth), ` +
          `so that include is skipped, hide_all never runs and ${where}; list rulesets 1, 2 and 3 in ruleset ${number} before 4, as devfsrules_jail_vnet does`,
        evidence: [
          ...(inKernel !== undefined ? [host.evidence('devfs-loaded')] : []),
          ...(inFile !== undefined ? [host.evidence('devfs.rules')] : []),
          host.evidence('devfs.rule_depth'),
          ...(inKernel !== undefined && inside !== undefined && inside.exitCode('jail-dev') === 0 ? [inside.evidence('jail-dev')] : []),
        ],
        fix: { task: rulesetTask(number, paths), step: STEP.devfsRules },
      });
    }
    return findings;
  },
};
