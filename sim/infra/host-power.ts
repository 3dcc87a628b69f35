// Powering a simulated host off and on inside its namespace: off = kill its sshd and every
// session; on = run the boot script (sim/CONTRACT.md, "Boot"), then start its sshd.
import { access, appendFile, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import { HOST_PATH, REBOOT_REQUEST, type HostPaths } from './fleet-layout.js';
import type { HostPlan } from './fleet-plan.js';
import { holderIsAlive, type HolderRecord } from './holder.js';
import { inCgroup, killCgroup, type HostCgroups } from './fleet-cgroup.js';
import { writeHostState, type HostStateRecord } from './host-state.js';
import { killNamespaces } from './namespace-processes.js';
import { cleanEnv, runChecked, runProcess } from './run-process.js';
import { waitForSshBanner } from './ssh-banner.js';

/** A started host: its plan, its files, its holder, and the boot script to run (a path inside the host). */
export interface RunningHost {
  readonly plan: HostPlan;
  readonly paths: HostPaths;
  readonly holder: HolderRecord;
  readonly bootScript: string;
  /** The host's cgroups, when the fleet has one. */
  readonly cgroups?: HostCgroups;
}

/** The exit status of the boot script that means "this kernel hangs" (sim/CONTRACT.md). */
export const BOOT_HANGS = 3;

/** How a boot went: booted (exit 0), hung (exit 3), failed (anything else), or skipped (no boot script in the host). */
export type BootOutcome =
  | { readonly kind: 'booted' }
  | { readonly kind: 'skipped' }
  | { readonly kind: 'hung' }
  | { readonly kind: 'failed'; readonly detail: string };

/** `nsenter` into a host's mount and UTS namespaces. */
export function nsenter(holder: HolderRecord): string[] {
  return ['nsenter', `--target=${holder.pid}`, '--mount', '--uts'];
}

/** A path inside the host, reachable from Linux through the holder's /proc/PID/root (it resolves in the host's namespace). */
export function insideHost(holder: HolderRecord, path: string): string {
  return `/proc/${holder.pid}/root${path}`;
}

/** The environment of processes infra starts inside a host: root's, with the fake tools first on PATH. */
export function hostEnv(): Record<string, string> {
  return cleanEnv({ PATH: HOST_PATH, HOME: '/root', USER: 'root', LOGNAME: 'root', SHELL: '/bin/sh' });
}

/** Run the boot script inside the host, appending its output to DIR/hosts/simK/boot.log. */
export async function bootHost(host: RunningHost, timeoutMs = 300_000): Promise<BootOutcome> {
  try {
    await access(insideHost(host.holder, host.bootScript), constants.X_OK);
  } catch {
    return { kind: 'skipped' };
  }
  const result = await runProcess(inCgroup(host.cgroups?.system, [...nsenter(host.holder), host.bootScript]), {
    env: hostEnv(),
    timeoutMs,
    host: host.plan.name,
  });
  const how = result.signal ? `killed by ${result.signal}` : `exit ${String(result.exitCode)}`;
  await appendFile(
    host.paths.bootLog,
    `=== ${new Date().toISOString()} ${host.bootScript}: ${how} (${result.durationMs} ms)\n${result.stdout}${result.stderr}`,
  );
  if (result.exitCode === 0) return { kind: 'booted' };
  if (result.exitCode === BOOT_HANGS) return { kind: 'hung' };
  const stderr = result.stderr.trim().split('\n').slice(-3).join(' / ');
  return { kind: 'failed', detail: `${host.bootScript} ${how}${stderr ? `: ${stderr}` : ''}` };
}

/** Start the host's sshd in its namespace and wait until it sends its banner. */
export async function startSshd(host: RunningHost): Promise<void> {
  const sshd = [...nsenter(host.holder), '/usr/sbin/sshd', '-f', host.paths.sshdConfig, '-E', host.paths.sshdLog];
  await runChecked(inCgroup(host.cgroups?.system, sshd), 'start sshd', {
    host: host.plan.name,
    timeoutMs: 30_000,
  });
  await waitForSshBanner(host.plan.name, host.plan.address, host.plan.port);
}

/**
 * Boot the host and, unless its boot hangs or fails, start its sshd; records and returns the
 * new state. `boots` is how many boots came before this one.
 */
export async function powerOn(host: RunningHost, boots: number, request?: string): Promise<{ record: HostStateRecord; boot: BootOutcome }> {
  const boot = await bootHost(host);
  const base = { since: '', boots: boots + 1, ...(request === undefined ? {} : { completedRequest: request }) };
  let record: HostStateRecord;
  if (boot.kind === 'hung') {
    record = { ...base, state: 'hanging', detail: `${host.bootScript} exited ${BOOT_HANGS}: the kernel hangs until power-cycle` };
  } else if (boot.kind === 'failed') {
    record = { ...base, state: 'down', detail: `boot failed: ${boot.detail}` };
  } else {
    await startSshd(host);
    record = { ...base, state: 'up', ...(boot.kind === 'skipped' ? { detail: `no ${host.bootScript} in the host; booted without it` } : {}) };
  }
  record = { ...record, since: new Date().toISOString() };
  await writeHostState(host.paths.state, record);
  return { record, boot };
}

/** Cut the power: kill the host's sshd and every session (all of its processes but the holder), and drop a pending reboot request. */
export async function powerOff(host: RunningHost): Promise<void> {
  // The cgroup also holds what sessions started in namespaces of their own; the namespace scan
  // covers fleets without cgroups.
  if (host.cgroups) await killCgroup(host.cgroups.system, 30_000);
  // A dead holder's namespace number may already be another process's (the kernel reuses it).
  if (!holderIsAlive(host.holder)) return;
  await killNamespaces(new Set([host.holder.mountNamespace]), new Set([host.holder.pid]), 30_000);
  // Removed through the host's own view: deleting it in the upper dir behind overlayfs's back
  // would leave a stale cached entry inside the host.
  await rm(insideHost(host.holder, REBOOT_REQUEST), { force: true });
}
