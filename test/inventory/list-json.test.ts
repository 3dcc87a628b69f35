import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { inventoryHostJson, inventoryList, inventoryListJson } from '../../src/inventory/list-json.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { removeTrees, writeTree } from './inventory-files.js';

const fixtures = fileURLToPath(new URL('../fixtures/inventory/', import.meta.url));
afterEach(removeTrees);

/** ansible-inventory's output as saved, without the newline its display adds. */
async function expected(name: string): Promise<string> {
  return (await readFile(`${fixtures}expected/${name}`, 'utf8')).replace(/\n$/u, '');
}

describe('inventoryListJson', () => {
  it('prints the YAML fixture as ansible-inventory --list does', async () => {
    expect(inventoryListJson(await loadInventory(`${fixtures}fleet/hosts.yml`))).toBe(await expected('fleet-list.json'));
  });

  it('prints the INI fixture as ansible-inventory --list does', async () => {
    expect(inventoryListJson(await loadInventory(`${fixtures}ini/hosts`))).toBe(await expected('ini-list.json'));
  });

  it('lists empty ungrouped and empty groups only as children of all', async () => {
    const root = await writeTree({ 'hosts.ini': '[a]\nh1\n[b]\n' });
    expect(inventoryListJson(await loadInventory(`${root}/hosts.ini`))).toBe(
      [
        '{',
        '    "_meta": {',
        '        "hostvars": {}',
        '    },',
        '    "a": {',
        '        "hosts": [',
        '            "h1"',
        '        ]',
        '    },',
        '    "all": {',
        '        "children": [',
        '            "ungrouped",',
        '            "a",',
        '            "b"',
        '        ]',
        '    }',
        '}',
      ].join('\n'),
    );
  });

  it('leaves magic variables out of hostvars', async () => {
    const root = await writeTree({ 'hosts.yml': 'all:\n  hosts:\n    h1:\n      inventory_dir: /x\n      a: 1\n' });
    const list = inventoryList(await loadInventory(`${root}/hosts.yml`));
    expect(list['_meta']).toEqual({ hostvars: { h1: { a: 1 } } });
  });

  it('prints one host as ansible-inventory --host does', async () => {
    const inventory = await loadInventory(`${fixtures}fleet/hosts.yml`);
    const host = inventory.hosts.get('bhyve04.lab');
    if (!host) throw new Error('fixture lacks bhyve04.lab');
    // ansible-inventory 2.14 printed the same text with "vm_enable": true (YAML 1.1).
    expect(inventoryHostJson(inventory, host)).toBe(
      [
        '{',
        '    "layer": "storage-file-20",',
        '    "prio": "bhyve_hosts",',
        '    "share": "/tank",',
        '    "vm_enable": "YES",',
        '    "zone": "all-file"',
        '}',
      ].join('\n'),
    );
  });
});
