// Issue 14's re-run after upgrades, end to end on one simulated host: the seed's setup
// (bhyve-jail.yml, then passthrough.yml with the patched kernel) on 12.2, then upgrade.yml along
// the chain 12.2 → 13.5 → 14.3 → 15.0 through the simulated freebsd-update and pkg, which put each
// release's GENERIC into the running /boot/kernel.patched. After every step the roles converge
// again (the patched kernel rebuilt from that release's sources, if_tap swapped for if_tuntap in
// kld_list on 13.5, /dev/vmmctl unhidden for the jail on 15.0, the guest restarted with its
// device), and a second run changes nothing. One fleet and one seed run for the whole chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBeastie, recapOf, taskResults, type CliRun } from '../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';

const explain = (run: CliRun) => `exit ${run.exitCode}\n${run.stderr}\n${run.stdout.slice(-6000)}`;
/** The status of the task whose name starts with `prefix` (the first such result). */
const statusOf = (run: CliRun, prefix: string) => taskResults(run).find((e) => String(e['task']).startsWith(prefix))?.['status'];

describe('upgrade.yml: a seed host set up on 12.2, upgraded to 13.5, 14.3 and 15.0, converged again after each', () => {
  let fleet: TestFleet;
  let upgrade: CliRun;
  const play = (playbook: string, ...extra: string[]) => runBeastie(['play', playbook, '-i', fleet.inventory, '--json', ...extra], { timeoutMs: 900_000 });
  const upgradeTo = (release: string) => play('playbooks/upgrade.yml', '-e', `upgrade_release=${release}`);

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 1, profile: 'seed' });
    for (const playbook of ['playbooks/bhyve-jail.yml', 'playbooks/passthrough.yml']) {
      const setup = await play(playbook);
      if (setup.exitCode !== 0) throw new Error(`${playbook} failed: ${explain(setup)}`);
    }
    const before = await fleet.ssh('sim01', 'freebsd-version -kru; sysctl -n kern.bootfile; sysrc -n kld_list');
    if (before.stdout !== '12.2-RELEASE\n12.2-RELEASE\n12.2-RELEASE\n/boot/kernel.patched/kernel\nvmm nmdm if_bridge if_tap\n') {
      throw new Error(`unexpected seed setup: ${before.stdout}`);
    }
    upgrade = await play('playbooks/upgrade.yml');
  }, 1_800_000);
  afterAll(async () => {
    await fleet?.down();
  });

  it('upgrades kernel, userland and packages to 13.5 the way freebsd-update and pkg do', async () => {
    expect(upgrade.exitCode, explain(upgrade)).toBe(0);
    expect((await fleet.ssh('sim01', 'freebsd-version -kru')).stdout).toBe('13.5-RELEASE\n13.5-RELEASE\n13.5-RELEASE\n');
    // freebsd-update backed up the running kernel's directory (the 12.2 patched kernel) and left /boot/kernel at 12.2
    const boot = await fleet.ssh('sim01', 'head -n 1 /boot/kernel.old/kernel; head -n 1 /boot/kernel/kernel');
    expect(boot.stdout).toMatch(/^# @\(#\)FreeBSD 12\.2-RELEASE #\d+: .*\n# @\(#\)FreeBSD 12\.2-RELEASE r366954 GENERIC\n$/);
    const pkg = await fleet.ssh('sim01', 'pkg info bastille');
    expect(pkg.stdout).toMatch(/^Architecture {4}: FreeBSD:13:amd64$/m);
    expect(pkg.stderr).not.toContain('Major OS version upgrade detected');
    for (const task of ['the new kernel is installed', 'the host runs the new kernel', 'the new world is installed', 'every package is reinstalled', 'the old shared libraries are removed']) {
      expect(statusOf(upgrade, task), task).toBe('changed');
    }
  });

  it('the roles rebuild the patched kernel from 13.5 sources, swap if_tap for if_tuntap, and the guest runs with igb0', async () => {
    expect(statusOf(upgrade, 'jails may use PRIV_IO')).toBe('changed');
    expect(statusOf(upgrade, 'the bridge and tap drivers')).toBe('changed');
    const kernel = await fleet.ssh('sim01', '. /var/sim/run/kernel; echo "$kernel_name $kernel_osrelease $kernel_jail_patch"; sysrc -n kld_list');
    expect(kernel.stdout).toBe('kernel.patched 13.5-RELEASE yes\nvmm nmdm if_bridge if_tuntap\n');
    expect((await fleet.ssh('sim01', 'cat /boot/kernel.patched/beastie.patch-sha256')).stdout).toMatch(/^source=FreeBSD 13\.5-RELEASE\nuserland=13\.5-RELEASE$/m);
    const console = await fleet.ssh('sim01', '. /var/sim/run/vmm/test && cat "$vmm_console"');
    expect(console.stdout).toMatch(/^igb0: <Intel\(R\) PRO\/1000 PCI-Express Network Driver> .* on pci0$/m);
    expect((await fleet.ssh('sim01', 'jexec bhyve vm list')).stdout).toMatch(/^test\s.*Running \(\d+\)\s*$/m);
  });

  it('a second run changes nothing', async () => {
    const again = await play('playbooks/upgrade.yml');
    expect(again.exitCode, explain(again)).toBe(0);
    expect(recapOf(again)['sim01']?.changed, explain(again)).toBe(0);
  }, 900_000);

  /** After an upgrade within the chain: the release, the rebuilt kernel, the guest with igb0. */
  async function expectConverged(release: string) {
    expect((await fleet.ssh('sim01', 'freebsd-version -kru')).stdout).toBe(`${release}\n${release}\n${release}\n`);
    const kernel = await fleet.ssh('sim01', '. /var/sim/run/kernel; echo "$kernel_name $kernel_osrelease $kernel_jail_patch"');
    expect(kernel.stdout).toBe(`kernel.patched ${release} yes\n`);
    const stamp = await fleet.ssh('sim01', 'cat /boot/kernel.patched/beastie.patch-sha256');
    expect(stamp.stdout).toContain(`source=FreeBSD ${release}\nuserland=${release}\n`);
    expect((await fleet.ssh('sim01', `pkg info bastille`)).stdout).toMatch(new RegExp(`^Architecture {4}: FreeBSD:${release.split('.')[0]}:amd64$`, 'm'));
    const console = await fleet.ssh('sim01', '. /var/sim/run/vmm/test && cat "$vmm_console"');
    expect(console.stdout).toMatch(/^igb0: <Intel\(R\) PRO\/1000 PCI-Express Network Driver> .* on pci0$/m);
    expect((await fleet.ssh('sim01', 'jexec bhyve vm list')).stdout).toMatch(/^test\s.*Running \(\d+\)\s*$/m);
  }

  it('13.5 → 14.3: the kernel is rebuilt from 14.3 sources, the tap driver and the devfs rules stay, a second run changes nothing', async () => {
    const step = await upgradeTo('14.3-RELEASE');
    expect(step.exitCode, explain(step)).toBe(0);
    await expectConverged('14.3-RELEASE');
    expect(statusOf(step, 'jails may use PRIV_IO')).toBe('changed');
    expect(statusOf(step, 'the bridge and tap drivers')).toBe('ok');
    expect(statusOf(step, 'devfs ruleset 25')).toBe('ok');
    const again = await upgradeTo('14.3-RELEASE');
    expect(recapOf(again)['sim01']?.changed, explain(again)).toBe(0);
  }, 1_800_000);

  it('14.3 → 15.0: the kernel is rebuilt from 15.0 sources, ruleset 25 gains vmmctl (15.0 vmm), a second run changes nothing', async () => {
    const step = await upgradeTo('15.0-RELEASE');
    expect(step.exitCode, explain(step)).toBe(0);
    await expectConverged('15.0-RELEASE');
    expect(statusOf(step, 'jails may use PRIV_IO')).toBe('changed');
    expect(statusOf(step, 'devfs ruleset 25')).toBe('changed');
    expect((await fleet.ssh('sim01', 'devfs rule -s 25 show')).stdout).toMatch(/^\d+ path vmmctl unhide$/m);
    const again = await upgradeTo('15.0-RELEASE');
    expect(recapOf(again)['sim01']?.changed, explain(again)).toBe(0);
  }, 1_800_000);
});
