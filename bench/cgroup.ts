// cgroup v2 groups the benchmark reads CPU time from: one for the controller (the tool under test
// and everything it forks, ControlPersist masters included) and, when the fleet has none of its
// own, one for the fleet's sshd listeners (their sessions inherit it).
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where cgroup2 is mounted (`/sys/fs/cgroup` or, on hybrid systems, `/sys/fs/cgroup/unified`), if anywhere. */
export async function cgroup2Root(): Promise<string | undefined> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (after?.startsWith('cgroup2 ')) return before?.split(' ')[4];
  }
  return undefined;
}

/** Create the group `name` under cgroup2's root; fails with the reason when cgroup2 is unusable. */
export async function createGroup(name: string): Promise<string> {
  const root = await cgroup2Root();
  if (root === undefined) throw new Error('cgroup2 is not mounted: the benchmark needs it to measure CPU time apart');
  const group = join(root, name);
  await mkdir(group, { recursive: true });
  return group;
}

/** CPU time used by everything that ever ran in `group`, in milliseconds (cpu.stat usage_usec). */
export async function groupCpuMs(group: string): Promise<number> {
  const text = await readFile(join(group, 'cpu.stat'), 'utf8');
  const match = /^usage_usec (\d+)$/m.exec(text);
  if (!match?.[1]) throw new Error(`${group}/cpu.stat has no usage_usec line: ${JSON.stringify(text.slice(0, 200))}`);
  return Number(match[1]) / 1000;
}

/** The pids in `group` now. */
export async function groupPids(group: string): Promise<number[]> {
  const text = await readFile(join(group, 'cgroup.procs'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map(Number);
}

/** Move process `pid` (and so its future children) into `group`. */
export async function moveToGroup(group: string, pid: number): Promise<void> {
  await writeFile(join(group, 'cgroup.procs'), `${pid}\n`);
}

/** `argv`, prefixed so that the process joins `group` before it execs, and everything it forks with it. */
export function inGroup(group: string, argv: readonly string[]): string[] {
  return ['/bin/sh', '-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', group, ...argv];
}

/** SIGTERM, then SIGKILL, whatever is left in `group` (the tool's own leftovers, e.g. ControlPersist masters). */
export async function emptyGroup(group: string, timeoutMs = 5000): Promise<number> {
  const leftovers = await groupPids(group);
  for (const pid of leftovers) signal(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while ((await groupPids(group)).length > 0) {
    if (Date.now() > deadline) {
      for (const pid of await groupPids(group)) signal(pid, 'SIGKILL');
    }
    await sleep(50);
  }
  return leftovers.length;
}

/** Remove an empty group (and its empty children first). */
export async function removeGroup(group: string, children: readonly string[] = []): Promise<void> {
  for (const child of children) await rmdir(join(group, child)).catch(() => undefined);
  await rmdir(group).catch(() => undefined);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}
