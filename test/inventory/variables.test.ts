import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { implicitLocalhost } from '../../src/inventory/implicit-localhost.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import type { Inventory, InventoryGroup, InventoryHost } from '../../src/inventory/types.js';
import { hostVariables, inventoryVariables, magicVariables, sortedGroupsOf } from '../../src/inventory/variables.js';
import { removeTrees, writeTree } from './inventory-files.js';
import { InvalidInputErrors } from '../../src/errors.js';

const fixtures = fileURLToPath(new URL('../fixtures/inventory/', import.meta.url));
let inventory: Inventory;
beforeAll(async () => {
  inventory = await loadInventory(`${fixtures}fleet/hosts.yml`);
});

function host(name: string): InventoryHost {
  const h = inventory.hosts.get(name);
  if (!h) throw new Error(`no host ${name} in the fixture`);
  return h;
}

describe('inventoryVariables precedence', () => {
  it.each<[string, string, unknown, string]>([
    ['lonely.lab', 'layer', 'all-file', 'group_vars/all beats all: vars in the inventory'],
    ['jail1.lab', 'zone', 'all-file', 'group_vars/all beats all: vars in the inventory'],
    ['bhyve02.lab', 'zone', 'all-file', 'group_vars/all beats even a child group\'s inventory vars'],
    ['bhyve04.lab', 'prio', 'bhyve_hosts', 'ansible_group_priority 10 puts bhyve_hosts after storage (same depth)'],
    ['nasa.lab', 'prio', 'storage', 'only in storage'],
    ['bhyve04.lab', 'layer', 'storage-file-20', 'group_vars files beat inventory group vars; 20- after 10-'],
    ['bhyve01.lab', 'layer', 'host-inventory', 'inventory host vars beat every group layer'],
    ['bhyve02.lab', 'layer', 'host-file', 'host_vars/NAME.json beats inventory host vars'],
    ['bhyve03.lab', 'layer', 'host-dir', 'host_vars/NAME/ found before NAME.yml'],
    ['bhyve04.lab', 'vm_enable', 'YES', 'YAML 1.2: YES is a string'],
  ])('%s %s = %s (%s)', (name, key, expected) => {
    expect(inventoryVariables(inventory, host(name))[key]).toEqual(expected);
  });

  it("equals ansible-inventory's _meta.hostvars for every host", async () => {
    const expected = JSON.parse(await readFile(`${fixtures}expected/fleet-list.json`, 'utf8')) as {
      _meta: { hostvars: Record<string, Record<string, unknown>> };
    };
    for (const h of inventory.hosts.values()) {
      expect([h.name, inventoryVariables(inventory, h)]).toEqual([h.name, expected._meta.hostvars[h.name] ?? {}]);
    }
  });

  it('orders groups by depth, then priority, then name', () => {
    expect(sortedGroupsOf(inventory, 'bhyve04.lab').map((g) => g.name)).toEqual(['storage', 'bhyve_hosts']);
    expect(sortedGroupsOf(inventory, 'bhyve01.lab').map((g) => g.name)).toEqual(['bhyve_hosts', 'canary']);
  });

  it('without layers, a group\'s vars count as inventory-file vars (hand-built inventories)', () => {
    const group = (name: string, hosts: string[], children: string[], vars: Record<string, unknown>): [string, InventoryGroup] => [
      name,
      { name, hosts, children, vars },
    ];
    const handmade: Inventory = {
      warnings: [],
      source: 'test',
      hosts: new Map([['h', { name: 'h', vars: { own: 1 } }]]),
      groups: new Map([
        group('all', [], ['ungrouped', 'b', 'a'], { x: 'all', own: 0 }),
        group('ungrouped', [], [], {}),
        group('a', ['h'], [], { x: 'a' }),
        group('b', ['h'], [], { x: 'b' }),
      ]),
    };
    const h = handmade.hosts.get('h');
    expect(h && inventoryVariables(handmade, h)).toEqual({ x: 'b', own: 1 });
  });
});

// Expected values as Ansible 2.14 printed them for the same fixture (ansible -m debug).
describe('magicVariables', () => {
  it('names the host, its short name, its groups, every group and the inventory file', () => {
    const magic = magicVariables(inventory, host('bhyve04.lab'));
    expect(magic).toEqual({
      inventory_hostname: 'bhyve04.lab',
      inventory_hostname_short: 'bhyve04',
      group_names: ['bhyve_hosts', 'storage'],
      groups: {
        all: ['lonely.lab', 'bhyve01.lab', 'bhyve02.lab', 'bhyve03.lab', 'bhyve04.lab', 'nasa.lab', 'nasb.lab', 'nasc.lab', 'jail1.lab', 'jail5.lab', 'jail9.lab'],
        ungrouped: ['lonely.lab'],
        bhyve_hosts: ['bhyve01.lab', 'bhyve02.lab', 'bhyve03.lab', 'bhyve04.lab'],
        canary: ['bhyve01.lab'],
        storage: ['bhyve04.lab', 'nasa.lab', 'nasb.lab', 'nasc.lab'],
        jails: ['jail1.lab', 'jail5.lab', 'jail9.lab'],
        empty: [],
      },
      inventory_file: `${fixtures}fleet/hosts.yml`,
      inventory_dir: `${fixtures}fleet`,
    });
    expect(magicVariables(inventory, host('lonely.lab'))['group_names']).toEqual(['ungrouped']);
  });

  it('keeps an IP address whole as the short name', () => {
    expect(magicVariables(inventory, { name: '192.0.2.7', vars: {} })['inventory_hostname_short']).toBe('192.0.2.7');
  });

  it('gives the implicit localhost group all\'s variables, no groups, a local connection', () => {
    const vars = hostVariables(inventory, implicitLocalhost('localhost'));
    expect([vars['layer'], vars['zone'], vars['group_names'], vars['ansible_connection']]).toEqual([
      'all-file', 'all-file', [], 'local',
    ]);
  });

  it('puts magic variables above inventory ones', () => {
    const odd: InventoryHost = { name: 'bhyve01.lab', vars: { inventory_hostname: 'spoofed' } };
    expect(hostVariables(inventory, odd)['inventory_hostname']).toBe('bhyve01.lab');
  });
});

// The same tree given to ansible-playbook 2.14 (`-i inv/hosts.yml play/pb.yml`, debug of [a..f])
// printed: pb-all, pb-all, invfile-web, invfile-host, pb-web, pb-host.
describe('group_vars/ and host_vars/ beside the playbook', () => {
  afterEach(removeTrees);

  it("sit above the inventory's own, each at its level (Ansible's VARIABLE_PRECEDENCE)", async () => {
    const root = await writeTree({
      'inv/hosts.yml': [
        'all:',
        '  vars: {a: inv-all, b: inv-all, c: inv-all, d: inv-all, e: inv-all}',
        '  children:',
        '    web:',
        '      vars: {b: inv-web, c: inv-web}',
        '      hosts:',
        '        h1: {d: inv-host}',
        '',
      ].join('\n'),
      'inv/group_vars/all.yml': 'a: invfile-all\nc: invfile-all\n',
      'inv/group_vars/web.yml': 'c: invfile-web\ne: invfile-web\n',
      'inv/host_vars/h1.yml': 'd: invfile-host\n',
      'play/group_vars/all.yml': 'a: pb-all\nb: pb-all\n',
      'play/group_vars/web.yml': 'e: pb-web\n',
      'play/host_vars/h1.yml': 'f: pb-host\n',
    });
    const withPlaybook = await loadInventory(`${root}/inv/hosts.yml`, { playbookDir: `${root}/play` });
    const h1 = withPlaybook.hosts.get('h1');
    if (h1 === undefined) throw new Error('no h1');
    const vars = inventoryVariables(withPlaybook, h1);
    expect(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => vars[key])).toEqual(['pb-all', 'pb-all', 'invfile-web', 'invfile-host', 'pb-web', 'pb-host']);
    // Without a playbook (beastie inventory, as ansible-inventory), only the inventory's folders count.
    const alone = await loadInventory(`${root}/inv/hosts.yml`);
    const plain = alone.hosts.get('h1');
    expect(plain && inventoryVariables(alone, plain)).toEqual({ a: 'invfile-all', b: 'inv-web', c: 'invfile-web', d: 'invfile-host', e: 'invfile-web' });
  });

  it('are read when the playbook sits beside the inventory too, and a bad file names its line', async () => {
    const root = await writeTree({ 'hosts.ini': 'h1\n', 'group_vars/all.yml': 'x: 1\n', 'host_vars/h1.yml': 'y: [\n' });
    const failure = await loadInventory(`${root}/hosts.ini`, { playbookDir: root }).catch((error: unknown) => error);
    // Reported once, though the folder is both the inventory's and the playbook's.
    expect(failure).toBeInstanceOf(InvalidInputErrors);
    expect((failure as InvalidInputErrors).errors.map((error) => error.source)).toEqual([{ file: `${root}/host_vars/h1.yml`, line: 2, column: 1 }]);
  });
});
