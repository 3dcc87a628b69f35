// A fleet's slot, cgroup and mount-namespace numbers pass to the next fleet once it is down. A
// repeated or stale `down` of the old directory must not touch the fleet that took them over —
// parallel test files start and stop fleets all the time.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { downFleet } from '../../../sim/infra/down.js';
import { upFleet, type UpResult } from '../../../sim/infra/up.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) {
    await downFleet(dir).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
});

async function fleet(): Promise<{ dir: string; result: UpResult }> {
  const dir = await mkdtemp(join(tmpdir(), 'beastie-stale-'));
  dirs.push(dir);
  return { dir, result: await upFleet({ dir, hosts: 1, profile: 'seed', rebootDownSeconds: 1, quiet: true }) };
}

const answers = (dir: string, host: { readonly address: string; readonly port: number }) => {
  try {
    return execFileSync('ssh', ['-i', `${dir}/ssh/id_ed25519`, '-o', `UserKnownHostsFile=${dir}/ssh/known_hosts`, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-p', String(host.port), `root@${host.address}`, 'hostname'], { encoding: 'utf8', timeout: 15_000 }).trim();
  } catch {
    return 'unreachable';
  }
};

describe('down of a fleet that is already down', () => {
  it('leaves the fleet that took over its slot running', async () => {
    const old = await fleet();
    await downFleet(old.dir);
    const fresh = await fleet();
    const host = fresh.result.hosts[0];
    if (!host) throw new Error('no host in the new fleet');
    expect(answers(fresh.dir, host)).toBe('sim01');
    await downFleet(old.dir);
    expect(answers(fresh.dir, host)).toBe('sim01');
  }, 120_000);
});
