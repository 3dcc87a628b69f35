// A throwaway simulated FreeBSD host for the host tools' tests: sandbox.sh runs each command
// in a fresh mount + UTS namespace over the profile layer, with the host's state kept in a
// temporary directory between calls (so consecutive commands see one host).
import { spawnSync } from 'node:child_process';
import { afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SANDBOX = join(dirname(fileURLToPath(import.meta.url)), 'sandbox.sh');

/** What one command printed and returned, like a remote command's result. */
export interface ToolResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** One simulated host: run commands on it, boot it, throw it away. */
export interface HostSandbox {
  readonly profile: string;
  /** Run `command` with /bin/sh as root on the host (stdin optional). */
  run(command: string, stdin?: string): ToolResult;
  /** Run the boot script (as infra does at `up` and on every reboot); returns its result. */
  boot(): ToolResult;
  /** Remove the host's state directory. */
  dispose(): void;
}

/** A fresh host of `profile` (seed, current, novtx, bare), not booted yet. */
export function hostSandbox(profile: string): HostSandbox {
  const box = mkdtempSync(join(tmpdir(), `beastie-hosttools-${profile}-`));
  const run = (command: string, stdin?: string): ToolResult => {
    const result = spawnSync(SANDBOX, [box, profile, command], {
      input: stdin ?? '',
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (result.error) throw new Error(`sandbox.sh ${profile} "${command}": ${result.error.message}`);
    // a signal here comes from outside the tool (the shared machine), not from a FreeBSD exit code
    if (result.signal) throw new Error(`sandbox.sh ${profile} "${command}" was killed by ${result.signal}`);
    return { stdout: result.stdout, stderr: result.stderr, code: result.status ?? -1 };
  };
  return {
    profile,
    run,
    boot: () => run('/usr/local/freebsd/libexec/sim-boot'),
    dispose: () => rmSync(box, { recursive: true, force: true }),
  };
}

/** A host of `profile` that has booted once (the state every fleet host starts in). */
export function bootedHost(profile: string): HostSandbox {
  const host = hostSandbox(profile);
  const booted = host.boot();
  if (booted.code !== 0) {
    host.dispose();
    throw new Error(`sim-boot on ${profile} exited ${booted.code}: ${booted.stderr}`);
  }
  return host;
}

/**
 * For one test file: a function booting hosts of a profile (bootedHost), each removed once the
 * file's tests are done.
 */
export function bootedHostsOfFile(): (profile: string) => HostSandbox {
  const hosts: HostSandbox[] = [];
  afterAll(() => {
    for (const host of hosts) host.dispose();
  });
  return (profile) => {
    const host = bootedHost(profile);
    hosts.push(host);
    return host;
  };
}
