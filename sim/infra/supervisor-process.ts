// Starting and stopping the reboot supervisor: one background process per fleet
// (`sim/cli.ts reboot-watch --dir DIR`), detached so it outlives `up`.
import { spawn } from 'node:child_process';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FleetPaths } from './fleet-layout.js';
import { inCgroup, supervisorCgroup } from './fleet-cgroup.js';
import { isAlive } from './namespace-processes.js';
import { SimError } from './sim-error.js';

const SIM_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** Start the supervisor for the fleet in `paths.dir` (in the fleet's cgroup, if any); resolves with its pid once it watches. */
export async function startSupervisor(paths: FleetPaths, fleetCgroup: string | undefined, timeoutMs = 30_000): Promise<number> {
  await rm(paths.supervisorReady, { force: true });
  const group = fleetCgroup === undefined ? undefined : supervisorCgroup(fleetCgroup);
  if (group !== undefined) await mkdir(group, { recursive: true });
  const log = await open(paths.supervisorLog, 'a');
  const [file, ...args] = inCgroup(group, [
    process.execPath,
    '--import',
    import.meta.resolve('tsx'),
    join(SIM_ROOT, 'cli.ts'),
    'reboot-watch',
    '--dir',
    paths.dir,
  ]);
  const child = spawn(file ?? '', args, { detached: true, stdio: ['ignore', log.fd, log.fd], cwd: dirname(SIM_ROOT) });
  await log.close();
  const pid = child.pid;
  if (pid === undefined) throw new SimError('cannot start the reboot supervisor');
  child.unref();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await stat(paths.supervisorReady).then(() => true, () => false)) return pid;
    if (!isAlive(pid) || Date.now() > deadline) {
      const tail = await readFile(paths.supervisorLog, 'utf8').catch(() => '');
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      throw new SimError('the reboot supervisor did not start', { command: ['reboot-watch', '--dir', paths.dir], stderr: tail });
    }
    await sleep(50);
  }
}

/** Whether `pid` is this fleet's supervisor (and not a process that reused its pid). */
export async function isSupervisor(pid: number, dir: string): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  const args = cmdline.split('\0');
  return args.includes('reboot-watch') && args.includes(dir);
}

/** Stop the supervisor: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function stopSupervisor(pid: number, dir: string, graceMs = 5_000): Promise<void> {
  if (!(await isSupervisor(pid, dir))) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // It exited meanwhile.
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(25);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // It exited meanwhile.
    }
  }
  while (isAlive(pid)) await sleep(10);
}
