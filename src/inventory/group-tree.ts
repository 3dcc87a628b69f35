// Walking the group graph: which hosts a group holds through its children, which groups a host
// is in, and how deep each group sits below `all`. Shared by patterns, variables and listings.
import type { Inventory } from './types.js';

/**
 * What is derived from one loaded inventory, computed once: an inventory is never changed after
 * it is loaded, and recomputing these per host made a run over H hosts cost H² (issue 13).
 */
interface GroupIndex {
  readonly parents: Map<string, string[]>;
  /** host → groups listing it directly. */
  readonly directGroups: Map<string, string[]>;
  readonly hostsOf: Map<string, readonly string[]>;
  depths: Map<string, number> | undefined;
}

const indexes = new WeakMap<Inventory, GroupIndex>();

function indexOf(inventory: Inventory): GroupIndex {
  let index = indexes.get(inventory);
  if (index === undefined) {
    const directGroups = new Map<string, string[]>();
    for (const group of inventory.groups.values()) {
      for (const host of group.hosts) {
        const list = directGroups.get(host);
        if (list === undefined) directGroups.set(host, [group.name]);
        else list.push(group.name);
      }
    }
    index = { parents: parentsByGroup(inventory), directGroups, hostsOf: new Map(), depths: undefined };
    indexes.set(inventory, index);
  }
  return index;
}

/**
 * The group and its descendants, breadth first: the group, its children in declared order, then
 * their children. (Ansible walks grandchildren through a Python set, so its order below the first
 * level is arbitrary; this order is the stable one it usually shows.)
 */
export function groupAndDescendants(inventory: Inventory, group: string): string[] {
  const ordered = [group];
  const seen = new Set(ordered);
  let level = [group];
  while (level.length > 0) {
    const next: string[] = [];
    for (const name of level) {
      for (const child of inventory.groups.get(name)?.children ?? []) {
        if (seen.has(child)) continue;
        seen.add(child);
        ordered.push(child);
        next.push(child);
      }
    }
    level = next;
  }
  return ordered;
}

/** Every host in the group or any group below it, first appearance first (Group.get_hosts). */
export function hostsOfGroup(inventory: Inventory, group: string): string[] {
  return [...sharedHostsOfGroup(inventory, group)];
}

/** {@link hostsOfGroup} without the copy, for callers that hand it on read-only (magic `groups`). */
export function sharedHostsOfGroup(inventory: Inventory, group: string): readonly string[] {
  const index = indexOf(inventory);
  let cached = index.hostsOf.get(group);
  if (cached === undefined) {
    const hosts = new Set<string>();
    for (const name of groupAndDescendants(inventory, group)) {
      for (const host of inventory.groups.get(name)?.hosts ?? []) hosts.add(host);
    }
    cached = Object.freeze([...hosts]);
    index.hostsOf.set(group, cached);
  }
  return cached;
}

/** The groups a host belongs to, directly or through a child group; `all` included. */
export function groupsOfHost(inventory: Inventory, host: string): Set<string> {
  const { parents, directGroups } = indexOf(inventory);
  const found = new Set<string>();
  const visit = (name: string): void => {
    if (found.has(name)) return;
    found.add(name);
    for (const parent of parents.get(name) ?? []) visit(parent);
  };
  for (const group of directGroups.get(host) ?? []) visit(group);
  return found;
}

/** Depth below `all` (0 for `all`): the longest chain of parents, as Ansible's Group.depth. */
export function groupDepths(inventory: Inventory): Map<string, number> {
  const index = indexOf(inventory);
  index.depths ??= computeDepths(inventory, index.parents);
  return new Map(index.depths);
}

function computeDepths(inventory: Inventory, parents: Map<string, string[]>): Map<string, number> {
  const depths = new Map<string, number>();
  const depth = (name: string, path: ReadonlySet<string>): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    let d = 0;
    for (const parent of parents.get(name) ?? []) {
      if (!path.has(parent)) d = Math.max(d, depth(parent, new Set([...path, name])) + 1);
    }
    depths.set(name, d);
    return d;
  };
  for (const name of inventory.groups.keys()) depth(name, new Set());
  return depths;
}

/** Parent names of each group, from the children lists. */
function parentsByGroup(inventory: Inventory): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const group of inventory.groups.values()) {
    for (const child of group.children) {
      const list = parents.get(child) ?? [];
      list.push(group.name);
      parents.set(child, list);
    }
  }
  return parents;
}
