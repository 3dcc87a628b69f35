// A host's holder: the long-lived process that owns the host's mount + UTS namespace. It runs the
// mount script in the new namespace, then sleeps forever; killing it (and the host's other
// processes) makes the namespace, and with it every mount of the host, disappear.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { inCgroup } from './fleet-cgroup.js';
import { mountNamespaceOf } from './namespace-processes.js';
import { READY_LINE } from './mount-script.js';
import { cleanEnv } from './run-process.js';
import { SimError } from './sim-error.js';

/** What identifies a running holder: its pid and its mount namespace (to detect pid reuse). */
export interface HolderRecord {
  readonly pid: number;
  readonly mountNamespace: string;
}

/** Start a holder running `script` (in cgroup `group`, if any) and resolve once it printed the ready line. */
export function startHolder(host: string, script: string, group?: string, timeoutMs = 60_000): Promise<HolderRecord> {
  const command = inCgroup(group, ['unshare', '--mount', '--uts', '--propagation', 'private', '/bin/sh', '-c', script]);
  const ownNamespace = mountNamespaceOf('self');
  return new Promise((resolve, reject) => {
    // Detached: its own session, so it outlives `up` and a Ctrl-C in up's terminal.
    const child = spawn(command[0] ?? '', command.slice(1), {
      detached: true,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const fail = (message: string, exitCode?: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
      reject(new SimError(message, { host, command: command.slice(0, -1), ...(exitCode === undefined ? {} : { exitCode }), stderr }));
    };
    const timer = setTimeout(() => fail(`holder not ready after ${timeoutMs} ms`), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (settled || !stdout.includes(READY_LINE) || child.pid === undefined) return;
      const mountNamespace = mountNamespaceOf(child.pid);
      if (mountNamespace === undefined || mountNamespace === ownNamespace) {
        fail('holder is not in a mount namespace of its own');
        return;
      }
      settled = true;
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      child.unref();
      resolve({ pid: child.pid, mountNamespace });
    });
    child.on('error', (error) => fail(`cannot start the holder: ${error.message}`));
    child.on('exit', (code) => fail('the holder exited while setting up the host', code));
  });
}

/** Whether `record` still names the live holder (same pid, same namespace). */
export function holderIsAlive(record: HolderRecord): boolean {
  return mountNamespaceOf(record.pid) === record.mountNamespace;
}

/** Save a holder's identity in DIR/hosts/simK/holder.json. */
export async function writeHolderRecord(file: string, record: HolderRecord): Promise<void> {
  await writeFile(file, `${JSON.stringify(record)}\n`);
}

/** Read DIR/hosts/simK/holder.json, or undefined when the host never got a holder. */
export async function readHolderRecord(file: string): Promise<HolderRecord | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const value: unknown = JSON.parse(text);
  if (
    typeof value === 'object' &&
    value !== null &&
    'pid' in value &&
    typeof value.pid === 'number' &&
    'mountNamespace' in value &&
    typeof value.mountNamespace === 'string'
  ) {
    return { pid: value.pid, mountNamespace: value.mountNamespace };
  }
  throw new SimError(`${file}: not a holder record`);
}
