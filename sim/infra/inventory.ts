// The files `up` hands to SSH clients: DIR/inventory.yml (Ansible YAML inventory, group `sim`)
// and DIR/ssh/known_hosts.
import { stringify } from 'yaml';
import type { HostPlan } from './fleet-plan.js';

/** What the inventory needs to know about the fleet besides its hosts. */
export interface InventoryInput {
  readonly hosts: readonly HostPlan[];
  readonly clientKey: string;
  readonly knownHosts: string;
}

/** Ansible's form of a host in known_hosts: `addr` on port 22, else `[addr]:port`. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** One known_hosts line for a host's public key line (`ssh-ed25519 AAAA… comment`). */
export function knownHostsLine(host: HostPlan, publicKey: string): string {
  const [type, key] = publicKey.split(' ');
  return `${knownHostsName(host.address, host.port)} ${type ?? ''} ${key ?? ''}`;
}

/**
 * The inventory: every host in group `sim` with its connection variables, `sim_profile`, and the
 * Python Ansible's modules run with (Linux's, which the simulated hosts borrow).
 */
export function renderInventory(input: InventoryInput): string {
  const hosts = Object.fromEntries(
    input.hosts.map((host) => [
      host.name,
      {
        ansible_host: host.address,
        ansible_port: host.port,
        ansible_user: 'root',
        ansible_ssh_private_key_file: input.clientKey,
        ansible_ssh_common_args: `-o UserKnownHostsFile=${input.knownHosts}`,
        ansible_python_interpreter: '/usr/bin/python3',
        sim_profile: host.profile,
      },
    ]),
  );
  const header = '# Written by `npm run sim -- up`; the hosts are simulated FreeBSD machines (sim/README.md).\n';
  return header + stringify({ all: { children: { sim: { hosts } } } }, { lineWidth: 0 });
}
