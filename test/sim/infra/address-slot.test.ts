// Slots are claimed by fleets starting at the same moment (parallel test files, several
// engineers): however their claims interleave, each slot has one owner. A slot left by a fleet
// that died is reclaimed by exactly one of them.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimSlot } from '../../../sim/infra/address-slot.js';

let slotsDir: string;
afterEach(async () => {
  await rm(slotsDir, { recursive: true, force: true });
});

/** A pid no process has: past the kernel's pid_max. */
const DEAD_PID = 2 ** 22 + 1;

/**
 * A slot whose fleet died: its `up` is gone and so are its hosts' holders. The fleet's directory
 * has `hosts` host records, so judging it dead takes a claimer longer the more it has — claimers
 * reach the slot at different times, as on a busy machine.
 */
async function staleSlot(slot: number, hosts: number): Promise<void> {
  const fleetDir = join(slotsDir, `dead-fleet-${slot}`);
  for (let i = 1; i <= hosts; i += 1) {
    await mkdir(join(fleetDir, 'hosts', `sim${i}`), { recursive: true });
    await writeFile(join(fleetDir, 'hosts', `sim${i}`, 'holder.json'), `${JSON.stringify({ pid: DEAD_PID, mountNamespace: 'mnt:[1]' })}\n`);
  }
  await mkdir(join(slotsDir, String(slot)));
  await writeFile(join(slotsDir, String(slot), 'owner.json'), `${JSON.stringify({ dir: fleetDir, pid: DEAD_PID })}\n`);
}

describe('claimSlot', () => {
  it('gives fleets claiming at the same moment distinct slots, a dead fleet\'s slots to one of them each', async () => {
    // Several rounds: how the claims interleave differs from one round to the next.
    for (let round = 0; round < 5; round += 1) {
      slotsDir = await mkdtemp(join(tmpdir(), 'beastie-slots-'));
      for (let slot = 0; slot < 4; slot += 1) await staleSlot(slot, 1 + slot * 7);
      const dirs = Array.from({ length: 8 }, (_, i) => `/tmp/fleet-${i}`);
      const slots = await Promise.all(dirs.map((dir) => claimSlot(dir, slotsDir)));
      expect(new Set(slots).size, `round ${round}: slots ${slots.join(' ')}`).toBe(dirs.length);
      for (const [i, slot] of slots.entries()) {
        const owner = JSON.parse(await readFile(join(slotsDir, String(slot), 'owner.json'), 'utf8')) as { dir: string };
        expect(owner.dir, `round ${round}, slot ${slot}`).toBe(dirs[i]);
      }
      await rm(slotsDir, { recursive: true, force: true });
    }
  }, 60_000);
});
