// The inventory as the runner asks it (src/runner/inventory-view.ts): selection (the implicit
// localhost too), hosts' variables, group names and groups, where a host is declared.
import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/inventory/types.js';
import { inventoryView } from '../../src/runner/inventory-view.js';

const inventory: Inventory = {
  source: '/inv/hosts.yml',
  warnings: [],
  hosts: new Map([
    ['db1', { name: 'db1', vars: { port: 5432 }, source: { file: '/inv/hosts.yml', line: 4, column: 9 } }],
    ['web1', { name: 'web1', vars: { tier: 'front' } }],
    ['web2', { name: 'web2', vars: {} }],
  ]),
  groups: new Map([
    ['all', { name: 'all', hosts: [], children: ['web', 'db', 'ungrouped'], vars: { tier: 'default', ntp: 'pool' } }],
    ['web', { name: 'web', hosts: ['web1', 'web2'], children: [], vars: { tier: 'web' } }],
    ['db', { name: 'db', hosts: ['db1'], children: [], vars: {} }],
    ['ungrouped', { name: 'ungrouped', hosts: [], children: [], vars: {} }],
  ]),
};

describe('inventory view', () => {
  it('selects by pattern in inventory order (the group tree walked from all), narrowed by --limit', () => {
    const view = inventoryView(inventory);
    expect(view.selectHosts('all', undefined)).toEqual(['web1', 'web2', 'db1']);
    expect(view.selectHosts('web:db', ['db1', 'web2'])).toEqual(['web2', 'db1']);
    expect(view.selectHosts('nothing', undefined)).toEqual([]);
  });

  it('knows the implicit localhost without listing it among the inventory\'s hosts', () => {
    const view = inventoryView(inventory);
    expect(view.selectHosts('all', undefined)).not.toContain('localhost');
    expect(view.selectHosts('localhost', undefined)).toEqual(['localhost']);
    expect(view.hasHost('localhost')).toBe(true);
    expect(view.hasHost('127.0.0.1')).toBe(true);
    expect(view.hasHost('elsewhere')).toBe(false);
    expect(view.hostNames()).toEqual(['db1', 'web1', 'web2']);
    expect(view.hostVars('localhost')).toMatchObject({ ansible_connection: 'local', inventory_hostname: 'localhost', ntp: 'pool' });
    expect(view.groupNames('localhost')).toEqual([]);
  });

  it('gives each host its variables with group and host layers merged, and its magic variables', () => {
    const view = inventoryView(inventory);
    expect(view.hostVars('web1')).toMatchObject({ tier: 'front', ntp: 'pool', inventory_hostname: 'web1', group_names: ['web'] });
    expect(view.hostVars('web2')).toMatchObject({ tier: 'web' });
    expect(view.hostVars('db1')).toMatchObject({ tier: 'default', port: 5432 });
    expect(view.groupNames('web2')).toEqual(['web']);
  });

  it('lists every group with its hosts, as Ansible\'s groups', () => {
    expect(inventoryView(inventory).groups()).toEqual({ all: ['web1', 'web2', 'db1'], web: ['web1', 'web2'], db: ['db1'], ungrouped: [] });
  });

  it('points at a host\'s own declaration, else at the inventory file', () => {
    const view = inventoryView(inventory);
    expect(view.sourceOf('db1')).toEqual({ file: '/inv/hosts.yml', line: 4, column: 9 });
    expect(view.sourceOf('web1')).toEqual({ file: '/inv/hosts.yml', line: 1, column: 1 });
    expect(view.sourceOf('localhost')).toEqual({ file: '/inv/hosts.yml', line: 1, column: 1 });
  });

  it('reads connection and become settings from the variables it is given', () => {
    const view = inventoryView(inventory);
    expect(view.connection('web1', { ansible_host: '10.0.0.5', ansible_port: 2222 })).toMatchObject({ host: 'web1', address: '10.0.0.5', port: 2222 });
    expect(view.become('web1', { ansible_become: true, ansible_become_user: 'www' })).toMatchObject({ become: true, user: 'www' });
  });
});
