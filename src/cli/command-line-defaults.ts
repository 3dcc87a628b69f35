// What ansible-playbook's connection and become options mean: defaults that the playbook and the
// inventory override, as in Ansible (PlayContext takes the command line first, then the play's
// keywords, then the host's connection variables). So `-u admin` connects as admin unless the
// host sets ansible_user, and `-b` makes a play become unless it says `become: false`.
import { InvalidInputError } from '../errors.js';
import { becomeMethodNamed } from '../playbook/become-methods.js';
import type { Playbook } from '../playbook/types.js';
import type { InventoryView, Vars } from '../runner/services.js';

/** Connection defaults, by the host variable each one stands in for. */
export interface ConnectionDefaults {
  readonly ansible_user?: string;
  readonly ansible_private_key_file?: string;
  readonly ansible_ssh_common_args?: string;
  readonly ansible_ssh_extra_args?: string;
  readonly ansible_timeout?: number;
  readonly ansible_password?: string;
}

/** Become defaults for plays that do not set the keyword. */
export interface BecomeDefaults {
  readonly become: boolean;
  readonly method: 'sudo' | 'doas' | 'su' | undefined;
  readonly user: string | undefined;
}

/** A --become-method value checked (exit 5 for one beastie has no way to run). */
export function becomeMethod(value: string | undefined, origin: string): BecomeDefaults['method'] {
  if (value === undefined) return undefined;
  const method = becomeMethodNamed(value);
  if (method === undefined) throw new InvalidInputError(`become method '${value}' (${origin}) is not supported`, { fix: 'use sudo, doas or su' });
  return method;
}

/** The inventory view with the command line's connection settings under every host's own. */
export function withConnectionDefaults(view: InventoryView, defaults: ConnectionDefaults): InventoryView {
  const entries = Object.entries(defaults).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return view;
  const fallback: Vars = Object.fromEntries(entries);
  const layered = (vars: Vars): Vars =>
    new Proxy(vars, {
      get: (target, key) => (typeof key === 'string' ? (target[key] ?? fallback[key]) : undefined),
      has: (target, key) => key in target || key in fallback,
    });
  return {
    selectHosts: (pattern, limit) => view.selectHosts(pattern, limit),
    hostNames: () => view.hostNames(),
    hasHost: (name) => view.hasHost(name),
    hostVars: (name) => view.hostVars(name),
    groupNames: (name) => view.groupNames(name),
    groups: () => view.groups(),
    sourceOf: (name) => view.sourceOf(name),
    generation: () => view.generation(),
    addHost: (request) => view.addHost(request),
    connection: (name, vars) => view.connection(name, layered(vars)),
    become: (name, vars) => view.become(name, vars),
  };
}

/** The playbook with -b/--become-method/--become-user as each play's default. */
export function withBecomeDefaults(playbook: Playbook, defaults: BecomeDefaults): Playbook {
  if (!defaults.become && defaults.method === undefined && defaults.user === undefined) return playbook;
  return {
    ...playbook,
    plays: playbook.plays.map((play) => ({
      ...play,
      // `-b` only switches become on; a play's `become: false` still wins.
      become: play.become ?? (defaults.become ? true : undefined),
      becomeMethod: play.becomeMethod ?? defaults.method,
      becomeUser: play.becomeUser ?? defaults.user,
    })),
  };
}
