// `serial:` splits a play's hosts into batches run one after another, as Ansible does: a number,
// a percentage of the play's hosts (rounded down, at least 1), or a list whose last entry repeats.
import type { SerialSpec } from '../playbook/types.js';

/** The size of one serial entry for `total` hosts. */
function batchSize(entry: number | `${number}%`, total: number): number {
  if (typeof entry === 'number') return entry <= 0 ? total : entry;
  const percent = Number(entry.slice(0, -1));
  return Math.max(1, Math.floor((total * percent) / 100));
}

/** The hosts in batches: one batch of all of them without `serial`. */
export function serialBatches<T>(hosts: readonly T[], serial: SerialSpec | undefined): T[][] {
  if (serial === undefined || serial.length === 0 || hosts.length === 0) return hosts.length === 0 ? [] : [[...hosts]];
  const batches: T[][] = [];
  let start = 0;
  let index = 0;
  while (start < hosts.length) {
    const entry = serial[Math.min(index, serial.length - 1)] ?? hosts.length;
    const size = batchSize(entry, hosts.length);
    batches.push(hosts.slice(start, start + size));
    start += size;
    index++;
  }
  return batches;
}
