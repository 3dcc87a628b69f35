// Finding and stopping the processes of a simulated host: every process whose mount namespace is
// the host's (its sshd, every SSH session, anything they left running) — by pid, never by name.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimError } from './sim-error.js';

/** The mount namespace of a process (`mnt:[4026532…]`), or undefined when it is gone. */
export function mountNamespaceOf(pid: number | 'self'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return undefined;
  }
}

/** Every live process, grouped by mount namespace, read from /proc in one pass. */
export function processesByMountNamespace(): Map<string, number[]> {
  const byNamespace = new Map<string, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const namespace = mountNamespaceOf(pid);
    if (namespace === undefined) continue;
    const list = byNamespace.get(namespace);
    if (list) list.push(pid);
    else byNamespace.set(namespace, [pid]);
  }
  return byNamespace;
}

/** Whether a process exists (signal 0). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The parent pid of a process, or undefined when it is gone. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * SIGKILL every process in the given namespaces except the `keep` pids, again and again until
 * none is left (a session may fork while it is being killed). Only the processes found in the
 * first pass and their children count: the kernel hands a dead namespace's inode number to the
 * next namespace made, which may be another fleet's host. Throws if some survive `timeoutMs`.
 */
export async function killNamespaces(
  namespaces: ReadonlySet<string>,
  keep: ReadonlySet<number>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const known = new Set<number>();
  for (let pass = 0; ; pass += 1) {
    const victims: number[] = [];
    for (const [namespace, pids] of processesByMountNamespace()) {
      if (!namespaces.has(namespace)) continue;
      for (const pid of pids) {
        if (keep.has(pid) || pid === process.pid) continue;
        const parent = pass === 0 ? undefined : parentOf(pid);
        if (pass === 0 || known.has(pid) || (parent !== undefined && known.has(parent))) {
          known.add(pid);
          victims.push(pid);
        }
      }
    }
    if (victims.length === 0) return;
    if (Date.now() > deadline) {
      throw new SimError(`processes survived SIGKILL for ${timeoutMs} ms: ${victims.join(' ')}`);
    }
    // Freeze every victim first, then kill: a host that crashes stops all its processes at once.
    // Killed one by one, a session's shell child could die first and its sshd, still running,
    // would report the child's exit (status 137) to the client before its own death closes the
    // connection — an exit no real crash or cut cable produces.
    for (const signal of ['SIGSTOP', 'SIGKILL'] as const) {
      for (const pid of victims) signalIfStillInNamespace(pid, signal, namespaces);
    }
    await sleep(20);
  }
}

/**
 * Signal a process if it is still in one of the namespaces: a victim that exited since the scan
 * may have passed its pid to another process (pids wrap quickly here), which must not be touched.
 */
function signalIfStillInNamespace(pid: number, signal: NodeJS.Signals, namespaces: ReadonlySet<string>): void {
  const namespace = mountNamespaceOf(pid);
  if (namespace === undefined || !namespaces.has(namespace)) return;
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
