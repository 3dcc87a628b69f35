// The loaded inventory (src/inventory/) as the runner asks it: host selection, each host's
// variables in Ansible's precedence, groups, and connection/become settings.
import { becomeSettings, connectionSettings } from '../inventory/connection.js';
import { hostsOfGroup } from '../inventory/group-tree.js';
import { implicitLocalhost, isLocalhostName } from '../inventory/implicit-localhost.js';
import { selectHosts } from '../inventory/pattern.js';
import type { Inventory, InventoryHost } from '../inventory/types.js';
import { hostVariables } from '../inventory/variables.js';
import type { InventoryView } from './services.js';

/** A view of `inventory`; hosts selected by pattern (the implicit localhost too) are remembered. */
export function inventoryView(inventory: Inventory): InventoryView {
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
    sourceOf: (name) => known.get(name)?.source ?? { file: inventory.source, line: 1, column: 1 },
    connection: (name, vars) => connectionSettings(name, vars),
    become: (name, vars) => becomeSettings(name, vars),
  };
}
