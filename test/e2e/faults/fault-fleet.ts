// Fault injection on a simulated fleet: kill a host's sshd (and every session, as a crash or a
// cut cable would), bring it back with a power cycle, and read a host's files from the test
// process through the host's own view.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readHolderRecord } from '../../../sim/infra/holder.js';
import { hostPaths } from '../../../sim/infra/fleet-layout.js';
import { killNamespaces, processesByMountNamespace } from '../../../sim/infra/namespace-processes.js';
import { powerCycleHost } from '../../../sim/infra/power-cycle.js';
import type { TestFleet } from '../../helpers/fleet.js';

/** SIGKILL the host's sshd and every SSH session in it (its holder stays: files remain). */
export async function killSshd(fleet: TestFleet, host: string): Promise<void> {
  const holder = await readHolderRecord(hostPaths(fleet.dir, host).holder);
  if (!holder) throw new Error(`${host} has no holder`);
  await killNamespaces(new Set([holder.mountNamespace]), new Set([holder.pid]));
}

/** Power-cycle a host (boot, then sshd); fails the test when it does not come up. */
export async function powerCycle(fleet: TestFleet, host: string): Promise<void> {
  const { state } = await powerCycleHost(fleet.dir, host);
  if (state.state !== 'up') throw new Error(`${host} did not come back up: ${state.state} ${state.detail ?? ''}`);
}

/** A file's text inside a host, undefined when it does not exist. */
export async function hostFile(fleet: TestFleet, host: string, path: string): Promise<string | undefined> {
  try {
    return await readFile(await fleet.hostPath(host, path), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Where a host's /var/run/beastie.lock is, seen from the test process: /var/run is a symlink to
 * /run, which /proc/<holder>/root would resolve in the test's own root, so use the bind source.
 */
export function lockPath(fleet: TestFleet, host: string): string {
  return join(hostPaths(fleet.dir, host).run, 'beastie.lock');
}

/** The host's lock file, undefined when there is none. */
export async function hostLock(fleet: TestFleet, host: string): Promise<string | undefined> {
  return readFile(lockPath(fleet, host), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/** Names in a host directory. */
export async function hostDir(fleet: TestFleet, host: string, path: string): Promise<string[]> {
  return readdir(await fleet.hostPath(host, path)).catch(() => []);
}

/** Whether a kernel module is loaded in the host (the simulated kldstat's state). */
export async function moduleLoaded(fleet: TestFleet, host: string, module: string): Promise<boolean> {
  const kld = (await hostFile(fleet, host, '/var/sim/run/kld')) ?? '';
  return kld.split('\n').some((line) => line.split(/\s+/)[4] === `${module}.ko`);
}

/** Command lines of the processes running inside a host (its mount namespace) that contain `text`. */
export async function hostProcesses(fleet: TestFleet, host: string, text: string): Promise<string[]> {
  const holder = await readHolderRecord(hostPaths(fleet.dir, host).holder);
  if (!holder) throw new Error(`${host} has no holder`);
  const pids = processesByMountNamespace().get(holder.mountNamespace) ?? [];
  const lines = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').then((raw) => raw.split('\0').join(' ').trim(), () => '')));
  return lines.filter((line) => line.includes(text));
}
