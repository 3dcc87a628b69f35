// Ansible's implicit localhost: a pattern naming localhost, 127.0.0.1 or ::1 when no such host is
// in the inventory yields a host that runs on the controller (inventory/data.py).
import type { InventoryHost } from './types.js';

/** The names that summon the implicit localhost (Ansible's C.LOCALHOST). */
export const LOCALHOST_NAMES: readonly string[] = ['127.0.0.1', 'localhost', '::1'];

/** True when `name` is one of the localhost names. */
export function isLocalhostName(name: string): boolean {
  return LOCALHOST_NAMES.includes(name);
}

/**
 * The host Ansible creates on demand: `ansible_connection: local`, in no group (so `all` and
 * group patterns never match it), still given group `all`'s variables by the precedence rules.
 */
export function implicitLocalhost(name: string): InventoryHost {
  return { name, vars: { ansible_connection: 'local' } };
}
