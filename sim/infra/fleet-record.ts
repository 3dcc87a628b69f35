// DIR/fleet.json: what `up` started, read by down, status, power-cycle and the reboot supervisor.
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { HostPlan } from './fleet-plan.js';
import { isProfileName } from './profile.js';
import { SimError } from './sim-error.js';

/** The fleet as `up` planned and started it. */
export interface FleetRecord {
  readonly version: 1;
  readonly dir: string;
  /** The project's sim/ directory the fleet was started from (profiles, tools). */
  readonly simRoot: string;
  readonly slot: number;
  readonly rebootDownSeconds: number;
  /** Path inside each host of the script run at every boot. */
  readonly bootScript: string;
  readonly hosts: readonly HostPlan[];
  /** The fleet's cgroup v2 group (its cpu.stat is the fleet's CPU time), when cgroup2 is usable here. */
  readonly cgroup?: string;
  /** The reboot supervisor's pid, once started. */
  readonly supervisorPid?: number;
  /** `running` from the end of `up` until `down`. */
  readonly state: 'starting' | 'running' | 'stopped';
}

/** Replace fleet.json atomically. */
export async function writeFleetRecord(file: string, record: FleetRecord): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`);
  await rename(temporary, file);
}

function isHostPlan(value: unknown): value is HostPlan {
  if (typeof value !== 'object' || value === null) return false;
  const host = value as Record<string, unknown>;
  return (
    typeof host['index'] === 'number' &&
    typeof host['name'] === 'string' &&
    typeof host['profile'] === 'string' &&
    isProfileName(host['profile']) &&
    typeof host['address'] === 'string' &&
    typeof host['port'] === 'number'
  );
}

/** Read fleet.json; a missing file means there is no fleet in DIR. */
export async function readFleetRecord(file: string): Promise<FleetRecord> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new SimError(`no fleet here: ${file} does not exist (start one with \`npm run sim -- up\`)`);
  }
  const value = JSON.parse(text) as Partial<FleetRecord>;
  if (
    value.version !== 1 ||
    typeof value.dir !== 'string' ||
    typeof value.simRoot !== 'string' ||
    typeof value.slot !== 'number' ||
    typeof value.rebootDownSeconds !== 'number' ||
    typeof value.bootScript !== 'string' ||
    (value.cgroup !== undefined && typeof value.cgroup !== 'string') ||
    !Array.isArray(value.hosts) ||
    !value.hosts.every(isHostPlan) ||
    (value.state !== 'starting' && value.state !== 'running' && value.state !== 'stopped')
  ) {
    throw new SimError(`${file}: not a fleet record of this version of the simulator`);
  }
  return {
    version: 1,
    dir: value.dir,
    simRoot: value.simRoot,
    slot: value.slot,
    rebootDownSeconds: value.rebootDownSeconds,
    bootScript: value.bootScript,
    hosts: value.hosts,
    ...(value.cgroup === undefined ? {} : { cgroup: value.cgroup }),
    ...(value.supervisorPid === undefined ? {} : { supervisorPid: value.supervisorPid }),
    state: value.state,
  };
}

/** A host of the record by name; `sim1` also finds `sim01`. */
export function findHost(record: FleetRecord, name: string): HostPlan {
  const match = /^sim0*(\d+)$/.exec(name);
  const host = record.hosts.find((h) => h.name === name || (match?.[1] !== undefined && h.index === Number(match[1])));
  if (!host) throw new SimError(`no host ${JSON.stringify(name)} in the fleet at ${record.dir} (hosts: ${record.hosts[0]?.name ?? ''}…)`);
  return host;
}
