// `npm run sim -- status --dir DIR`: each host's address, profile and power state.
import { readFile } from 'node:fs/promises';
import { fleetPaths, hostPaths } from './fleet-layout.js';
import type { HostPlan } from './fleet-plan.js';
import { readFleetRecord } from './fleet-record.js';
import { holderIsAlive, readHolderRecord } from './holder.js';
import { readHostState, type PowerState } from './host-state.js';
import { isAlive } from './namespace-processes.js';
import { isSupervisor } from './supervisor-process.js';

/** One host's line of `status`. */
export interface HostStatus {
  readonly host: HostPlan;
  readonly state: PowerState;
  readonly detail: string | undefined;
}

/** The fleet's state: its hosts, and whether its supervisor runs. */
export interface FleetStatus {
  readonly dir: string;
  readonly supervisor: 'running' | 'stopped';
  readonly hosts: readonly HostStatus[];
}

async function sshdIsAlive(pidFile: string): Promise<boolean> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid);
}

/** Read the state files and check them against the live processes (a host whose sshd died is down). */
export async function fleetStatus(dir: string): Promise<FleetStatus> {
  const record = await readFleetRecord(fleetPaths(dir).record);
  const supervisor =
    record.supervisorPid !== undefined && (await isSupervisor(record.supervisorPid, record.dir)) ? 'running' : 'stopped';
  const hosts: HostStatus[] = [];
  for (const host of record.hosts) {
    const paths = hostPaths(dir, host.name);
    const saved = await readHostState(paths.state);
    const holder = await readHolderRecord(paths.holder);
    const holderAlive = holder !== undefined && holderIsAlive(holder);
    let state: PowerState = saved?.state ?? 'down';
    let detail = saved?.detail;
    if (!holderAlive) {
      state = 'down';
      detail = record.state === 'stopped' ? 'fleet stopped' : 'its namespace holder is gone';
    } else if (state === 'up' && !(await sshdIsAlive(paths.sshdPid))) {
      state = 'down';
      detail = 'sshd is not running';
    }
    hosts.push({ host, state, detail });
  }
  return { dir, supervisor, hosts };
}

/** The table `status` prints. */
export function renderStatus(status: FleetStatus): string {
  const rows = [['HOST', 'ADDRESS', 'PROFILE', 'STATE', 'DETAIL']];
  for (const { host, state, detail } of status.hosts) {
    rows.push([host.name, `${host.address}:${host.port}`, host.profile, state, detail ?? '']);
  }
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd());
  return `${lines.join('\n')}\nsupervisor: ${status.supervisor}\n`;
}
