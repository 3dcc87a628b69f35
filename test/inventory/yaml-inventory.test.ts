import { describe, expect, it } from 'vitest';
import { InventoryBuilder } from '../../src/inventory/inventory-builder.js';
import { readYamlInventory } from '../../src/inventory/yaml-inventory.js';
import { Problems } from '../../src/yaml/problems.js';
import { inputError } from './inventory-files.js';

/** Reads `lines` as inventory/hosts.yml and returns the error it raises. */
function yamlError(lines: readonly string[]): Promise<string> {
  return inputError(() => readYamlInventory(lines.join('\n'), 'inventory/hosts.yml', new InventoryBuilder(), new Problems()));
}

describe('readYamlInventory errors', () => {
  it.each<[string, string[], string]>([
    [
      'bad YAML',
      ['all:', '  hosts:', '    bhyve01.lab:', '   bad: indent'],
      'inventory/hosts.yml:4:4: YAML syntax error: All mapping items must start at the same column — correct the YAML at that position (check indentation, quotes and brackets)',
    ],
    [
      'an empty file',
      ['# nothing here'],
      'inventory/hosts.yml:1:1: the YAML inventory is empty — start it with `all:` and list hosts under `hosts:` (see inventory/hosts.yml)',
    ],
    [
      'a list at the top',
      ['- bhyve01.lab', '- bhyve02.lab'],
      'inventory/hosts.yml:1:1: a YAML inventory must be a mapping of group names, such as `all:` — start the file with `all:` and put `hosts:`, `children:` and `vars:` under it',
    ],
    [
      'an inventory plugin configuration',
      ['plugin: community.general.proxmox', 'url: https://pve'],
      'inventory/hosts.yml:1:1: this is an inventory plugin configuration, not a YAML inventory — beastie reads static inventories only; export one with `ansible-inventory --list -y`',
    ],
    [
      'hosts: as a list',
      ['all:', '  children:', '    bhyve_hosts:', '      hosts:', '        - bhyve01.lab'],
      "inventory/hosts.yml:5:9: 'hosts' of group 'bhyve_hosts' must be a mapping — list hosts as keys (`bhyve01.lab:` on its own line), not as a YAML list with dashes",
    ],
    [
      'children: as a list',
      ['all:', '  children:', '    - canary'],
      "inventory/hosts.yml:3:5: 'children' of group 'all' must be a mapping — list child groups as keys (`canary:`), not as a YAML list with dashes",
    ],
    [
      'vars: as a string',
      ['all:', '  vars: vm_enable=YES'],
      "inventory/hosts.yml:2:9: 'vars' of group 'all' must be a mapping — write variables as `name: value` lines",
    ],
    [
      'a group that is a string',
      ['all:', '  children:', '    canary: bhyve01.lab'],
      "inventory/hosts.yml:3:13: group 'canary' must be a mapping with hosts:, children: or vars: — write `canary:` followed by an indented `hosts:` mapping",
    ],
    [
      'a misspelt section',
      ['all:', '  host:', '    bhyve01.lab:'],
      "inventory/hosts.yml:2:3: unknown key 'host' in group 'all' — use hosts:, children: or vars: — did you mean 'hosts'?",
    ],
    [
      'host variables as a list',
      ['all:', '  hosts:', '    bhyve01.lab:', '      - ansible_port=22'],
      "inventory/hosts.yml:4:7: variables of host 'bhyve01.lab' must be a mapping — write them indented under `bhyve01.lab:` as `name: value` lines, or leave the host empty",
    ],
    [
      'a numeric host name',
      ['all:', '  hosts:', '    1234:'],
      'inventory/hosts.yml:3:5: host name must be a non-empty string, got 1234 — quote it, as in "1234":',
    ],
    [
      'a bad range',
      ['all:', '  hosts:', '    bhyve[01:100].lab:'],
      "inventory/hosts.yml:3:10: bad host range in 'bhyve[01:100].lab': zero-padded '01' and '100' differ in length — pad both ends to 2 digits",
    ],
    [
      'a bad range in a quoted key',
      ['all:', '  hosts:', '    "bhyve[9:1].lab:22":'],
      "inventory/hosts.yml:3:11: bad host range in 'bhyve[9:1].lab': begin 9 is greater than end 1 — write the smaller bound first",
    ],
    [
      'a group that is its own ancestor',
      ['all:', '  children:', '    a:', '      children:', '        b:', '          children:', '            a:'],
      // Children are read depth first, as in Ansible: b → a is added first, so a → b closes the loop.
      "inventory/hosts.yml:5:9: group 'b' would be its own ancestor: b → a → b — remove 'b' from the children of 'a' (or the reverse edge)",
    ],
    [
      'a group that is its own child',
      ['all:', '  children:', '    a:', '      children:', '        a:'],
      "inventory/hosts.yml:5:9: group 'a' would be its own ancestor: a → a — remove 'a' from the children of 'a' (or the reverse edge)",
    ],
    [
      'a non-integer ansible_group_priority',
      ['all:', '  children:', '    a:', '      vars:', '        ansible_group_priority: high'],
      'inventory/hosts.yml:5:9: ansible_group_priority of group \'a\' must be an integer, got "high" — set it to a whole number such as 10 (higher wins among groups of the same depth)',
    ],
  ])('%s', async (_name, lines, expected) => {
    expect(await yamlError(lines)).toBe(expected);
  });
});
