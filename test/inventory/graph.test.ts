import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inventoryGraph } from '../../src/inventory/graph.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import type { Inventory } from '../../src/inventory/types.js';
import { inputError, removeTrees, writeTree } from './inventory-files.js';

const fixtures = fileURLToPath(new URL('../fixtures/inventory/', import.meta.url));
let fleet: Inventory;
afterEach(removeTrees);
beforeAll(async () => {
  fleet = await loadInventory(`${fixtures}fleet/hosts.yml`);
});

// As printed by ansible-inventory -i test/fixtures/inventory/fleet/hosts.yml --graph (2.14.18).
describe('inventoryGraph', () => {
  it('draws the whole tree from @all', () => {
    expect(inventoryGraph(fleet)).toBe(
      [
        '@all:',
        '  |--@ungrouped:',
        '  |  |--lonely.lab',
        '  |--@bhyve_hosts:',
        '  |  |--@canary:',
        '  |  |  |--bhyve01.lab',
        '  |  |--bhyve01.lab',
        '  |  |--bhyve02.lab',
        '  |  |--bhyve03.lab',
        '  |  |--bhyve04.lab',
        '  |--@storage:',
        '  |  |--bhyve04.lab',
        '  |  |--nasa.lab',
        '  |  |--nasb.lab',
        '  |  |--nasc.lab',
        '  |--@jails:',
        '  |  |--jail1.lab',
        '  |  |--jail5.lab',
        '  |  |--jail9.lab',
        '  |--@empty:',
      ].join('\n'),
    );
  });

  it('starts at a named group', () => {
    expect(inventoryGraph(fleet, 'bhyve_hosts')).toBe(
      ['@bhyve_hosts:', '  |--@canary:', '  |  |--bhyve01.lab', '  |--bhyve01.lab', '  |--bhyve02.lab', '  |--bhyve03.lab', '  |--bhyve04.lab'].join('\n'),
    );
  });

  it('matches the saved ansible-inventory graph of the INI fixture', async () => {
    const saved = (await readFile(`${fixtures}expected/ini-graph.txt`, 'utf8')).replace(/\n$/u, '');
    expect(inventoryGraph(await loadInventory(`${fixtures}ini/hosts`))).toBe(saved);
  });

  it('moves a host out of ungrouped once it is in a real group, and appends hosts only under all:', async () => {
    const root = await writeTree({
      'hosts.yml': 'all:\n  hosts:\n    a:\n  children:\n    ungrouped:\n      hosts:\n        b:\n        c:\n    web:\n      hosts:\n        c:\n',
    });
    // As ansible-inventory --graph printed it: b (declared in ungrouped) before a (added by reconcile).
    expect(inventoryGraph(await loadInventory(`${root}/hosts.yml`))).toBe(
      ['@all:', '  |--@ungrouped:', '  |  |--b', '  |  |--a', '  |--@web:', '  |  |--c'].join('\n'),
    );
  });

  it('rejects a name that is not a group', async () => {
    expect(await inputError(() => inventoryGraph(fleet, 'bhyve01.lab'))).toBe(
      "'bhyve01.lab' is not a group of the inventory — --graph takes a group name; groups are: all, ungrouped, bhyve_hosts, canary, storage, jails, empty",
    );
  });
});
