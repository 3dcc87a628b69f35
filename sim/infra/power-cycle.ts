// `npm run sim -- power-cycle --dir DIR --host simK`: the test's hand on the power button. The
// supervisor does the cycle (it owns every host's lifecycle after `up`); this asks it and waits.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fleetPaths, hostPaths } from './fleet-layout.js';
import { findHost, readFleetRecord } from './fleet-record.js';
import { readHostState, type HostStateRecord } from './host-state.js';
import { isSupervisor } from './supervisor-process.js';
import { SimError } from './sim-error.js';

/** Power-cycle one host and resolve with its state once its boot finished (up, hanging again, or down). */
export async function powerCycleHost(
  dir: string,
  name: string,
  timeoutMs?: number,
): Promise<{ readonly host: string; readonly state: HostStateRecord }> {
  const record = await readFleetRecord(fleetPaths(dir).record);
  const host = findHost(record, name);
  const pid = record.supervisorPid;
  if (pid === undefined || !(await isSupervisor(pid, record.dir))) {
    throw new SimError(`the fleet's reboot supervisor is not running; \`down\` and \`up\` the fleet again`, { host: host.name });
  }
  const paths = hostPaths(dir, host.name);
  const token = randomUUID();
  await writeFile(paths.powerCycleRequest, `${token}\n`);
  process.kill(pid, 'SIGUSR1');
  const deadline = Date.now() + (timeoutMs ?? record.rebootDownSeconds * 1000 + 300_000);
  for (;;) {
    const state = await readHostState(paths.state);
    if (state?.completedRequest === token) return { host: host.name, state };
    if (Date.now() > deadline) throw new SimError('power-cycle did not finish in time', { host: host.name });
    await sleep(50);
  }
}
