import { describe, expect, it } from 'vitest';
import { parseDevfsRules, setDevfsRuleset } from '../../src/freebsd/devfs-rules.js';

const seedRules = [
  'add include $devfsrules_jail',
  'add path vmm unhide',
  'add path vmm/* unhide',
  'add path tap* unhide',
  'add path mem unhide',
  'add path kmem unhide',
  'add path nmdm* unhide',
  'add path pci unhide',
  'add path io unhide',
];

const bastilleVnet = `[bastille_vnet=13]
add include $devfsrules_hide_all
add include $devfsrules_unhide_basic
add include $devfsrules_unhide_login
add include $devfsrules_jail
add include $devfsrules_jail_vnet
add path 'bpf*' unhide
`;

describe('parseDevfsRules', () => {
  it('reads sections with their rules, skipping comments and blank lines', () => {
    const text = `# local rules\n[a=10]\nadd hide\n\n# about b\n[b = 11] # trailing\nadd path pci unhide\n`;
    expect(parseDevfsRules(text)).toEqual([
      { name: 'a', number: 10, rules: ['add hide'], headerLine: 1, endLine: 3 },
      { name: 'b', number: 11, rules: ['add path pci unhide'], headerLine: 5, endLine: 7 },
    ]);
  });
});

describe('setDevfsRuleset', () => {
  it("creates the file with the seed's ruleset 25 when it does not exist", () => {
    expect(setDevfsRuleset('', 'devfs_rules_bhyve_jail', 25, seedRules)).toBe(
      `[devfs_rules_bhyve_jail=25]\n${seedRules.join('\n')}\n`,
    );
  });

  it("appends after Bastille's own section and leaves it byte for byte", () => {
    const result = setDevfsRuleset(bastilleVnet, 'devfs_rules_bhyve_jail', 25, seedRules);
    expect(result.startsWith(bastilleVnet)).toBe(true);
    expect(result).toBe(`${bastilleVnet}\n[devfs_rules_bhyve_jail=25]\n${seedRules.join('\n')}\n`);
    expect(setDevfsRuleset(result, 'devfs_rules_bhyve_jail', 25, seedRules)).toBe(result);
  });

  it('replaces a section in place, keeping the comment that introduces the next one', () => {
    const text = `[mine=25]\nadd path old unhide\n\n# keep me\n[other=30]\nadd hide\n`;
    expect(setDevfsRuleset(text, 'mine', 25, ['add path pci unhide', 'add path io unhide'])).toBe(
      `[mine=25]\nadd path pci unhide\nadd path io unhide\n\n# keep me\n[other=30]\nadd hide\n`,
    );
  });

  it('removes a section and one separating blank line, nothing else', () => {
    const text = `${bastilleVnet}\n[mine=25]\nadd hide\n`;
    expect(setDevfsRuleset(text, 'mine', 25, undefined)).toBe(bastilleVnet);
    expect(setDevfsRuleset(bastilleVnet, 'absent', 9, undefined)).toBe(bastilleVnet);
  });

  it('adds a newline to a file that lacks one before appending', () => {
    expect(setDevfsRuleset('[a=1]\nadd hide', 'b', 2, ['add hide'])).toBe('[a=1]\nadd hide\n\n[b=2]\nadd hide\n');
  });
});
