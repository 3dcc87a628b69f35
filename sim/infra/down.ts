// `npm run sim -- down --dir DIR`: stop the supervisor, then every process of every host by pid
// (holders included). A host's mounts exist only in its own mount namespace, which the kernel
// tears down, mounts and all, when its last process is gone; nothing is mounted outside.
import { readdir, rm } from 'node:fs/promises';
import { releaseSlot, slotIsHeldBy } from './address-slot.js';
import { fleetPaths, hostPaths } from './fleet-layout.js';
import { readFleetRecord, writeFleetRecord } from './fleet-record.js';
import { holderIsAlive, readHolderRecord } from './holder.js';
import { readHostState, writeHostState } from './host-state.js';
import { killNamespaces, processesByMountNamespace } from './namespace-processes.js';
import { stopSupervisor } from './supervisor-process.js';
import { killCgroup, removeCgroupTree } from './fleet-cgroup.js';

/** What `down` stopped. */
export interface DownResult {
  readonly hosts: number;
  readonly processes: number;
}

/** Stop the fleet in `dir`. Works on a half-started fleet too (it reads each host's holder.json). */
export async function downFleet(dir: string): Promise<DownResult> {
  const paths = fleetPaths(dir);
  const record = await readFleetRecord(paths.record);
  if (record.supervisorPid !== undefined) await stopSupervisor(record.supervisorPid, record.dir);

  const names = await readdir(paths.hostsDir).catch(() => [] as string[]);
  // Only namespaces whose recorded holder still lives in them: the kernel reuses a dead
  // namespace's inode number, and a stale or repeated `down` must never kill another fleet's host.
  const namespaces = new Set<string>();
  for (const name of names) {
    const holder = await readHolderRecord(hostPaths(dir, name).holder);
    if (holder && holderIsAlive(holder)) namespaces.add(holder.mountNamespace);
  }
  const before = [...processesByMountNamespace()]
    .filter(([namespace]) => namespaces.has(namespace))
    .reduce((sum, [, pids]) => sum + pids.length, 0);
  // Likewise the cgroup: it is the slot's, and the slot may belong to a newer fleet by now.
  const ownsCgroup = record.cgroup !== undefined && (await slotIsHeldBy(record.slot, dir));
  // Generous deadlines: a killed host's last process tears its namespace down (every overlayfs
  // unmount) on its way out, and 500 of them on a loaded machine take a while.
  const deadlineMs = 60_000;
  if (ownsCgroup && record.cgroup !== undefined) {
    // The cgroup holds every process of the fleet, holders included, so it is the whole kill. A
    // namespace scan after it would be wrong, not just redundant: the kill frees the hosts'
    // namespace numbers and the kernel hands them to the next namespaces made on the machine
    // (another fleet's jail, a test's sandbox), whose processes the scan would then kill.
    await killCgroup(record.cgroup, deadlineMs);
    await removeCgroupTree(record.cgroup);
  } else {
    await killNamespaces(namespaces, new Set(), deadlineMs);
  }

  for (const name of names) {
    const host = hostPaths(dir, name);
    const state = await readHostState(host.state);
    if (state) await writeHostState(host.state, { state: 'down', since: new Date().toISOString(), boots: state.boots, detail: 'fleet stopped' });
    await rm(host.holder, { force: true });
  }
  await rm(paths.supervisorReady, { force: true });
  const { supervisorPid: _stopped, ...stopped } = record;
  await writeFleetRecord(paths.record, { ...stopped, state: 'stopped' });
  await releaseSlot(record.slot, record.dir);
  return { hosts: names.length, processes: before };
}
