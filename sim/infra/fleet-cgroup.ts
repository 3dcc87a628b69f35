// cgroup v2 groups for a fleet: every process of host K (sshd, sessions, boots, and anything
// they start, even in namespaces of their own) is in the host's group, so a reboot or `down`
// kills them all, and the fleet's cpu.stat is the fleet's CPU time for the benchmark.
// Layout: <cgroup2>/beastie-sim/fleet<S>/{supervisor, simK/{holder, system}}. Where cgroup2 is
// missing or read-only (some containers), the fleet runs without and processes are found by
// mount namespace alone.
import { mkdir, readFile, readdir, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimError } from './sim-error.js';

/** A host's groups: `holder` holds only the namespace holder, `system` everything a power-off kills. */
export interface HostCgroups {
  readonly holder: string;
  readonly system: string;
}

/** Where cgroup2 is mounted (`/sys/fs/cgroup` or, on hybrid systems, `/sys/fs/cgroup/unified`), if anywhere. */
export async function cgroup2Mount(): Promise<string | undefined> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (after?.startsWith('cgroup2 ')) return before?.split(' ')[4];
  }
  return undefined;
}

/** Create the fleet's group for slot `slot`; undefined when cgroup2 cannot be used here. */
export async function createFleetCgroup(slot: number): Promise<string | undefined> {
  const root = await cgroup2Mount();
  if (root === undefined) return undefined;
  const fleet = join(root, 'beastie-sim', `fleet${slot}`);
  try {
    await mkdir(fleet, { recursive: true });
    await stat(join(fleet, 'cgroup.procs'));
  } catch {
    return undefined;
  }
  return fleet;
}

/** The groups of host `name` in the fleet's group. */
export function hostCgroups(fleet: string, name: string): HostCgroups {
  return { holder: join(fleet, name, 'holder'), system: join(fleet, name, 'system') };
}

/** Create a host's groups. */
export async function createHostCgroups(groups: HostCgroups): Promise<void> {
  await mkdir(groups.holder, { recursive: true });
  await mkdir(groups.system, { recursive: true });
}

/** The supervisor's group in the fleet's group. */
export function supervisorCgroup(fleet: string): string {
  return join(fleet, 'supervisor');
}

/** `argv`, prefixed so that the process joins `group` before it execs (so everything it forks is in it too). */
export function inCgroup(group: string | undefined, argv: readonly string[]): string[] {
  if (group === undefined) return [...argv];
  return ['/bin/sh', '-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', group, ...argv];
}

async function procs(group: string): Promise<number[]> {
  const text = await readFile(join(group, 'cgroup.procs'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map(Number);
}

/** Every pid in a group and its descendants. */
async function procsTree(group: string): Promise<number[]> {
  const pids = await procs(group);
  const entries = await readdir(group, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isDirectory()) pids.push(...(await procsTree(join(group, entry.name))));
  return pids;
}

/** Whether a group or any group below it has a process (`populated` of cgroup.events: one read for a whole fleet). */
async function populated(group: string): Promise<boolean> {
  const events = await readFile(join(group, 'cgroup.events'), 'utf8').catch(() => undefined);
  if (events === undefined) return (await procsTree(group)).length > 0;
  return /^populated 1$/m.test(events);
}

/** SIGKILL everything in `group` (and below) and wait until it is empty. */
export async function killCgroup(group: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const hasKill = await stat(join(group, 'cgroup.kill')).then(() => true, () => false);
  for (;;) {
    if (!(await populated(group))) return;
    const pids = hasKill ? [] : await procsTree(group);
    if (Date.now() > deadline) {
      throw new SimError(`processes in ${group} survived SIGKILL for ${timeoutMs} ms: ${(await procsTree(group)).join(' ')}`);
    }
    if (hasKill) await writeFile(join(group, 'cgroup.kill'), '1').catch(() => undefined);
    else {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    await sleep(20);
  }
}

/** Remove an empty group tree, deepest first; the beastie-sim parent goes too once no fleet uses it. */
export async function removeCgroupTree(group: string): Promise<void> {
  const entries = await readdir(group, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isDirectory()) await removeCgroupTree(join(group, entry.name));
  await rmdir(group).catch(() => undefined);
}

/** CPU time of a group and everything below it, in microseconds (`usage_usec` of cpu.stat). */
export async function cgroupCpuMicroseconds(group: string): Promise<number> {
  const text = await readFile(join(group, 'cpu.stat'), 'utf8');
  const match = /^usage_usec (\d+)$/m.exec(text);
  if (!match?.[1]) throw new SimError(`${group}/cpu.stat has no usage_usec`);
  return Number(match[1]);
}
