// The loaded inventory, in the shape the runner and `beastie inventory` need.

export interface InventoryHost {
  readonly name: string;
  /** Variables set on the host itself (inventory line, host_vars/). */
  readonly vars: Readonly<Record<string, unknown>>;
}

export interface InventoryGroup {
  readonly name: string;
  /** Hosts listed directly in this group. */
  readonly hosts: readonly string[];
  readonly children: readonly string[];
  /** Variables set on the group (inventory `vars:`, group_vars/). */
  readonly vars: Readonly<Record<string, unknown>>;
}

export interface Inventory {
  /** The inventory file or directory given with -i. */
  readonly source: string;
  /** Hosts in the order they first appear. */
  readonly hosts: ReadonlyMap<string, InventoryHost>;
  /** Always holds `all` and `ungrouped`. */
  readonly groups: ReadonlyMap<string, InventoryGroup>;
}
