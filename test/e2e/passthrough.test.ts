// Issue 5's passthrough checks on one simulated seed host: the seed's two failures when a step
// is left out (the tool's real error under the task), then the full playbook leaves the guest
// running with igb0 in its console, and a second run changes nothing; the failures explain
// themselves, and `beastie doctor` finds their causes first and the finished host clean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBeastie, recapOf, taskResults, type CliRun } from '../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';

const explain = (run: CliRun) => `exit ${run.exitCode}\n${run.stderr}\n${run.stdout.slice(-4000)}`;
const failure = (run: CliRun) => taskResults(run).find((e) => e['status'] === 'failed');

describe('passthrough.yml after bhyve-jail.yml on a seed host', () => {
  let fleet: TestFleet;
  const play = (playbook: string, ...extra: string[]) => runBeastie(['play', playbook, '-i', fleet.inventory, '--json', ...extra], { timeoutMs: 600_000 });

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 1, profile: 'seed' });
    const setup = await play('playbooks/bhyve-jail.yml');
    if (setup.exitCode !== 0) throw new Error(`bhyve-jail.yml failed: ${explain(setup)}`);
  }, 600_000);
  afterAll(async () => {
    await fleet?.down();
  });

  it("securelevel 2 in the jail: bhyve: failed to open /dev/pci: Operation not permitted", async () => {
    const run = await play('playbooks/passthrough.yml', '-e', '{"apply_kernel_patch": false, "jail_securelevel": 2}');
    expect(run.exitCode, explain(run)).toBe(2);
    expect(failure(run)?.['task']).toMatch(/^guest test gets the device/);
    expect(String(failure(run)?.['msg'])).toContain('bhyve: failed to open /dev/pci: Operation not permitted');
    // The failure explains itself, and doctor names the same cause before anything is run again.
    expect(failure(run)?.['explanation']).toMatchObject({ id: 'bhyve-pci-eperm' });
    const doctor = await runBeastie(['doctor', '-i', fleet.inventory, '--json']);
    const ids = ((doctor.events.find((e) => e.event === 'doctor_host')?.['findings'] ?? []) as { id: string }[]).map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['jail-securelevel', 'kernel-jail-priv']));
    expect(doctor.exitCode).toBe(2);
  }, 600_000);

  it('securelevel -1 but no kernel patch: bhyve: failed to open /dev/io: Operation not permitted', async () => {
    const run = await play('playbooks/passthrough.yml', '-e', '{"apply_kernel_patch": false}');
    expect(run.exitCode, explain(run)).toBe(2);
    expect(String(failure(run)?.['msg'])).toContain('bhyve: failed to open /dev/io: Operation not permitted');
    expect(failure(run)?.['explanation']).toMatchObject({ id: 'bhyve-io-eperm' });
  }, 600_000);

  it('the whole playbook: the guest runs with igb0 passed through, and a second run changes nothing', async () => {
    const run = await play('playbooks/passthrough.yml');
    expect(run.exitCode, explain(run)).toBe(0);
    const console = await fleet.ssh('sim01', '. /var/sim/run/vmm/test && cat "$vmm_console"');
    expect(console.stdout).toMatch(/^igb0: <Intel\(R\) PRO\/1000 PCI-Express Network Driver> .* on pci0$/m);
    const pci = await fleet.ssh('sim01', 'pciconf -l');
    expect(pci.stdout).toMatch(/^ppt0@pci0:1:0:0:/m);
    expect((await fleet.ssh('sim01', 'sysctl -n kern.bootfile')).stdout.trim()).toBe('/boot/kernel.patched/kernel');
    expect((await fleet.ssh('sim01', 'jexec bhyve vm list')).stdout).toMatch(/^test\s.*Running \(\d+\)\s*$/m);
    const again = await play('playbooks/passthrough.yml');
    expect(again.exitCode, explain(again)).toBe(0);
    expect(recapOf(again)['sim01']?.changed).toBe(0);
    // A host set up by bhyve-jail.yml + passthrough.yml is reported clean.
    const doctor = await runBeastie(['doctor', '-i', fleet.inventory, '--json']);
    expect(doctor.events.find((e) => e.event === 'doctor_host')?.['findings'], doctor.stdout).toEqual([]);
    expect(doctor.exitCode).toBe(0);
  }, 900_000);
});
