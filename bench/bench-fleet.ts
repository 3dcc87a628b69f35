// The simulated fleet the benchmark drives: brought up once with `npm run sim -- up` at the largest
// host count, then used in prefixes (sim001…simN) through inventories of the first N hosts.
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import { downFleet } from '../sim/infra/down.js';
import { upFleet } from '../sim/infra/up.js';
import { createGroup, moveToGroup } from './cgroup.js';

/** One host as fleet.json records it. */
export interface BenchHost {
  readonly name: string;
  readonly address: string;
  readonly port: number;
}

/** A running fleet. */
export interface BenchFleet {
  readonly dir: string;
  readonly hosts: readonly BenchHost[];
  /** The group whose cpu.stat is the fleet's CPU time. */
  readonly cpuGroup: string;
  /** Whether `cpuGroup` is the fleet's own (from `sim up`) or one the benchmark made for its sshd listeners. */
  readonly cpuGroupOwner: 'sim' | 'bench';
  readonly clientKey: string;
  readonly knownHosts: string;
  /** DIR/hosts/simK/sshd.log. */
  sshdLog(host: BenchHost): string;
  /** An inventory of the first `count` hosts (group `sim`), written once per count. */
  inventory(count: number): Promise<string>;
  /** The OpenSSH client's arguments for `host`, up to and including `root@ADDR`. */
  sshArgs(host: BenchHost, extra?: readonly string[]): string[];
}

/** The project root (bench/..). */
export const PROJECT_ROOT = join(import.meta.dirname, '..');

/** Run a command, rejecting with its stderr when it fails. */
export function runChecked(argv: readonly string[], options: { cwd?: string; input?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] ?? 'false', argv.slice(1), { cwd: options.cwd ?? PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (code === 0) resolve(stdout);
      else reject(new Error(`${argv.join(' ')} exited ${code}: ${Buffer.concat(err).toString('utf8').slice(-2000)}`));
    });
    child.stdin.end(options.input ?? '');
  });
}

interface FleetRecordFile {
  readonly hosts: readonly BenchHost[];
  readonly cgroup?: string;
}

/**
 * Bring up `count` seed hosts in `dir`, and make every host's sshd log at DEBUG1 (one line per
 * channel opened, which is how the benchmark counts exec round trips on the server side).
 */
export async function startBenchFleet(dir: string, count: number, benchGroupName: string): Promise<BenchFleet> {
  await simUp(dir, count);
  const record = JSON.parse(await readFile(join(dir, 'fleet.json'), 'utf8')) as FleetRecordFile;
  const hosts = record.hosts.map(({ name, address, port }) => ({ name, address, port }));
  await Promise.all(hosts.map((host) => raiseSshdLogLevel(dir, host)));
  let cpuGroup = record.cgroup;
  let owner: BenchFleet['cpuGroupOwner'] = 'sim';
  if (cpuGroup === undefined) {
    // The fleet made no group of its own: put its sshd listeners in one; sessions are their children.
    cpuGroup = await createGroup(`${benchGroupName}/fleet`);
    owner = 'bench';
    for (const host of hosts) await moveToGroup(cpuGroup, await sshdPid(dir, host));
  }
  const inventories = new Map<number, string>();
  const sourceInventory = parse(await readFile(join(dir, 'inventory.yml'), 'utf8')) as InventoryFile;
  const clientKey = join(dir, 'ssh', 'id_ed25519');
  const knownHosts = join(dir, 'ssh', 'known_hosts');
  return {
    dir,
    hosts,
    cpuGroup,
    cpuGroupOwner: owner,
    clientKey,
    knownHosts,
    sshdLog: (host) => join(dir, 'hosts', host.name, 'sshd.log'),
    async inventory(n) {
      const known = inventories.get(n);
      if (known !== undefined) return known;
      const file = join(dir, `bench-inventory-${n}.yml`);
      const all = sourceInventory.all.children.sim.hosts;
      const subset = Object.fromEntries(hosts.slice(0, n).map((host) => [host.name, all[host.name]]));
      await writeFile(file, stringify({ all: { children: { sim: { hosts: subset } } } }, { lineWidth: 0 }));
      inventories.set(n, file);
      return file;
    },
    sshArgs: (host, extra = []) => [
      'ssh',
      '-i', clientKey,
      '-o', `UserKnownHostsFile=${knownHosts}`,
      '-o', 'StrictHostKeyChecking=yes',
      '-o', 'BatchMode=yes',
      '-o', 'ConnectTimeout=20',
      ...extra,
      '-p', String(host.port),
      `root@${host.address}`,
    ],
  };
}

/** Attempts at `sim up` before giving up: a large fleet on a loaded machine sometimes loses a host at its first boot. */
const UP_ATTEMPTS = 3;

/**
 * `sim up`, retried on a clean directory when it fails. In process (the sim's own up/down, not its
 * CLI through tsx: two tsx start-ups were most of the smoke test's controller CPU); the hosts run
 * under the fleet's supervisor and cgroup either way.
 */
async function simUp(dir: string, count: number): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await upFleet({ dir, hosts: count, profile: 'seed', quiet: true });
      return;
    } catch (error) {
      await downFleet(dir).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
      if (attempt >= UP_ATTEMPTS) throw error;
      process.stderr.write(`bench: sim up of ${count} hosts failed (attempt ${attempt} of ${UP_ATTEMPTS}), retrying: ${String(error).slice(0, 400)}\n`);
    }
  }
}

/** Stop the fleet. */
export async function stopBenchFleet(dir: string): Promise<void> {
  await downFleet(dir);
}

interface InventoryFile {
  readonly all: { readonly children: { readonly sim: { readonly hosts: Record<string, unknown> } } };
}

async function sshdPid(dir: string, host: BenchHost): Promise<number> {
  const text = await readFile(join(dir, 'hosts', host.name, 'run', 'sshd.pid'), 'utf8');
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${host.name}: sshd.pid holds ${JSON.stringify(text)}`);
  return pid;
}

/**
 * `LogLevel DEBUG1` in the host's sshd_config, then SIGHUP (sshd re-execs itself and rereads it).
 * The fleet's CLI has no log-level option yet; this edits only the config file of the fleet the
 * benchmark itself started, in its own directory.
 */
async function raiseSshdLogLevel(dir: string, host: BenchHost): Promise<void> {
  const file = join(dir, 'hosts', host.name, 'sshd_config');
  const config = await readFile(file, 'utf8');
  if (!/^LogLevel /m.test(config)) throw new Error(`${file}: no LogLevel line to raise`);
  await writeFile(file, config.replace(/^LogLevel .*$/m, 'LogLevel DEBUG1'));
  const log = join(dir, 'hosts', host.name, 'sshd.log');
  const listening = async () => (await readFile(log, 'utf8').catch(() => '')).split('Server listening on').length;
  const before = await listening();
  process.kill(await sshdPid(dir, host), 'SIGHUP');
  const deadline = Date.now() + 10_000;
  while ((await listening()) <= before) {
    if (Date.now() > deadline) throw new Error(`${host.name}: sshd did not listen again within 10 s of SIGHUP (${log})`);
    await sleep(20);
  }
}
