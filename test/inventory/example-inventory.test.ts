import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connectionSettings } from '../../src/inventory/connection.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { selectHosts } from '../../src/inventory/pattern.js';
import { hostVariables } from '../../src/inventory/variables.js';

// The example inventory shipped in inventory/ must load and mean what its comments say.
const example = fileURLToPath(new URL('../../inventory/hosts.yml', import.meta.url));

describe('inventory/hosts.yml', () => {
  it('holds twenty zero-padded bhyve hosts, a canary and the controller', async () => {
    const inventory = await loadInventory(example);
    const bhyve = selectHosts(inventory, 'bhyve_hosts').map((h) => h.name);
    expect(bhyve).toHaveLength(20);
    expect([bhyve[0], bhyve[9], bhyve[19]]).toEqual(['bhyve01.lab', 'bhyve10.lab', 'bhyve20.lab']);
    expect(selectHosts(inventory, 'canary').map((h) => h.name)).toEqual(['bhyve01.lab']);
    expect(selectHosts(inventory, 'bhyve_hosts:!canary')).toHaveLength(19);
  });

  it('gives the canary its host_vars and group_vars over the fleet defaults', async () => {
    const inventory = await loadInventory(example);
    const [canary, other, local] = selectHosts(inventory, 'bhyve01.lab,bhyve02.lab,localhost');
    if (!canary || !other || !local) throw new Error('example inventory lacks its hosts');
    const vars = hostVariables(inventory, canary);
    expect(vars['vm_enable']).toBe('YES');
    expect(vars['beastie_release']).toBe('14.1-RELEASE');
    expect(connectionSettings(canary.name, vars)).toMatchObject({
      address: '192.0.2.11',
      port: 2222,
      user: 'admin',
      sshArgs: '-o StrictHostKeyChecking=yes -o ServerAliveInterval=15 -o ServerAliveCountMax=4',
    });
    const settings = connectionSettings(other.name, hostVariables(inventory, other));
    expect(settings).toMatchObject({ address: 'bhyve02.lab', sshArgs: '-o StrictHostKeyChecking=yes' });
    // No ansible_port: no port key at all (exactOptionalPropertyTypes), so ssh's default applies.
    expect(settings).not.toHaveProperty('port');
    expect(connectionSettings(local.name, hostVariables(inventory, local)).connection).toBe('local');
  });
});
