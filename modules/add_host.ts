// add_host: add a host (and its groups and variables) to the run's in-memory inventory, on the
// controller, so that later plays of the same run can target it. As ansible-core 2.14's
// lib/ansible/plugins/action/add_host.py (BYPASS_HOST_LOOP: once, on the play's first host) and
// InventoryManager.add_dynamic_host, which decides `changed`.
import { z } from 'zod';
import { defineModule, type Plan } from '../src/module-api/module.js';

const NAME_KEYS = ['name', 'hostname', 'host'] as const;
const GROUP_KEYS = ['groupname', 'groups', 'group'] as const;
/** The keys that do not become host variables (action add_host's special_args: `host` and `group` do). */
const SPECIAL = new Set(['name', 'hostname', 'groupname', 'groups']);

const params = z
  .record(z.string(), z.unknown())
  .superRefine((args, context) => {
    if (NAME_KEYS.every((key) => args[key] === undefined || args[key] === null)) context.addIssue({ code: 'custom', message: 'name, host or hostname needs to be provided' });
  })
  .describe(
    'name (or hostname, host): the host, `NAME:PORT` setting ansible_ssh_port; groups (or group, groupname): a list or a comma-separated string; ' +
      'every other key is a variable of the host (as in Ansible, `host` and `group` are variables too).',
  );

type Params = z.output<typeof params>;

/** parse_address(allow_ranges=False): `host:port`, `[v6]:port`, `1.2.3.4:port`; anything else is the name as written. */
export function splitAddress(address: string): { readonly name: string; readonly port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  if (bracketed?.[1] !== undefined) return { name: bracketed[1], ...(bracketed[2] === undefined ? {} : { port: Number(bracketed[2]) }) };
  const hostPort = /^([^:[\]]+):(\d+)$/.exec(address);
  if (hostPort?.[1] !== undefined && hostPort[2] !== undefined) return { name: hostPort[1], port: Number(hostPort[2]) };
  return { name: address };
}

/** The first of `keys` that is set, as `args.get('a', args.get('b', …))`. */
function firstOf(args: Params, keys: readonly string[]): unknown {
  for (const key of keys) if (args[key] !== undefined) return args[key];
  return undefined;
}

/** What action add_host returns in `add_host` (host_name, groups, host_vars), or its failure message. */
export function addHostRequest(args: Params): { readonly name: string; readonly groups: string[]; readonly vars: Record<string, unknown> } | string {
  const wanted = firstOf(args, NAME_KEYS);
  if (wanted === undefined || wanted === null) return 'name, host or hostname needs to be provided';
  const address = splitAddress(String(wanted));
  const withPort: Record<string, unknown> = { ...args, ...(address.port === undefined ? {} : { ansible_ssh_port: address.port }) };
  const given = firstOf(args, GROUP_KEYS);
  const groups: string[] = [];
  if (given !== undefined && given !== null && given !== '' && !(Array.isArray(given) && given.length === 0)) {
    let list: unknown[];
    if (Array.isArray(given)) list = given;
    else if (typeof given === 'string') list = given.split(',');
    else return 'Groups must be specified as a list.';
    for (const group of list) {
      const text = String(group);
      // As the action: the duplicate check reads the name before strip().
      if (!groups.includes(text)) groups.push(text.trim());
    }
  }
  const vars = Object.fromEntries(Object.entries(withPort).filter(([key]) => !SPECIAL.has(key)));
  return { name: address.name, groups, vars };
}

/** The plan: the host for the runner to add, and the registered `add_host` value. */
export function planAddHost(args: Params): Plan {
  const request = addHostRequest(args);
  if (typeof request === 'string') return { steps: [], failure: request };
  const groups = request.groups.length === 0 ? '' : ` to ${request.groups.join(', ')}`;
  return {
    steps: [{ kind: 'noop', reason: `add host ${request.name}${groups}` }],
    addHost: request,
    // The action's result has no msg: none registered (the line above is only shown).
    values: { msg: undefined, add_host: { host_name: request.name, groups: request.groups, host_vars: request.vars } },
  };
}

export default defineModule({
  name: 'add_host',
  summary: "Add a host to the run's in-memory inventory, for the later plays",
  description:
    "Ansible's add_host, on the controller: the host joins the inventory of this run only (never a file), in the groups " +
    'given (a new group is a child of all; a host in none is in ungrouped), with every other key as a host variable. ' +
    'Later plays resolve their hosts pattern when they start, so `hosts: GROUP` reaches it. As Ansible it runs once ' +
    "for the play's hosts, on the first (a loop adds one host per item), registers on that host only, and runs under " +
    '--check too. Changed when the inventory changed: a new host, group or group membership, or a variable with a new value.',
  params,
  controllerOnly: true,
  bypassHostLoop: true,
  example: `- name: Reach the new jail in the next play
  add_host:
    name: "{{ jail_ip }}"
    groups: jails
    ansible_user: root`,
  needs: () => [],
  async observe() {
    return undefined;
  },
  plan({ params: args }) {
    return planAddHost(args);
  },
});
