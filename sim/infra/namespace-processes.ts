// Finding and stopping the processes of a simulated host: every process whose mount namespace is
// the host's (its sshd, every SSH session, anything they left running) — by pid, never by name.
import { readdirSync, readlinkSync } from 'node:fs';
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

/**
 * SIGKILL every process in the given namespaces except the `keep` pids, again and again until
 * none is left (a session may fork while it is being killed). Throws if some survive `timeoutMs`.
 */
export async function killNamespaces(
  namespaces: ReadonlySet<string>,
  keep: ReadonlySet<number>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const victims = [...processesByMountNamespace()]
      .filter(([namespace]) => namespaces.has(namespace))
      .flatMap(([, pids]) => pids)
      .filter((pid) => !keep.has(pid) && pid !== process.pid);
    if (victims.length === 0) return;
    if (Date.now() > deadline) {
      throw new SimError(`processes survived SIGKILL for ${timeoutMs} ms: ${victims.join(' ')}`);
    }
    for (const pid of victims) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await sleep(20);
  }
}
