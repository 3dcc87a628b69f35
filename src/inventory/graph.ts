// `beastie inventory --graph [GROUP]`: the tree `ansible-inventory --graph` prints
// (lib/ansible/cli/inventory.py _graph_group): `@group:` lines, child groups before the group's
// own hosts, each level indented by `  |`, and no host lines directly under `all`.
import { InvalidInputError } from '../errors.js';
import type { Inventory } from './types.js';

/** The graph text from `group` down (without the final newline). */
export function inventoryGraph(inventory: Inventory, group = 'all'): string {
  if (!inventory.groups.has(group)) {
    throw new InvalidInputError(`'${group}' is not a group of the inventory`, {
      fix: `--graph takes a group name; groups are: ${[...inventory.groups.keys()].join(', ')}`,
    });
  }
  return graphLines(inventory, group, 0).join('\n');
}

function graphLines(inventory: Inventory, name: string, depth: number): string[] {
  const group = inventory.groups.get(name);
  const lines = [graphName(`@${name}:`, depth)];
  for (const child of group?.children ?? []) lines.push(...graphLines(inventory, child, depth + 1));
  if (name !== 'all') for (const host of group?.hosts ?? []) lines.push(graphName(host, depth + 1));
  return lines;
}

/** `  |  |--name` at depth 2; the bare name at depth 0. */
function graphName(name: string, depth: number): string {
  return depth === 0 ? name : `${'  |'.repeat(depth)}--${name}`;
}
