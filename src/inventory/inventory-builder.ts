// The mutable inventory both parsers fill in, with the rules of Ansible's InventoryData
// (lib/ansible/inventory/data.py): `all` and `ungrouped` always exist, every parentless group
// becomes a child of `all`, hosts in no group land in `ungrouped`, and no group is its own ancestor.
import { InvalidInputError } from '../errors.js';
import type { SourceRef } from '../source.js';

/** A group while the inventory is being read. */
export interface DraftGroup {
  readonly name: string;
  readonly hosts: string[];
  readonly children: string[];
  readonly parents: string[];
  readonly vars: Record<string, unknown>;
  priority: number;
  readonly source: SourceRef | undefined;
}

/** A host while the inventory is being read. */
export interface DraftHost {
  readonly name: string;
  readonly vars: Record<string, unknown>;
  readonly source: SourceRef | undefined;
}

/** One load's worth of groups and hosts; owned by a single loadInventory call. */
export class InventoryBuilder {
  readonly groups = new Map<string, DraftGroup>();
  readonly hosts = new Map<string, DraftHost>();
  /**
   * host → the groups that list it directly, so a membership check does not scan a group's hosts
   * and loading stays linear in hosts. A list, not a Set: a host is in few groups, and 100,000
   * Sets cost a big inventory's load a tenth of its time.
   */
  private readonly directGroups = new Map<string, string[]>();

  constructor() {
    this.addGroup('all', undefined);
    this.addGroup('ungrouped', undefined);
    this.addChild('all', 'ungrouped', undefined);
  }

  /** Declares a group; declaring it again is harmless. */
  addGroup(name: string, source: SourceRef | undefined): DraftGroup {
    const existing = this.groups.get(name);
    if (existing) return existing;
    const group: DraftGroup = { name, hosts: [], children: [], parents: [], vars: {}, priority: 1, source };
    this.groups.set(name, group);
    return group;
  }

  /** Declares a host (its port, if written as `name:port`, set only when first seen) in `group`. */
  addHost(name: string, group: string, port: number | undefined, source: SourceRef | undefined): DraftHost {
    let host = this.hosts.get(name);
    if (!host) {
      host = { name, vars: {}, source };
      if (port !== undefined) host.vars['ansible_port'] = port;
      this.hosts.set(name, host);
    }
    const g = this.group(group);
    const groups = this.directGroups.get(name);
    if (groups === undefined) this.directGroups.set(name, [group]);
    else if (!groups.includes(group)) groups.push(group);
    else return host;
    g.hosts.push(name);
    return host;
  }

  /** Sets a group variable; `ansible_group_priority` sets the priority instead, as in Ansible. */
  setGroupVar(group: string, key: string, value: unknown, source: SourceRef | undefined): void {
    const g = this.group(group);
    if (key !== 'ansible_group_priority') {
      g.vars[key] = value;
      return;
    }
    const priority = typeof value === 'string' && /^\s*[+-]?\d+\s*$/u.test(value) ? Number(value) : value;
    if (typeof priority !== 'number' || !Number.isInteger(priority)) {
      throw new InvalidInputError(`ansible_group_priority of group '${group}' must be an integer, got ${JSON.stringify(value)}`, {
        ...(source === undefined ? {} : { source }),
        fix: 'set it to a whole number such as 10 (higher wins among groups of the same depth)',
      });
    }
    g.priority = priority;
  }

  /** Makes `child` a subgroup of `parent`, refusing an edge that would make a group its own ancestor. */
  addChild(parent: string, child: string, source: SourceRef | undefined): void {
    const p = this.group(parent);
    const c = this.group(child);
    if (p.children.includes(child)) return;
    const loop = this.pathDown(child, parent);
    if (loop) {
      throw new InvalidInputError(
        `group '${child}' would be its own ancestor: ${[...loop, child].join(' → ')}`,
        { ...(source === undefined ? {} : { source }), fix: `remove '${child}' from the children of '${parent}' (or the reverse edge)` },
      );
    }
    p.children.push(child);
    if (!c.parents.includes(parent)) c.parents.push(parent);
  }

  /**
   * Applies Ansible's reconcile_inventory: parentless groups join `all`; a host whose only group
   * is `all` joins `ungrouped`; a host in `ungrouped` and in a real group leaves `ungrouped`.
   */
  reconcile(): void {
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.parents.length === 0) this.addChild('all', g.name, undefined);
    }
    const ungrouped = this.group('ungrouped');
    const leaving = new Set<string>();
    const joining: string[] = [];
    // Per group, once: whether it or a group above it is a real group, and whether `ungrouped` is among them.
    const kinds = new Map<string, { readonly real: boolean; readonly ungrouped: boolean }>();
    const kindOf = (group: string) => {
      let kind = kinds.get(group);
      if (kind === undefined) {
        const above = [...this.ancestorsOf(group)];
        kind = { real: above.some((name) => name !== 'all' && name !== 'ungrouped'), ungrouped: above.includes('ungrouped') };
        kinds.set(group, kind);
      }
      return kind;
    };
    for (const host of this.hosts.values()) {
      const groups = (this.directGroups.get(host.name) ?? []).map(kindOf);
      const real = groups.some((kind) => kind.real);
      if (groups.some((kind) => kind.ungrouped)) {
        if (real) leaving.add(host.name);
      } else if (!real) {
        joining.push(host.name);
      }
    }
    if (leaving.size > 0) {
      const kept = ungrouped.hosts.filter((name) => !leaving.has(name));
      ungrouped.hosts.splice(0, ungrouped.hosts.length, ...kept);
      for (const name of leaving) {
        // `ungrouped` may be above the host rather than list it.
        const groups = this.directGroups.get(name) ?? [];
        const at = groups.indexOf('ungrouped');
        if (at >= 0) groups.splice(at, 1);
      }
    }
    for (const name of joining) this.addHost(name, 'ungrouped', undefined, undefined);
  }

  private group(name: string): DraftGroup {
    const g = this.groups.get(name);
    if (!g) throw new Error(`internal: group '${name}' used before it was declared`);
    return g;
  }

  /** The group and every group above it. */
  private ancestorsOf(group: string): ReadonlySet<string> {
    const found = new Set<string>();
    const visit = (name: string): void => {
      if (found.has(name)) return;
      found.add(name);
      for (const parent of this.group(name).parents) visit(parent);
    };
    visit(group);
    return found;
  }

  /** The chain of group names from `from` down to `to` through children, if there is one. */
  private pathDown(from: string, to: string): string[] | undefined {
    if (from === to) return [from];
    for (const child of this.group(from).children) {
      const rest = this.pathDown(child, to);
      if (rest) return [from, ...rest];
    }
    return undefined;
  }
}
