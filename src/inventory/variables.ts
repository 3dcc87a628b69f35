// The inventory's part of a host's variables, merged in Ansible's order (VariableManager.get_vars
// with the default VARIABLE_PRECEDENCE), plus the magic variables the inventory defines.
// The whole order, including the runner's layers, is in PRECEDENCE.md.
import { dirname } from 'node:path';
import type { Inventory, InventoryGroup, InventoryHost, VarLayers } from './types.js';
import { groupDepths, groupsOfHost, sharedHostsOfGroup } from './group-tree.js';
import { isIpAddress } from './host-address.js';

/** A plain variable mapping. */
export type Vars = Record<string, unknown>;

/**
 * The host's inventory variables, lowest precedence first (each later layer replaces whole
 * top-level keys; nothing is deep-merged, as with Ansible's default hash_behaviour=replace):
 *
 * 1. group `all`, from the inventory file
 * 2. the host's other groups from the inventory file, by depth, then ansible_group_priority, then name
 * 3. group_vars/all beside the inventory, then beside the playbook
 * 4. group_vars/ of the other groups, in the same order as 2, beside the inventory, then beside the playbook
 * 5. the host's own variables from the inventory file
 * 6. host_vars/ for the host, beside the inventory, then beside the playbook
 *
 * This is Ansible's default VARIABLE_PRECEDENCE (all_plugins_inventory before all_plugins_play,
 * groups_plugins_inventory before groups_plugins_play), and the host's inventory, then playbook host_vars.
 */
export function inventoryVariables(inventory: Inventory, host: InventoryHost): Vars {
  const all = inventory.groups.get('all');
  const groups = sortedGroupsOf(inventory, host.name);
  const layers = [
    all ? layersOf(all).inventory : {},
    ...groups.map((g) => layersOf(g).inventory),
    all ? layersOf(all).files : {},
    all?.layers?.playbook ?? {},
    ...groups.map((g) => layersOf(g).files),
    ...groups.map((g) => g.layers?.playbook ?? {}),
    layersOf(host).inventory,
    layersOf(host).files,
    host.layers?.playbook ?? {},
  ];
  return Object.assign({}, ...layers) as Vars;
}

/**
 * Variables Ansible defines from the inventory itself: inventory_hostname, its short form (the
 * part before the first dot, unless the name is an IP address), group_names (sorted, without
 * `all`), groups (every group's hosts), inventory_file and inventory_dir.
 */
export function magicVariables(inventory: Inventory, host: InventoryHost): Vars {
  const memberOf = groupsOfHost(inventory, host.name);
  memberOf.delete('all');
  const groups: Record<string, readonly string[]> = {};
  for (const name of inventory.groups.keys()) groups[name] = sharedHostsOfGroup(inventory, name);
  const file = host.source?.file ?? null;
  return {
    inventory_hostname: host.name,
    inventory_hostname_short: isIpAddress(host.name) ? host.name : (host.name.split('.')[0] ?? host.name),
    group_names: [...memberOf].sort(),
    groups,
    inventory_file: file,
    inventory_dir: file === null ? null : dirname(file),
  };
}

/** Inventory variables with the magic ones on top: what a task on this host starts from. */
export function hostVariables(inventory: Inventory, host: InventoryHost): Vars {
  return { ...inventoryVariables(inventory, host), ...magicVariables(inventory, host) };
}

/** The host's groups except `all`, in Ansible's sort_groups order: depth, priority, name. */
export function sortedGroupsOf(inventory: Inventory, host: string): InventoryGroup[] {
  const depths = groupDepths(inventory);
  const groups: InventoryGroup[] = [];
  for (const name of groupsOfHost(inventory, host)) {
    const group = inventory.groups.get(name);
    if (group && name !== 'all') groups.push(group);
  }
  const key = (g: InventoryGroup): [number, number] => [depths.get(g.name) ?? 0, g.priority ?? 1];
  return groups.sort((a, b) => {
    const [da, pa] = key(a);
    const [db, pb] = key(b);
    if (da !== db) return da - db;
    if (pa !== pb) return pa - pb;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/** An entity's layers; without them, all of `vars` counts as inventory-file variables. */
function layersOf(entity: InventoryGroup | InventoryHost): VarLayers {
  return entity.layers ?? { inventory: entity.vars, files: {} };
}
