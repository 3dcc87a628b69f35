// For tests that need simulated FreeBSD hosts: bring up N hosts of a profile in a temporary
// directory, talk to them with the plain OpenSSH client, and stop them again.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downFleet } from '../../sim/infra/down.js';
import type { HostPlan } from '../../sim/infra/fleet-plan.js';
import { fleetPaths, hostPaths } from '../../sim/infra/fleet-layout.js';
import { readHolderRecord } from '../../sim/infra/holder.js';
import { insideHost } from '../../sim/infra/host-power.js';
import { runProcess, type ProcessResult } from '../../sim/infra/run-process.js';
import { upFleet } from '../../sim/infra/up.js';

/** What to start: `profile` is a name or a mix such as `seed:2,current:1`. */
export interface FleetOptions {
  readonly hosts: number;
  readonly profile?: string;
  /** Seconds a rebooting host stays down (default 1 in tests, to keep them quick). */
  readonly rebootDownSeconds?: number;
  /** Replace the host tools' sim-boot (a path inside the hosts). */
  readonly bootScript?: string;
}

/** A running test fleet. */
export interface TestFleet {
  readonly dir: string;
  /** DIR/inventory.yml. */
  readonly inventory: string;
  readonly hosts: readonly HostPlan[];
  /** The OpenSSH client command line for a host, up to and including `root@ADDR`; append the remote command. */
  sshArgs(host: HostPlan | string): string[];
  /** Run `command` on a host with the plain OpenSSH client; resolves whatever the exit code. */
  ssh(host: HostPlan | string, command: string, timeoutMs?: number): Promise<ProcessResult>;
  /**
   * A path inside a running host, reachable from the test process through the host's own view
   * (`/proc/<holder>/root/…`): write test hooks such as /var/sim/control/hang-kernels here, never
   * in DIR/hosts/simK/upper/ (sim/CONTRACT.md).
   */
  hostPath(host: HostPlan | string, path: string): Promise<string>;
  /** Stop every process of the fleet and remove its directory. */
  down(): Promise<void>;
}

/** Bring up a fleet in a fresh temporary directory. */
export async function startFleet(options: FleetOptions): Promise<TestFleet> {
  const dir = await mkdtemp(join(tmpdir(), 'beastie-fleet-'));
  let result;
  try {
    result = await upFleet({
      dir,
      hosts: options.hosts,
      ...(options.profile === undefined ? {} : { profile: options.profile }),
      rebootDownSeconds: options.rebootDownSeconds ?? 1,
      ...(options.bootScript === undefined ? {} : { bootScript: options.bootScript }),
      quiet: true,
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const paths = fleetPaths(dir);
  const find = (host: HostPlan | string): HostPlan => {
    if (typeof host !== 'string') return host;
    const found = result.hosts.find((h) => h.name === host);
    if (!found) throw new Error(`no host ${host} in the test fleet (${result.hosts.map((h) => h.name).join(', ')})`);
    return found;
  };
  const sshArgs = (host: HostPlan | string): string[] => {
    const plan = find(host);
    return [
      'ssh',
      '-i', paths.clientKey,
      '-o', `UserKnownHostsFile=${paths.knownHosts}`,
      '-o', 'StrictHostKeyChecking=yes',
      '-o', 'BatchMode=yes',
      '-o', 'ConnectTimeout=5',
      '-p', String(plan.port),
      `root@${plan.address}`,
    ];
  };
  return {
    dir,
    inventory: result.inventory,
    hosts: result.hosts,
    sshArgs,
    ssh: (host, command, timeoutMs = 30_000) => runProcess([...sshArgs(host), command], { timeoutMs }),
    async hostPath(host, path) {
      const plan = find(host);
      const holder = await readHolderRecord(hostPaths(dir, plan.name).holder);
      if (!holder) throw new Error(`${plan.name} has no running holder`);
      return insideHost(holder, path.startsWith('/') ? path : `/${path}`);
    },
    async down() {
      try {
        await downFleet(dir);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
