import { describe, expect, it } from 'vitest';
import devfsRule, { planDevfsRule } from '../../modules/devfs_rule.js';
import { devfsStateFact } from '../../src/facts/devfs-state.js';
import { LocalTransport } from '../../src/transport/local.js';
import { framedSections } from '../helpers/sections-output.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../../src/module-api/module.js';

const rules = ['add include $devfsrules_jail', 'add path vmm unhide', 'add path pci unhide', 'add path io unhide'];
const params = (extra: Record<string, unknown> = {}) => devfsRule.params.parse({ name: 'devfs_rules_bhyve_jail', number: 25, rules, ...extra });
const defaults = '[devfsrules_hide_all=1]\nadd hide\n\n[devfsrules_jail=4]\nadd include $devfsrules_hide_all\n';
const section = `[devfs_rules_bhyve_jail=25]\n${rules.join('\n')}\n`;
const loaded = ['100 include 4', '200 path vmm unhide', '300 path pci unhide', '400 path io unhide'];
const summary = (plan: Plan) => plan.steps.map((s) => (s.kind === 'change' ? `change: ${s.summary}` : `noop: ${s.reason}`));

describe('devfs_rule plan', () => {
  it('creates the missing file, then restarts devfs', () => {
    const plan = planDevfsRule(params(), { rulesFile: undefined, defaultsFile: defaults, loadedRules: [] });
    expect(summary(plan)).toEqual(['change: add [devfs_rules_bhyve_jail=25] in /etc/devfs.rules', 'change: service devfs restart']);
    expect(plan.steps[0]).toMatchObject({ diff: { before: '', after: section }, actions: [{ kind: 'put', path: '/etc/devfs.rules', content: section }] });
  });

  it('does nothing on a second run', () => {
    expect(summary(planDevfsRule(params(), { rulesFile: section, defaultsFile: defaults, loadedRules: loaded }))).toEqual([
      'noop: [devfs_rules_bhyve_jail=25] holds the 4 rules',
    ]);
  });

  it('loads a correct but unloaded ruleset (after a reboot without devfs rules, or a hand edit)', () => {
    expect(summary(planDevfsRule(params(), { rulesFile: section, defaultsFile: defaults, loadedRules: [] }))).toEqual([
      'noop: [devfs_rules_bhyve_jail=25] holds the 4 rules',
      'change: load ruleset 25 (service devfs restart)',
    ]);
  });

  it("keeps Bastille's section byte for byte when adding its own", () => {
    const bastille = '[bastille_vnet=13]\nadd include $devfsrules_jail_vnet\nadd path \'bpf*\' unhide\n';
    const plan = planDevfsRule(params(), { rulesFile: bastille, defaultsFile: defaults, loadedRules: [] });
    const step = plan.steps[0];
    expect(step?.kind === 'change' && step.diff?.after).toBe(`${bastille}\n${section}`);
  });

  it('refuses a number used by another ruleset, in the file or the defaults', () => {
    expect(planDevfsRule(params({ number: 4 }), { rulesFile: undefined, defaultsFile: defaults, loadedRules: [] }).failure).toBe(
      'ruleset number 4 is already used by [devfsrules_jail=4]; pick another number for devfs_rules_bhyve_jail, or remove that ruleset first',
    );
    expect(planDevfsRule(params(), { rulesFile: '[other=25]\nadd hide\n', defaultsFile: '', loadedRules: [] }).failure).toMatch(/\[other=25\]/);
  });

  it('removes the section and deletes the loaded ruleset when absent', () => {
    const plan = planDevfsRule(params({ state: 'absent' }), { rulesFile: `# mine\n${section}`, defaultsFile: defaults, loadedRules: loaded });
    expect(summary(plan)).toEqual(['change: remove [devfs_rules_bhyve_jail=25] from /etc/devfs.rules', 'change: delete loaded ruleset 25']);
    expect(plan.steps[0]).toMatchObject({ diff: { after: '# mine\n' } });
  });
});

describe('devfsStateFact', () => {
  it('splits the file, the defaults and the loaded ruleset', () => {
    const fact = devfsStateFact('/etc/devfs.rules', 25);
    expect(fact.parse({ stdout: framedSections([['rules', section], ['defaults', defaults], ['loaded', '100 include 4\n']]), stderr: '', exitCode: 0 })).toEqual({
      rulesFile: section,
      defaultsFile: defaults,
      loadedRules: ['100 include 4'],
    });
    expect(fact.parse({ stdout: framedSections([['defaults', ''], ['loaded', '']]), stderr: '', exitCode: 0 })).toEqual({
      rulesFile: undefined,
      defaultsFile: '',
      loadedRules: [],
    });
  });

  it('reads a rules file as its text, whatever it holds: it cannot end itself early or forge the loaded ruleset', async () => {
    // The old read split its output at a fixed `@@devfs-section@@` line, which the file could hold.
    const dir = mkdtempSync(join(tmpdir(), 'beastie-devfs-'));
    try {
      const path = join(dir, 'devfs.rules');
      const text = `${section}@@devfs-section@@\n[forged=26]\n@@devfs-section@@\n100 include 4\n`;
      writeFileSync(path, text);
      const fact = devfsStateFact(path, 25);
      const state = fact.parse(await new LocalTransport().run(fact.command));
      expect(state.rulesFile).toBe(text);
      expect(state.loadedRules).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
