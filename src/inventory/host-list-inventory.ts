// `-i 'bhyve01.lab,bhyve02.lab:2222,'`: Ansible's host_list inventory, a comma-separated list of
// hosts given instead of a path (plugins/inventory/host_list.py). Every host is ungrouped.
import type { InventoryBuilder } from './inventory-builder.js';
import { splitHostPort } from './host-address.js';

/** True when `source`, which names no file, is a host list: it has a comma. */
export function isHostList(source: string): boolean {
  return source.includes(',');
}

/** Adds each listed host (with its `:port`, if any) to `ungrouped`. */
export function readHostList(source: string, builder: InventoryBuilder): void {
  for (const item of source.split(',')) {
    const text = item.trim();
    if (text === '') continue;
    const { host, port } = splitHostPort(text);
    builder.addHost(host, 'ungrouped', port, undefined);
  }
}
