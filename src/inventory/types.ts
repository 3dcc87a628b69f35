// The loaded inventory, in the shape the runner and `beastie inventory` need.
import type { SourceRef } from '../source.js';
import type { LoadWarning } from '../yaml/problems.js';

/**
 * A host's or group's variables split by origin. Ansible merges inventory-file variables of every
 * group before any group_vars/ file (see src/inventory/PRECEDENCE.md), so one merged record per
 * group cannot reproduce its order; these layers can.
 */
export interface VarLayers {
  /** Set in the inventory file itself (YAML `vars:` / host mapping, INI `key=value`). */
  readonly inventory: Readonly<Record<string, unknown>>;
  /** From group_vars/ or host_vars/ files and directories beside the inventory. */
  readonly files: Readonly<Record<string, unknown>>;
  /** From group_vars/ or host_vars/ beside the playbook (Ansible's "playbook group_vars"), above `files`. */
  readonly playbook?: Readonly<Record<string, unknown>>;
}

export interface InventoryHost {
  readonly name: string;
  /** Variables set on the host itself (inventory line, host_vars/). */
  readonly vars: Readonly<Record<string, unknown>>;
  /** `vars` split by origin; absent means everything came from the inventory file. */
  readonly layers?: VarLayers;
  /** Where the host was first declared. */
  readonly source?: SourceRef;
}

export interface InventoryGroup {
  readonly name: string;
  /** Hosts listed directly in this group. */
  readonly hosts: readonly string[];
  readonly children: readonly string[];
  /** Variables set on the group (inventory `vars:`, group_vars/). */
  readonly vars: Readonly<Record<string, unknown>>;
  /** `vars` split by origin; absent means everything came from the inventory file. */
  readonly layers?: VarLayers;
  /** `ansible_group_priority` from the inventory file (default 1): orders groups of equal depth. */
  readonly priority?: number;
  /** Where the group was first declared. */
  readonly source?: SourceRef;
}

export interface Inventory {
  /** The inventory file or directory given with -i. */
  readonly source: string;
  /** Hosts in the order they first appear. */
  readonly hosts: ReadonlyMap<string, InventoryHost>;
  /** Always holds `all` and `ungrouped`. */
  readonly groups: ReadonlyMap<string, InventoryGroup>;
  /** What Ansible would warn about while reading it (a duplicate key). */
  readonly warnings: readonly LoadWarning[];
}
