// Issue 5's end-to-end checks on the simulated fleet: the seed from an empty host to a running
// guest, a second run that changes nothing, --check that predicts the real run without touching
// the host, and the seed's failures when a step is left out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBeastie, recapOf, taskResults, type CliRun } from '../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { hostDigest } from '../helpers/host-digest.js';

const playbook = 'playbooks/bhyve-jail.yml';
const explain = (run: CliRun) => `exit ${run.exitCode}\n${run.stderr}\n${run.stdout.slice(-4000)}`;

describe('bhyve-jail.yml on a fresh seed host and a fresh current host', () => {
  let fleet: TestFleet;
  let first: CliRun;

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 2, profile: 'seed:1,current:1' });
    first = await runBeastie(['play', playbook, '-i', fleet.inventory, '--json']);
  }, 600_000);
  afterAll(async () => {
    await fleet?.down();
  });

  it('reaches a running guest in the VNET jail on both', async () => {
    expect(first.exitCode, explain(first)).toBe(0);
    for (const host of fleet.hosts) {
      const list = await fleet.ssh(host, 'jexec bhyve vm list');
      expect(list.stdout, `${host.name}: ${list.stderr}`).toMatch(/^test\s+default\s+bhyveload\s+2\s+4G\s+.*Running \(\d+\)\s*$/m);
      expect(recapOf(first)[host.name]).toMatchObject({ failed: 0, unreachable: 0 });
      expect(recapOf(first)[host.name]?.changed).toBeGreaterThan(5);
    }
  }, 600_000);

  it('says which Bastille it found on each host', () => {
    const notes = (host: string) => taskResults(first, host).flatMap((e) => (e['notes'] as string[] | undefined) ?? []).join('\n');
    expect(notes('sim01')).toMatch(/Bastille 0\.\d+\.\d+ \(0\.x/);
    expect(notes('sim02')).toMatch(/Bastille 1\.\d+\.\d+ \(1\.x\)/);
  }, 600_000);

  it('a second run changes nothing on any host', async () => {
    const second = await runBeastie(['play', playbook, '-i', fleet.inventory, '--json']);
    expect(second.exitCode, explain(second)).toBe(0);
    for (const [host, counts] of Object.entries(recapOf(second))) {
      expect(counts.changed, `${host}: ${taskResults(second, host).filter((e) => e['status'] === 'changed').map((e) => e['task']).join(', ')}`).toBe(0);
      expect(counts.failed).toBe(0);
    }
  }, 600_000);
});

describe('--check on a fresh host', () => {
  let fleet: TestFleet;
  beforeAll(async () => {
    fleet = await startFleet({ hosts: 1, profile: 'seed' });
  }, 120_000);
  afterAll(async () => {
    await fleet?.down();
  });

  it('changes no file and reports as changed exactly the tasks the real run then changes', async () => {
    const before = hostDigest(fleet, 'sim01');
    const check = await runBeastie(['play', playbook, '-i', fleet.inventory, '--json', '--check']);
    expect(check.exitCode, explain(check)).toBe(0);
    expect(hostDigest(fleet, 'sim01')).toBe(before);
    const real = await runBeastie(['play', playbook, '-i', fleet.inventory, '--json']);
    expect(real.exitCode, explain(real)).toBe(0);
    const changed = (run: CliRun) => taskResults(run, 'sim01').filter((e) => e['status'] === 'changed').map((e) => `${String(e['task'])}${e['item'] === undefined ? '' : ` (${JSON.stringify(e['item'])})`}`);
    expect(changed(check)).toEqual(changed(real));
  }, 600_000);
});

describe('leaving out a step fails where the seed failed, with the tool\'s own words', () => {
  let fleet: TestFleet;
  beforeAll(async () => {
    fleet = await startFleet({ hosts: 1, profile: 'current' });
  }, 120_000);
  afterAll(async () => {
    await fleet?.down();
  });

  it('without vmm loaded first, the jail with allow.vmm does not start: unknown parameter: allow.vmm', async () => {
    const run = await runBeastie(['play', 'test/fixtures/e2e/jail-without-vmm.yml', '-i', fleet.inventory, '--json']);
    const failed = taskResults(run).find((e) => e['status'] === 'failed');
    expect(failed?.['task'], explain(run)).toBe('the VNET jail may run bhyve');
    expect(String(failed?.['msg'])).toMatch(/unknown parameter: allow\.vmm/);
    expect(run.exitCode).toBe(2);
    const jls = await fleet.ssh('sim01', 'jls name');
    expect(jls.stdout).not.toMatch(/^bhyve$/m);
  }, 600_000);
});
