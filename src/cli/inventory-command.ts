// `beastie inventory -i INV --list | --graph [GROUP] | --host NAME`, printed as ansible-inventory does.
import { parseArgs } from 'node:util';
import { InvalidInputError } from '../errors.js';
import { inventoryGraph } from '../inventory/graph.js';
import { inventoryListJson } from '../inventory/list-json.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { hostVariables } from '../inventory/variables.js';
import type { CliIO } from './cli-io.js';
import { INVENTORY_HELP } from './help.js';

/** Run the inventory command; returns the exit code. */
export async function inventoryCommand(argv: readonly string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        inventory: { type: 'string', short: 'i' },
        list: { type: 'boolean' },
        graph: { type: 'boolean' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new InvalidInputError((error as Error).message, { fix: 'run `beastie inventory --help`' });
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(INVENTORY_HELP);
    return 0;
  }
  const actions = [values.list, values.graph, values.host !== undefined].filter(Boolean).length;
  if (values.inventory === undefined || actions !== 1) {
    throw new InvalidInputError('give -i INVENTORY and exactly one of --list, --graph or --host NAME', { fix: 'run `beastie inventory --help`' });
  }
  const inventory = await loadInventory(values.inventory);
  if (values.list) {
    io.stdout.write(`${inventoryListJson(inventory)}\n`);
  } else if (values.graph) {
    const group = positionals[0] ?? 'all';
    if (!inventory.groups.has(group)) throw new InvalidInputError(`no group '${group}' in ${values.inventory}`, { fix: 'name a group the inventory defines' });
    io.stdout.write(`${inventoryGraph(inventory, group).replace(/\n?$/, '\n')}`);
  } else if (values.host !== undefined) {
    const host = inventory.hosts.get(values.host);
    if (host === undefined) throw new InvalidInputError(`no host '${values.host}' in ${values.inventory}`, { fix: 'run `beastie inventory -i INV --graph` to see the hosts' });
    io.stdout.write(`${JSON.stringify(hostVariables(inventory, host), null, 4)}\n`);
  }
  return 0;
}
