// The loaded inventory (src/inventory/) as the runner asks it: host selection, each host's
// variables in Ansible's precedence, groups, and connection/become settings.
import { becomeSettings, connectionSettings } from '../inventory/connection.js';
import { hostsOfGroup } from '../inventory/group-tree.js';
import { implicitLocalhost, isLocalhostName } from '../inventory/implicit-localhost.js';
import { selectHosts } from '../inventory/pattern.js';
import { isDeepStrictEqual } from 'node:util';
import type { Inventory, InventoryGroup, InventoryHost } from '../inventory/types.js';
import { hostVariables } from '../inventory/variables.js';
import type { InventoryView } from './services.js';

/** A view of `inventory`; hosts selected by pattern (the implicit localhost too) are remembered. */
export function inventoryView(loaded: Inventory): InventoryView {
  // add_host replaces it with a changed copy (never mutated: indexes are cached per Inventory).
  let inventory = loaded;
  let generation = 0;
  const known = new Map<string, InventoryHost>(inventory.hosts);
  const hostVarsCache = new Map<string, Readonly<Record<string, unknown>>>();
  const host = (name: string): InventoryHost => known.get(name) ?? (isLocalhostName(name) ? implicitLocalhost(name) : { name, vars: {} });
  let groups: Record<string, string[]> | undefined;
  return {
    selectHosts(pattern, limit) {
      return selectHosts(inventory, pattern, limit).map((selected) => {
        known.set(selected.name, selected);
        return selected.name;
      });
    },
    hostNames: () => [...inventory.hosts.keys()],
    hasHost: (name) => known.has(name) || isLocalhostName(name),
    hostVars(name) {
      let vars = hostVarsCache.get(name);
      if (vars === undefined) {
        vars = hostVariables(inventory, host(name));
        hostVarsCache.set(name, vars);
      }
      return vars;
    },
    groupNames(name) {
      const names = this.hostVars(name)['group_names'];
      return Array.isArray(names) ? names.map(String) : [];
    },
    groups() {
      groups ??= Object.fromEntries([...inventory.groups.keys()].map((group) => [group, hostsOfGroup(inventory, group)]));
      return groups;
    },
    generation: () => generation,
    addHost(request) {
      const changed = addedHost(inventory, request);
      if (changed === undefined) return false;
      inventory = changed;
      generation++;
      known.delete(request.name);
      const added = inventory.hosts.get(request.name);
      if (added !== undefined) known.set(request.name, added);
      hostVarsCache.clear();
      groups = undefined;
      return true;
    },
    sourceOf: (name) => known.get(name)?.source ?? { file: inventory.source, line: 1, column: 1 },
    connection: (name, vars) => connectionSettings(name, vars),
    become: (name, vars) => becomeSettings(name, vars),
  };
}

/** What add_host asks for: a host, the groups it joins, and variables set on it. */
export interface AddHostRequest {
  readonly name: string;
  readonly groups: readonly string[];
  readonly vars: Readonly<Record<string, unknown>>;
}

/**
 * The inventory with `request` applied as InventoryManager.add_dynamic_host does (ansible-core
 * 2.14 lib/ansible/inventory/manager.py), or undefined when nothing changes: a new host, a
 * variable whose value differs (combine_vars: the new value replaces the old), a new group (a
 * child of `all`) or a group the host was not listed in yet each change it. As reconcile_inventory,
 * a host in no group but `all` is in `ungrouped`, and leaves it once it is in a real group.
 */
export function addedHost(inventory: Inventory, request: AddHostRequest): Inventory | undefined {
  let changed = false;
  const hosts = new Map(inventory.hosts);
  const groups = new Map(inventory.groups);
  const existing = hosts.get(request.name);
  if (existing === undefined) {
    // add_dynamic_host: add_host(host_name, 'all') first, so `all` lists it itself (first in groups.all).
    changed = true;
    const all = groups.get('all');
    if (all !== undefined) groups.set('all', { ...all, hosts: [...all.hosts, request.name] });
  }
  const own: Record<string, unknown> = { ...(existing?.layers?.inventory ?? existing?.vars ?? {}) };
  const vars: Record<string, unknown> = { ...(existing?.vars ?? {}) };
  // Host.get_vars() holds the magic inventory_hostname(_short) too: setting them to their value changes nothing.
  const current = (key: string): unknown => (key in vars ? vars[key] : key === 'inventory_hostname' ? request.name : key === 'inventory_hostname_short' ? request.name.split('.')[0] : undefined);
  for (const [key, value] of Object.entries(request.vars)) {
    if (!(key in vars) && !['inventory_hostname', 'inventory_hostname_short'].includes(key)) changed = true;
    else if (!isDeepStrictEqual(current(key), value)) changed = true;
    vars[key] = value;
    own[key] = value;
  }
  const host: InventoryHost = {
    name: request.name,
    vars,
    ...(existing?.layers === undefined ? {} : { layers: { ...existing.layers, inventory: own } }),
    ...(existing?.source === undefined ? {} : { source: existing.source }),
  };
  hosts.set(request.name, host);
  const withHost = (group: InventoryGroup): InventoryGroup => ({ ...group, hosts: [...group.hosts, request.name] });
  for (const name of request.groups) {
    let group = groups.get(name);
    if (group === undefined) {
      changed = true;
      group = { name, hosts: [], children: [], vars: {} };
      const all = groups.get('all');
      if (all !== undefined) groups.set('all', { ...all, children: [...all.children, name] });
    }
    if (!group.hosts.includes(request.name) && name !== 'all') {
      changed = true;
      group = withHost(group);
    }
    groups.set(name, group);
  }
  if (!changed) return undefined;
  // reconcile_inventory: in a real group (directly or below one), out of ungrouped; in none, in it.
  const next: Inventory = { ...inventory, hosts, groups };
  const real = [...groups.values()].some((group) => group.name !== 'all' && group.name !== 'ungrouped' && group.hosts.includes(request.name));
  const ungrouped = groups.get('ungrouped');
  if (ungrouped !== undefined) {
    const listed = ungrouped.hosts.includes(request.name);
    if (real && listed) groups.set('ungrouped', { ...ungrouped, hosts: ungrouped.hosts.filter((name) => name !== request.name) });
    else if (!real && !listed && existing === undefined) groups.set('ungrouped', withHost(ungrouped));
  }
  return next;
}
