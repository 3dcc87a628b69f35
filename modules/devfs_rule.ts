// devfs_rule: one named, numbered ruleset section in /etc/devfs.rules (the seed's
// [devfs_rules_bhyve_jail=25]), other sections untouched byte for byte, applied with
// `service devfs restart` only when it changed or is not loaded (docs/freebsd/devfs.md).
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { devfsRuleProblem, parseDevfsRules, setDevfsRuleset } from '../src/freebsd/devfs-rules.js';
import { devfsStateFact, type DevfsState } from '../src/facts/devfs-state.js';
import { defineModule, type Plan, type Step } from '../src/module-api/module.js';

const params = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_]+$/, 'a ruleset name of letters, digits and _').describe('Ruleset name, as in [NAME=NUMBER].'),
  number: z.number().int().min(1).max(65535).describe('Ruleset number; jails refer to it with devfs_ruleset.'),
  rules: z
    .array(
      z
        .string()
        .min(1)
        .superRefine((rule, context) => {
          const problem = devfsRuleProblem(rule);
          if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
        }),
    )
    .default([]).describe('The `devfs rule` lines of the section, in order (add include $devfsrules_hide_all, … add include $devfsrules_jail, add path vmm unhide…). The kernel follows includes one level deep (vfs.devfs.rule_depth 1): list rulesets 1, 2 and 3 before 4, or ruleset 4\'s own includes are skipped and nothing is hidden.'),
  state: z.enum(['present', 'absent']).default('present').describe('Whether the section exists.'),
  path: z.string().default('/etc/devfs.rules').describe('Rules file to edit.'),
  apply: z.boolean().default(true).describe('Run `service devfs restart` when the ruleset changed or is not loaded.'),
});

type Params = z.output<typeof params>;

/** The change to the rules file and the reload, or why nothing is needed. */
export function planDevfsRule(p: Params, facts: DevfsState): Plan {
  const before = facts.rulesFile ?? '';
  const sections = parseDevfsRules(before);
  const clash = [...sections, ...parseDevfsRules(facts.defaultsFile)].find((s) => s.number === p.number && s.name !== p.name);
  if (clash && p.state === 'present') {
    return {
      steps: [],
      failure: `ruleset number ${p.number} is already used by [${clash.name}=${clash.number}]; pick another number for ${p.name}, or remove that ruleset first`,
    };
  }
  const rules = p.rules.map((rule) => rule.trim());
  const after = setDevfsRuleset(before, p.name, p.number, p.state === 'present' ? rules : undefined);
  const steps: Step[] = [];
  const existing = sections.find((s) => s.name === p.name);
  if (after === before && (facts.rulesFile !== undefined || p.state === 'absent')) {
    steps.push({ kind: 'noop', reason: p.state === 'present' ? `[${p.name}=${p.number}] holds the ${rules.length} rules` : `${p.path} has no [${p.name}] section` });
  } else {
    steps.push({
      kind: 'change',
      summary: p.state === 'absent' ? `remove [${p.name}=${p.number}] from ${p.path}` : `${existing ? 'update' : 'add'} [${p.name}=${p.number}] in ${p.path}`,
      actions: [{ kind: 'put', path: p.path, content: after, mode: 0o644 }],
      diff: { header: p.path, before, after },
    });
  }
  if (p.apply) {
    const fileChanged = steps.some((s) => s.kind === 'change');
    const notLoaded = p.state === 'present' && rules.length > 0 && facts.loadedRules.length === 0;
    const stillLoaded = p.state === 'absent' && facts.loadedRules.length > 0;
    if (stillLoaded) {
      steps.push({ kind: 'change', summary: `delete loaded ruleset ${p.number}`, actions: [{ kind: 'run', command: sh`devfs rule -s ${p.number} delset` }] });
    } else if (fileChanged || notLoaded) {
      steps.push({
        kind: 'change',
        summary: notLoaded && !fileChanged ? `load ruleset ${p.number} (service devfs restart)` : 'service devfs restart',
        actions: [{ kind: 'run', command: sh`service devfs restart` }],
      });
    }
  }
  return { steps };
}

export default defineModule({
  name: 'devfs_rule',
  summary: 'A named, numbered devfs ruleset section in /etc/devfs.rules, loaded',
  description:
    'Replaces or appends the one [NAME=NUMBER] section and leaves every other byte of the file as it was ' +
    '(the file is created when missing). Refuses a number already used by a differently named ruleset, in the file or in ' +
    '/etc/defaults/devfs.rules. Runs `service devfs restart` only when the section changed or the ruleset is not loaded ' +
    '(devfs rule -s N show is empty). A running jail keeps the /dev it mounted: restart it to apply the new ruleset.',
  params,
  example: `- name: devfs ruleset 25 unhides what bhyve needs
  devfs_rule:
    name: devfs_rules_bhyve_jail
    number: 25
    rules:
      - add include $devfsrules_hide_all
      - add include $devfsrules_unhide_basic
      - add include $devfsrules_unhide_login
      - add include $devfsrules_jail
      - add path vmm unhide
      - add path vmm/* unhide
      - add path tap* unhide
      - add path mem unhide
      - add path kmem unhide
      - add path nmdm* unhide
      - add path pci unhide
      - add path io unhide`,
  needs: (p) => [devfsStateFact(p.path, p.number)],
  async observe(host, p) {
    const [state] = await host.facts(devfsStateFact(p.path, p.number));
    return state;
  },
  plan({ params: p, facts }) {
    return planDevfsRule(p, facts);
  },
  verify({ params: p, facts }) {
    const section = parseDevfsRules(facts.rulesFile ?? '').find((s) => s.name === p.name);
    if (p.state === 'absent') return section ? `${p.path} still holds [${p.name}]` : undefined;
    if (!section) return `${p.path} does not hold [${p.name}=${p.number}] after writing it`;
    if (p.apply && p.rules.length > 0 && facts.loadedRules.length === 0) {
      return `ruleset ${p.number} is not loaded after service devfs restart (devfs rule -s ${p.number} show is empty)`;
    }
    return undefined;
  },
});
