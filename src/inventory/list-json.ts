// `beastie inventory --list`: the JSON `ansible-inventory --list` prints (lib/ansible/cli/inventory.py
// json_inventory): `_meta.hostvars` with each host's merged inventory variables (hosts without
// any are left out), `all.children`, and one entry per group with its direct `hosts` and its
// `children`; empty lists are dropped and a group with neither (an empty group, or `ungrouped`
// with no hosts) appears only in its parent's `children`. Keys sorted, 4-space indent, as Python's
// json.dumps(sort_keys=True, indent=4) writes them.
import type { Inventory, InventoryHost } from './types.js';
import { inventoryVariables } from './variables.js';

/** Variables ansible-inventory never prints: magic and run-time ones. */
const INTERNAL_VARS = new Set([
  'ansible_diff_mode',
  'ansible_config_file',
  'ansible_facts',
  'ansible_forks',
  'ansible_inventory_sources',
  'ansible_limit',
  'ansible_playbook_python',
  'ansible_run_tags',
  'ansible_skip_tags',
  'ansible_verbosity',
  'ansible_version',
  'inventory_dir',
  'inventory_file',
  'inventory_hostname',
  'inventory_hostname_short',
  'groups',
  'group_names',
  'omit',
  'playbook_dir',
]);

/** One group's entry in the listing. */
interface GroupEntry {
  hosts?: string[];
  children?: string[];
}

/** The --list data: group entries by name plus `_meta.hostvars`. */
export function inventoryList(inventory: Inventory): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const seen = new Set<string>();
  const format = (name: string): void => {
    const group = inventory.groups.get(name);
    if (!group) return;
    const entry: GroupEntry = {};
    if (name !== 'all' && group.hosts.length > 0) entry.hosts = [...group.hosts];
    if (group.children.length > 0) entry.children = [...group.children];
    if (entry.hosts || entry.children) result[name] = entry;
    for (const child of group.children) {
      if (seen.has(child)) continue;
      format(child);
      seen.add(child);
    }
  };
  format('all');
  const hostvars: Record<string, unknown> = {};
  for (const host of inventory.hosts.values()) {
    const vars = listedHostVars(inventory, host);
    if (Object.keys(vars).length > 0) hostvars[host.name] = vars;
  }
  result['_meta'] = { hostvars };
  return result;
}

/** A host's variables as ansible-inventory shows them: merged inventory vars, no magic ones. */
export function listedHostVars(inventory: Inventory, host: InventoryHost): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inventoryVariables(inventory, host)).filter(([key]) => !INTERNAL_VARS.has(key)));
}

/** `ansible-inventory --host NAME`: that host's variables, sorted, 4-space indent. */
export function inventoryHostJson(inventory: Inventory, host: InventoryHost): string {
  return JSON.stringify(sortKeys(listedHostVars(inventory, host)), null, 4);
}

/** The --list text, byte for byte as ansible-inventory prints it (without the final newline). */
export function inventoryListJson(inventory: Inventory): string {
  return JSON.stringify(sortKeys(inventoryList(inventory)), null, 4);
}

/** A copy with every mapping's keys in code-point order, like Python's sort_keys. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}
