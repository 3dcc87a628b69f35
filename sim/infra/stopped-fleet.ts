// `up` on the DIR of a fleet that `down` stopped: down leaves the hosts' files in DIR for
// inspection, so without this `sim down` then `sim up` on the same DIR was refused as "not empty".
// Only a fleet recorded as stopped, with no host's holder still alive, and only the entries the
// fleet layout itself creates are removed; anything else in DIR keeps it refused.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fleetPaths, hostPaths } from './fleet-layout.js';
import { readFleetRecord } from './fleet-record.js';
import { holderIsAlive, readHolderRecord } from './holder.js';
import { SimError } from './sim-error.js';

/** The names a fleet puts directly in DIR (fleet.json, inventory.yml, ssh, tools, empty, hosts, …). */
function layoutEntries(dir: string): Set<string> {
  const paths = fleetPaths(dir);
  const top = [paths.record, paths.inventory, paths.sshDir, paths.tools, paths.emptyDir, paths.hostsDir, paths.supervisorLog, paths.supervisorReady];
  return new Set(top.map((path) => path.slice(dir.length + 1)));
}

/**
 * Clear DIR for a new fleet when it holds only a stopped fleet's files, and say how many hosts it
 * had; otherwise refuse with what is in the way.
 */
export async function clearStoppedFleet(dir: string): Promise<number> {
  const refuse = (why: string) => new SimError(`DIR ${dir} is not empty: ${why}; \`down\` the fleet there, or pick a new directory`);
  const entries = await readdir(dir);
  const record = await readFleetRecord(fleetPaths(dir).record).catch(() => undefined);
  if (record === undefined) throw refuse(`it holds no fleet (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''})`);
  if (record.state !== 'stopped') throw refuse(`its fleet is ${record.state}`);
  const known = layoutEntries(dir);
  const foreign = entries.filter((entry) => !known.has(entry));
  if (foreign.length > 0) throw refuse(`besides a stopped fleet it holds ${foreign.join(', ')}`);
  for (const host of record.hosts) {
    const holder = await readHolderRecord(hostPaths(dir, host.name).holder);
    if (holder && holderIsAlive(holder)) throw refuse(`host ${host.name} of its fleet still runs (holder pid ${holder.pid})`);
  }
  for (const entry of entries) await rm(join(dir, entry), { recursive: true, force: true });
  return record.hosts.length;
}
