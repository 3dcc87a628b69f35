// Machine-wide allocation of address blocks: fleet slot S owns 127.S.0.0/16, so fleets started at
// the same time (parallel test files, several engineers) never fight over an address. A slot is
// a directory under /run/beastie-sim/slots holding its owner's record. Claims take turns under one
// lock: a claim is several steps (is the slot there, is its owner alive, reclaim it, does anything
// answer at its address), and two claimers interleaving them handed one slot to two fleets — the
// second's reclaim deleted the first's fresh claim, then its `up` emptied the slot's cgroup, killing
// the first fleet's hosts, and its hosts took over their addresses.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FLEET_SLOTS, hostAddress, SSH_PORT } from './fleet-plan.js';
import { readHolderRecord, holderIsAlive } from './holder.js';
import { isAlive } from './namespace-processes.js';
import { readsSshBanner } from './ssh-banner.js';
import { SimError } from './sim-error.js';

/** Where slots are claimed; /run is per boot, so a machine restart frees them all. */
export const SLOTS_DIR = '/run/beastie-sim/slots';

/** Who holds a slot: the fleet's DIR and the pid of the `up` that claimed it. */
interface SlotOwner {
  readonly dir: string;
  readonly pid: number;
}

async function readOwner(slotDir: string): Promise<SlotOwner | undefined> {
  try {
    const value = JSON.parse(await readFile(join(slotDir, 'owner.json'), 'utf8')) as Partial<SlotOwner>;
    if (typeof value.dir === 'string' && typeof value.pid === 'number') return { dir: value.dir, pid: value.pid };
  } catch {
    // Missing or being written.
  }
  return undefined;
}

/** A slot is in use while its `up` runs or any holder of its fleet lives. */
async function ownerIsActive(owner: SlotOwner): Promise<boolean> {
  if (isAlive(owner.pid)) return true;
  let names: string[];
  try {
    names = await readdir(join(owner.dir, 'hosts'));
  } catch {
    return false;
  }
  for (const name of names) {
    const holder = await readHolderRecord(join(owner.dir, 'hosts', name, 'holder.json')).catch(() => undefined);
    if (holder && holderIsAlive(holder)) return true;
  }
  return false;
}

/**
 * Run `work` holding an exclusive flock(2) on `lockFile`. The lock is held by a flock(1) child
 * that lives until its stdin closes, so a claimer that dies mid-claim frees the lock with it (the
 * kernel drops a dead process's locks): no stale lock to judge, unlike a lock file or directory.
 */
async function withLock<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  const holder = spawn('flock', ['--exclusive', lockFile, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  holder.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(holder, 'exit');
  const locked = new Promise<void>((resolve, reject) => {
    holder.stdout.setEncoding('utf8').once('data', () => resolve());
    holder.once('error', (error) => reject(new SimError(`flock ${lockFile}: ${error.message}`)));
    exited.then(([code]) => reject(new SimError(`flock ${lockFile} exited ${String(code)} before locking: ${stderr.trim()}`)), reject);
  });
  try {
    await locked;
    return await work();
  } finally {
    holder.stdin.end();
    if (holder.exitCode === null && holder.signalCode === null) await exited.catch(() => undefined);
  }
}

/** Claim the lowest free slot for `dir`; stale slots (owner gone) are reclaimed. */
export async function claimSlot(dir: string, slotsDir = SLOTS_DIR): Promise<number> {
  await mkdir(slotsDir, { recursive: true });
  return withLock(join(slotsDir, 'claim.lock'), () => claimUnderLock(dir, slotsDir));
}

async function claimUnderLock(dir: string, slotsDir: string): Promise<number> {
  for (let slot = 0; slot < FLEET_SLOTS; slot += 1) {
    const slotDir = join(slotsDir, String(slot));
    try {
      await mkdir(slotDir);
    } catch {
      const owner = await readOwner(slotDir);
      if (owner === undefined || (await ownerIsActive(owner))) continue;
      await rm(slotDir, { recursive: true, force: true });
      try {
        await mkdir(slotDir);
      } catch {
        continue;
      }
    }
    // Something not ours may still answer there (a fleet whose DIR was deleted without `down`).
    if (await readsSshBanner(hostAddress(slot, 1), SSH_PORT, 500)) {
      await rm(slotDir, { recursive: true, force: true });
      continue;
    }
    await writeFile(join(slotDir, 'owner.json'), `${JSON.stringify({ dir, pid: process.pid })}\n`);
    return slot;
  }
  throw new SimError(`no free fleet slot in ${slotsDir}: ${FLEET_SLOTS} fleets are running`);
}

/** Whether `dir` still holds `slot` (a slot, and with it its cgroup, passes to the next fleet once free). */
export async function slotIsHeldBy(slot: number, dir: string): Promise<boolean> {
  return (await readOwner(join(SLOTS_DIR, String(slot))))?.dir === dir;
}

/** Give `slot` back, if `dir` holds it. */
export async function releaseSlot(slot: number, dir: string): Promise<void> {
  const slotDir = join(SLOTS_DIR, String(slot));
  const owner = await readOwner(slotDir);
  if (owner?.dir === dir) await rm(slotDir, { recursive: true, force: true });
}
