// `npm run sim -- up`: start N simulated FreeBSD hosts, each a real sshd in its own mount + UTS
// namespace, and return once every one accepts SSH (issue 4 contract).
import { access, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PQueue from 'p-queue';
import { claimSlot, releaseSlot } from './address-slot.js';
import { createFleetCgroup, createHostCgroups, hostCgroups, killCgroup } from './fleet-cgroup.js';
import { generateEd25519KeyPair } from './ed25519-key.js';
import { checkFleetPath } from './fleet-dir.js';
import { DEFAULT_BOOT_SCRIPT, fleetPaths, hostPaths, OVERLAID_DIRS, POOL_MOUNT } from './fleet-layout.js';
import { parseProfileMix, planHosts, type HostPlan } from './fleet-plan.js';
import { writeFleetRecord, type FleetRecord } from './fleet-record.js';
import { startHolder, writeHolderRecord } from './holder.js';
import { writeHostFiles } from './host-files.js';
import { powerOn, type RunningHost } from './host-power.js';
import { knownHostsLine, renderInventory } from './inventory.js';
import { rootFsOf } from './fresh-install.js';
import { writeKernJailStandIns } from './kern-jail-standin.js';
import { renderMountScript } from './mount-script.js';
import { downFleet } from './down.js';
import { clearStoppedFleet } from './stopped-fleet.js';
import { loadProfileEnv, profileDir, type ProfileName } from './profile.js';
import { createProgress } from './progress.js';
import { SimError } from './sim-error.js';
import { startSupervisor } from './supervisor-process.js';
import { syncTools } from './tools-sync.js';

/** The project's sim/ directory: profiles and tools come from here. */
export const SIM_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** `up`'s arguments. */
export interface UpOptions {
  readonly dir: string;
  /** `--hosts N`; may be left out when `profile` is a mix with counts. */
  readonly hosts?: number;
  /** `--profile`: a name or `name:count,…` (default `seed`). */
  readonly profile?: string;
  /** How long a rebooting host stays down (default 2 s, or $SIM_REBOOT_DOWN_SECONDS). */
  readonly rebootDownSeconds?: number;
  /** The boot script, a path inside the hosts; infra tests replace the host tools' sim-boot with their own. */
  readonly bootScript?: string;
  /** How many hosts start at once. */
  readonly concurrency?: number;
  /** Whether to report progress and warnings on stderr. */
  readonly quiet?: boolean;
  /** Aborting stops starting hosts; `up` then stops what it started and rejects. */
  readonly signal?: AbortSignal;
}

/** What `up` started. */
export interface UpResult {
  readonly dir: string;
  readonly inventory: string;
  readonly hosts: readonly HostPlan[];
  readonly durationMs: number;
}

/** The default down time of a reboot: $SIM_REBOOT_DOWN_SECONDS, else 2 s (sim/CONTRACT.md). */
export function defaultRebootDownSeconds(): number {
  const value = process.env['SIM_REBOOT_DOWN_SECONDS'];
  return value === undefined || value === '' ? 2 : Number(value);
}

async function checkTools(): Promise<void> {
  for (const tool of ['/usr/sbin/sshd', '/usr/bin/unshare', '/usr/bin/nsenter']) {
    try {
      await access(tool, constants.X_OK);
    } catch {
      throw new SimError(`${tool} is missing; run scripts/setup-test-deps.sh (openssh-server, util-linux)`);
    }
  }
  if (process.getuid?.() !== 0) throw new SimError('the simulated fleet needs root (mount and UTS namespaces, overlayfs)');
}

/** Which overlaid dirs a profile's root/ layer has. */
async function profileLayers(profile: ProfileName): Promise<Set<string>> {
  const layers = new Set<string>();
  for (const dir of OVERLAID_DIRS) {
    const isDir = await stat(join(profileDir(SIM_ROOT, profile), 'root', dir.path)).then((s) => s.isDirectory(), () => false);
    if (isDir) layers.add(dir.path);
  }
  return layers;
}

/** Start a fleet; on any failure everything already started is stopped again. */
export async function upFleet(options: UpOptions): Promise<UpResult> {
  const started = Date.now();
  const say = (line: string) => {
    if (!options.quiet) process.stderr.write(`${line}\n`);
  };
  await checkTools();
  const dir = checkFleetPath(options.dir, 'DIR');
  checkFleetPath(SIM_ROOT, 'the project directory');
  // the profile layers' generated files, before any host mounts them
  await writeKernJailStandIns(SIM_ROOT);
  const mix = parseProfileMix(options.profile ?? 'seed', options.hosts);
  const rebootDownSeconds = options.rebootDownSeconds ?? defaultRebootDownSeconds();
  if (!Number.isFinite(rebootDownSeconds) || rebootDownSeconds < 0) {
    throw new SimError(`--reboot-down-seconds must be a number ≥ 0, got ${String(rebootDownSeconds)}`);
  }
  const bootScript = options.bootScript ?? DEFAULT_BOOT_SCRIPT;
  if (!bootScript.startsWith('/')) throw new SimError(`--boot-script must be an absolute path inside the hosts, got ${bootScript}`);

  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) {
    const hosts = await clearStoppedFleet(dir);
    say(`sim: ${dir} held a fleet of ${hosts} host(s) that \`down\` stopped; a new fleet takes its place`);
  }
  for (const mountPoint of ['/boot', '/usr/src', '/usr/ports']) {
    if (!(await stat(mountPoint).then((s) => s.isDirectory(), () => false))) {
      say(`sim: creating the empty directory ${mountPoint} on this machine (hosts mount their own over it)`);
      await mkdir(mountPoint, { recursive: true });
    }
  }

  const profiles = new Map<ProfileName, { values: Map<string, string>; layers: Set<string> }>();
  for (const { profile } of mix) {
    if (!profiles.has(profile)) profiles.set(profile, { values: await loadProfileEnv(SIM_ROOT, profile), layers: await profileLayers(profile) });
  }

  if ([...profiles.values()].some(({ values }) => rootFsOf(values) === 'zfs') && !(await stat(POOL_MOUNT).then((s) => s.isDirectory(), () => false))) {
    say(`sim: creating the empty directory ${POOL_MOUNT} on this machine (root-on-ZFS hosts mount their own over it)`);
    await mkdir(POOL_MOUNT, { recursive: true });
  }

  const paths = fleetPaths(dir);
  const slot = await claimSlot(dir);
  const hosts = planHosts(mix, slot);
  try {
    const cgroup = await createFleetCgroup(slot);
    // A group left by a fleet that was never taken down (its slot is ours now): empty it.
    if (cgroup) await killCgroup(cgroup);
    else say('sim: warning: no writable cgroup2 here; host processes are tracked by mount namespace only');
    const record: FleetRecord = { version: 1, dir, simRoot: SIM_ROOT, slot, rebootDownSeconds, bootScript, hosts, ...(cgroup === undefined ? {} : { cgroup }), state: 'starting' };
    await writeFleetRecord(paths.record, record);
    await mkdir(paths.sshDir, { recursive: true, mode: 0o700 });
    await mkdir(paths.emptyDir, { recursive: true });
    const client = generateEd25519KeyPair('beastie-sim-client');
    await writeFile(paths.clientKey, client.privateKey, { mode: 0o600 });
    await writeFile(paths.clientPublicKey, `${client.publicKey}\n`);
    await writeFile(paths.authorizedKeys, `${client.publicKey}\n`);
    const sync = await syncTools(join(SIM_ROOT, 'tools'), paths.tools);
    if (sync.clashes.length > 0) say(`sim: warning: host and jail tools both provide ${sync.clashes.join(', ')}; using the host tools'`);

    const publicKeys = new Map<string, string>();
    const skippedBoots: string[] = [];
    const progress = options.quiet ? undefined : createProgress(hosts.length, 'hosts up');
    const queue = new PQueue({ concurrency: options.concurrency ?? 12 });
    const startOne = async (plan: HostPlan) => {
      if (options.signal?.aborted) throw new SimError('interrupted', { host: plan.name });
      const profile = profiles.get(plan.profile);
      if (!profile) throw new SimError(`profile ${plan.profile} not loaded`, { host: plan.name });
      const host = hostPaths(dir, plan.name);
      publicKeys.set(plan.name, await writeHostFiles(plan, host, profile.values, paths.authorizedKeys));
      const script = renderMountScript({
        hostname: plan.name,
        paths: host,
        profileRoot: join(profileDir(SIM_ROOT, plan.profile), 'root'),
        profileLayers: profile.layers,
        toolsDir: paths.tools,
        emptyDir: paths.emptyDir,
        zfsRoot: rootFsOf(profile.values) === 'zfs',
      });
      const cgroups = cgroup ? hostCgroups(cgroup, plan.name) : undefined;
      if (cgroups) await createHostCgroups(cgroups);
      const holder = await startHolder(plan.name, script, cgroups?.holder);
      await writeHolderRecord(host.holder, holder);
      const running: RunningHost = { plan, paths: host, holder, bootScript, ...(cgroups === undefined ? {} : { cgroups }) };
      const { record: state, boot } = await powerOn(running, 0);
      if (boot.kind === 'skipped') skippedBoots.push(plan.name);
      if (state.state !== 'up') throw new SimError(`did not come up at its first boot: ${state.detail ?? state.state}`, { host: plan.name });
      progress?.tick();
    };
    const failures: unknown[] = [];
    for (const plan of hosts) {
      void queue.add(() => startOne(plan)).catch((error: unknown) => {
        failures.push(error);
        queue.clear();
      });
    }
    await queue.onIdle();
    if (failures.length > 0) throw failures[0];
    if (skippedBoots.length > 0) {
      say(`sim: warning: ${bootScript} does not exist yet; ${skippedBoots.length} host(s) booted without it`);
    }

    await writeFile(paths.knownHosts, hosts.map((h) => `${knownHostsLine(h, publicKeys.get(h.name) ?? '')}\n`).join(''));
    await writeFile(paths.inventory, renderInventory({ hosts, clientKey: paths.clientKey, knownHosts: paths.knownHosts }));
    const supervisorPid = await startSupervisor(paths, cgroup);
    await writeFleetRecord(paths.record, { ...record, supervisorPid, state: 'running' });
    progress?.finish(`${hosts.length} hosts up in ${dir} (inventory: ${paths.inventory})`);
    return { dir, inventory: paths.inventory, hosts, durationMs: Date.now() - started };
  } catch (error) {
    say(`sim: up failed; stopping what started`);
    await downFleet(dir).catch((cleanupError: unknown) => {
      say(`sim: cleanup after the failed up also failed: ${String(cleanupError)}`);
    });
    await releaseSlot(slot, dir);
    throw error;
  }
}
