// The command line exactly as the contract and the benchmark call it.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../../../sim/infra/run-process.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const FAKE_BOOT = join(import.meta.dirname, 'fixtures', 'fake-boot.sh');

function sim(...args: string[]) {
  return runProcess([process.execPath, '--import', 'tsx', join(ROOT, 'sim', 'cli.ts'), ...args], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/tmp' },
    timeoutMs: 120_000,
  });
}

describe('npm run sim --', () => {
  let dir = '';
  beforeAll(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'beastie-sim-cli-')), 'fleet');
  });
  afterAll(async () => {
    await sim('down', '--dir', dir);
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('refuses bad arguments with the usage and exit 2, before starting anything', async () => {
    const result = await sim('up', '--hosts', '2', '--dir', dir, '--colour', 'blue');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Unknown option '--colour'");
    expect(result.stderr).toContain('usage:');
    const profile = await sim('up', '--hosts', '2', '--dir', dir, '--profile', 'seed:1,openbsd:1');
    expect(profile.exitCode).toBe(1);
    expect(profile.stderr).toBe('sim: unknown profile "openbsd"; known: seed, current, novtx, bare, seedzfs, currentzfs, r13, r15\n');
  });

  it('up prints the inventory, status lists the hosts, power-cycle brings one back, down stops them', async () => {
    const up = await sim('up', '--hosts', '2', '--dir', dir, '--profile', 'bare:1,novtx:1', '--reboot-down-seconds', '0', '--boot-script', FAKE_BOOT);
    expect(up.exitCode).toBe(0);
    expect(up.stdout).toBe(`${join(dir, 'inventory.yml')}\n`);
    expect(up.stderr).toMatch(/sim: 2 hosts up in .* \(inventory: .*inventory\.yml\)/);
    expect(await readFile(join(dir, 'inventory.yml'), 'utf8')).toContain('sim02:');

    const status = await sim('status', '--dir', dir);
    expect(status.exitCode).toBe(0);
    const rows = status.stdout.trim().split('\n').map((line) => line.split(/\s+/));
    expect(rows[0]).toEqual(['HOST', 'ADDRESS', 'PROFILE', 'STATE', 'DETAIL']);
    expect(rows.slice(1, 3).map((row) => [row[0], row[2], row[3]])).toEqual([
      ['sim01', 'bare', 'up'],
      ['sim02', 'novtx', 'up'],
    ]);
    expect(rows[1]?.[1]).toMatch(/^127\.\d+\.1\.1:2222$/);
    expect(status.stdout).toContain('supervisor: running');

    const cycle = await sim('power-cycle', '--dir', dir, '--host', 'sim2');
    expect(cycle.stderr).toBe('');
    expect(cycle.stdout).toBe('sim02: up\n');
    expect(cycle.exitCode).toBe(0);
    const missing = await sim('power-cycle', '--dir', dir, '--host', 'sim9');
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('no host "sim9" in the fleet');

    const down = await sim('down', '--dir', dir);
    expect(down.exitCode).toBe(0);
    expect(down.stderr).toMatch(/^sim: stopped 2 host\(s\), \d+ process\(es\)\n$/);
    const after = await sim('status', '--dir', dir, '--json');
    const json = JSON.parse(after.stdout) as { supervisor: string; hosts: { state: string }[] };
    expect(json.supervisor).toBe('stopped');
    expect(json.hosts.map((h) => h.state)).toEqual(['down', 'down']);
  });

  it('up on the DIR of a fleet that down stopped starts a new fleet there; a running fleet or a foreign file keeps DIR refused', async () => {
    const again = await sim('up', '--hosts', '1', '--dir', dir, '--profile', 'bare', '--reboot-down-seconds', '0', '--boot-script', FAKE_BOOT);
    expect(again.stderr).toContain(`sim: ${dir} held a fleet of 2 host(s) that \`down\` stopped; a new fleet takes its place`);
    expect(again.exitCode, again.stderr).toBe(0);
    const status = JSON.parse((await sim('status', '--dir', dir, '--json')).stdout) as { hosts: { host: { name: string }; state: string }[] };
    expect(status.hosts.map((h) => [h.host.name, h.state])).toEqual([['sim01', 'up']]);
    const running = await sim('up', '--hosts', '1', '--dir', dir, '--profile', 'bare', '--boot-script', FAKE_BOOT);
    expect(running.exitCode).toBe(1);
    expect(running.stderr).toContain('is not empty: its fleet is running');
    expect((await sim('down', '--dir', dir)).exitCode).toBe(0);
    await writeFile(join(dir, 'notes.txt'), 'mine\n');
    const foreign = await sim('up', '--hosts', '1', '--dir', dir, '--profile', 'bare', '--boot-script', FAKE_BOOT);
    expect(foreign.exitCode).toBe(1);
    expect(foreign.stderr).toContain('besides a stopped fleet it holds notes.txt');
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  it('says there is no fleet where there is none', async () => {
    const result = await sim('status', '--dir', join(dir, '..', 'nothing'));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('no fleet here');
  });
});
