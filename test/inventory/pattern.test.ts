import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { selectHosts, splitHostPattern } from '../../src/inventory/pattern.js';
import type { Inventory } from '../../src/inventory/types.js';
import { inputError } from './inventory-files.js';

const fleet = fileURLToPath(new URL('../fixtures/inventory/fleet/hosts.yml', import.meta.url));
let inventory: Inventory;
beforeAll(async () => {
  inventory = await loadInventory(fleet);
});

const ALL = 'lonely.lab bhyve01.lab bhyve02.lab bhyve03.lab bhyve04.lab nasa.lab nasb.lab nasc.lab jail1.lab jail5.lab jail9.lab';

describe('splitHostPattern', () => {
  it.each<[string, string[]]>([
    ['a,b , c', ['a', 'b', 'c']],
    ['a:b', ['a', 'b']],
    ['web:&db:!web3', ['web', '&db', '!web3']],
    ['bhyve[01:03]:!canary', ['bhyve[01:03]', '!canary']],
    ['bhyve01.lab:2222', ['bhyve01.lab:2222']],
    ['2001:db8::1', ['2001:db8::1']],
    ['web[0:2]', ['web[0:2]']],
    [' , ', []],
  ])('%s', (pattern, expected) => {
    expect(splitHostPattern(pattern)).toEqual(expected);
  });
});

// Expected host lists are what `ansible -i fleet/hosts.yml --list-hosts PATTERN` printed
// (ansible-core 2.14.18), in its order.
describe('selectHosts', () => {
  it.each<[string, string]>([
    ['all', ALL],
    ['*', ALL],
    ['bhyve_hosts', 'bhyve01.lab bhyve02.lab bhyve03.lab bhyve04.lab'],
    ['bhyve0*', 'bhyve01.lab bhyve02.lab bhyve03.lab bhyve04.lab'],
    ['bhyve_hosts:&storage', 'bhyve04.lab'],
    ['bhyve_hosts:!canary', 'bhyve02.lab bhyve03.lab bhyve04.lab'],
    ['storage:bhyve_hosts', 'bhyve04.lab nasa.lab nasb.lab nasc.lab bhyve01.lab bhyve02.lab bhyve03.lab'],
    ['storage,jails', 'bhyve04.lab nasa.lab nasb.lab nasc.lab jail1.lab jail5.lab jail9.lab'],
    ['!canary', 'lonely.lab bhyve02.lab bhyve03.lab bhyve04.lab nasa.lab nasb.lab nasc.lab jail1.lab jail5.lab jail9.lab'],
    ['&storage', 'bhyve04.lab nasa.lab nasb.lab nasc.lab'],
    ['~nas[ab]', 'nasa.lab nasb.lab'],
    ['bhyve_hosts[1:2]', 'bhyve02.lab bhyve03.lab'],
    ['bhyve_hosts[-1]', 'bhyve04.lab'],
    ['bhyve_hosts[2:]', 'bhyve03.lab bhyve04.lab'],
    ['nope', ''],
    ['empty', ''],
    ['localhost', 'localhost'],
    ['bhyve_hosts:!canary:&storage', 'bhyve04.lab'],
    ['*.lab:!bhyve0[12].lab', 'lonely.lab bhyve03.lab bhyve04.lab nasa.lab nasb.lab nasc.lab jail1.lab jail5.lab jail9.lab'],
    ['ungrouped', 'lonely.lab'],
    ['b*', 'bhyve01.lab bhyve02.lab bhyve03.lab bhyve04.lab'],
    ['bhyve01.lab,lonely.lab,bhyve01.lab', 'bhyve01.lab lonely.lab'],
    ['canary:storage:&bhyve_hosts', 'bhyve01.lab bhyve04.lab'],
    ['jail?.lab', 'jail1.lab jail5.lab jail9.lab'],
    ['jail[!5].lab', 'jail1.lab jail9.lab'],
  ])('%s', (pattern, expected) => {
    expect(selectHosts(inventory, pattern).map((h) => h.name).join(' ')).toBe(expected);
  });

  it('accepts a list of patterns, as a play\'s hosts: may be', () => {
    expect(selectHosts(inventory, ['canary', 'jails:!jail5.lab']).map((h) => h.name)).toEqual([
      'bhyve01.lab', 'jail1.lab', 'jail9.lab',
    ]);
  });

  it('gives the implicit localhost a local connection and no groups', () => {
    const [local] = selectHosts(inventory, '127.0.0.1');
    expect(local).toEqual({ name: '127.0.0.1', vars: { ansible_connection: 'local' } });
    expect(selectHosts(inventory, 'all').some((h) => h.name === '127.0.0.1')).toBe(false);
  });

  it.each<[string, string]>([
    ['storage', 'bhyve04.lab'],
    ['all', 'bhyve02.lab bhyve03.lab bhyve04.lab'],
  ])('applies a limit: %s limited to bhyve_hosts:!canary', (pattern, expected) => {
    const limit = splitHostPattern('bhyve_hosts:!canary');
    expect(selectHosts(inventory, pattern, limit).map((h) => h.name).join(' ')).toBe(expected);
  });

  it('a limit of only an exclusion starts from all', () => {
    expect(selectHosts(inventory, 'all', ['!storage']).map((h) => h.name).join(' ')).toBe(
      'lonely.lab bhyve01.lab bhyve02.lab bhyve03.lab jail1.lab jail5.lab jail9.lab',
    );
  });

  it.each<[string, string]>([
    ['bhyve_hosts[7]', "no hosts matched the subscripted pattern 'bhyve_hosts[7]' — the pattern selects 4 host(s); use an index from 0 to 3"],
    ['~nas(', "invalid host pattern '~nas(': Invalid regular expression: /nas(/y: Unterminated group — fix the regular expression after ~, or drop the ~ to use a glob"],
  ])('rejects %s', async (pattern, expected) => {
    expect(await inputError(() => selectHosts(inventory, pattern))).toBe(expected);
  });
});
