// The seed's three playbooks end to end on one simulated fleet, one after the other on the same
// seed host, as an operator would run them: bhyve-jail.yml from an empty host to a running guest
// (issue 5), passthrough.yml after it (issue 5: first the seed's two failures when a step is left
// out, then the full playbook), and upgrade.yml on the finished host along the chain 12.2 → 13.5
// → 14.3 → 15.0, after each step of which the roles converge again (issue 14). One fleet and one
// seed run serve all three: each used to start its own fleet and repeat the set-up before it (two
// seed runs and one passthrough run more, about a third of these files' time).
//   sim01 (seed: 12.2, Bastille 0.x) and sim02 (current: 14.3, Bastille 1.x) run bhyve-jail.yml;
//   sim01 then runs passthrough.yml and upgrade.yml; sim03 (current) stays fresh for the failure
//   of a jail started before vmm is loaded. Each playbook run is limited to its hosts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBeastie, recapOf, taskResults, type CliRun } from '../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { hostDigest } from '../helpers/host-digest.js';

const explain = (run: CliRun) => `exit ${run.exitCode}\n${run.stderr}\n${run.stdout.slice(-6000)}`;
const failure = (run: CliRun) => taskResults(run).find((e) => e['status'] === 'failed');
/** The status of the task whose name starts with `prefix` (the first such result). */
const statusOf = (run: CliRun, prefix: string) => taskResults(run).find((e) => String(e['task']).startsWith(prefix))?.['status'];

let fleet: TestFleet;
/** `beastie play PLAYBOOK --limit HOSTS --json …` on the fleet. */
const play = (playbook: string, hosts: string, ...extra: string[]) =>
  runBeastie(['play', playbook, '-i', fleet.inventory, '--limit', hosts, '--json', ...extra], { timeoutMs: 900_000 });
/** `beastie doctor` on sim01 only: sim02 never gets passthrough.yml. */
const doctorSim01 = () => runBeastie(['doctor', '-i', fleet.inventory, '--limit', 'sim01', '--json']);
type Finding = { id: string; what: string; jail?: string; evidence: { command: string; output: string }[]; fix: { task: string; step: string } };
const findingsOf = (run: CliRun) => (run.events.find((e) => e.event === 'doctor_host' && e['host'] === 'sim01')?.['findings'] ?? []) as Finding[];
/** doctor on sim01 after an upgrade step: no finding, exit 0. */
async function expectDoctorClean(release: string) {
  const doctor = await doctorSim01();
  expect(findingsOf(doctor), `doctor on ${release}: ${doctor.stdout}`).toEqual([]);
  expect(doctor.exitCode).toBe(0);
}

beforeAll(async () => {
  fleet = await startFleet({ hosts: 3, profile: 'seed:1,current:2' });
}, 120_000);
afterAll(async () => {
  await fleet?.down();
});

describe("leaving out a step fails where the seed failed, with the tool's own words", () => {
  it('without vmm loaded first, the jail with allow.vmm does not start: unknown parameter: allow.vmm', async () => {
    const run = await play('test/fixtures/e2e/jail-without-vmm.yml', 'sim03');
    const failed = taskResults(run).find((e) => e['status'] === 'failed');
    expect(failed?.['task'], explain(run)).toBe('the VNET jail may run bhyve');
    expect(String(failed?.['msg'])).toMatch(/unknown parameter: allow\.vmm/);
    expect(run.exitCode).toBe(2);
    const jls = await fleet.ssh('sim03', 'jls name');
    expect(jls.stdout).not.toMatch(/^bhyve$/m);
  }, 600_000);
});

describe('bhyve-jail.yml on a fresh seed host and a fresh current host', () => {
  const playbook = 'playbooks/bhyve-jail.yml';
  let first: CliRun;

  beforeAll(async () => {
    first = await play(playbook, 'sim01,sim02');
  }, 900_000);

  it('reaches a running guest in the VNET jail on both', async () => {
    expect(first.exitCode, explain(first)).toBe(0);
    for (const host of ['sim01', 'sim02']) {
      const list = await fleet.ssh(host, 'jexec bhyve vm list');
      expect(list.stdout, `${host}: ${list.stderr}`).toMatch(/^test\s+default\s+bhyveload\s+2\s+4G\s+.*Running \(\d+\)\s*$/m);
      expect(recapOf(first)[host]).toMatchObject({ failed: 0, unreachable: 0 });
      expect(recapOf(first)[host]?.changed).toBeGreaterThan(5);
    }
    expect(Object.keys(recapOf(first)).sort()).toEqual(['sim01', 'sim02']);
  }, 600_000);

  // The role's ruleset 25 lists 1, 2 and 3 before 4 (vfs.devfs.rule_depth 1, docs/freebsd/devfs.md):
  // hide_all runs, so the jail's /dev holds what bhyve needs and not the host's console.
  it("the jail's /dev hides the host's devices: ruleset 25 runs hide_all", async () => {
    for (const host of ['sim01', 'sim02']) {
      const dev = (await fleet.ssh(host, 'jexec bhyve ls /dev')).stdout.split('\n');
      expect(dev, host).toEqual(expect.arrayContaining(['null', 'vmm', 'pci', 'io', 'mem', 'kmem']));
      expect(dev, host).not.toContain('console');
      expect((await fleet.ssh(host, 'devfs rule -s 25 show')).stdout, host).toMatch(/^100 include 1\n200 include 2\n300 include 3\n400 include 4\n/);
    }
  }, 600_000);

  it('says which Bastille it found on each host', () => {
    const notes = (host: string) => taskResults(first, host).flatMap((e) => (e['notes'] as string[] | undefined) ?? []).join('\n');
    expect(notes('sim01')).toMatch(/Bastille 0\.\d+\.\d+ \(0\.x/);
    expect(notes('sim02')).toMatch(/Bastille 1\.\d+\.\d+ \(1\.x\)/);
  }, 600_000);

  it('a second run changes nothing on any host', async () => {
    const second = await play(playbook, 'sim01,sim02');
    expect(second.exitCode, explain(second)).toBe(0);
    expect(Object.keys(recapOf(second)).sort()).toEqual(['sim01', 'sim02']);
    for (const [host, counts] of Object.entries(recapOf(second))) {
      expect(counts.changed, `${host}: ${taskResults(second, host).filter((e) => e['status'] === 'changed').map((e) => e['task']).join(', ')}`).toBe(0);
      expect(counts.failed).toBe(0);
    }
  }, 600_000);

  // A host set up before the role listed 1, 2 and 3 (the walk-through's ruleset 25, include 4 only):
  // its jail's /dev shows the host's devices (vfs.devfs.rule_depth 1). The role's run rewrites the
  // ruleset and applies it to the running jail's /dev, which hides them with no jail restart.
  it('on a host with the walk-through\'s ruleset 25, the run fixes it and hides the host\'s devices in the running jail', async () => {
    const plant = await fleet.ssh(
      'sim02',
      `sed -i '/^\\[devfs_rules_bhyve_jail=25\\]/,/^\\[/ { /^add include \\$devfsrules_\\(hide_all\\|unhide_basic\\|unhide_login\\)$/d; }' /etc/devfs.rules && service devfs restart && bastille restart bhyve >/dev/null && devfs rule -s 25 show | head -n 1 && jexec bhyve ls /dev | grep -x console && jls -j bhyve jid`,
    );
    expect(plant.stdout, plant.stderr).toMatch(/^100 include 4\nconsole\n\d+\n$/);
    const jid = plant.stdout.trim().split('\n').at(-1);
    const run = await play(playbook, 'sim02');
    expect(run.exitCode, explain(run)).toBe(0);
    expect(statusOf(run, 'devfs ruleset 25')).toBe('changed');
    expect(statusOf(run, "jail bhyve's mounted /dev gets the changed ruleset 25")).toBe('changed');
    const after = await fleet.ssh('sim02', 'devfs rule -s 25 show | head -n 4; jexec bhyve ls /dev; echo @@; jls -j bhyve jid; jexec bhyve vm list');
    const [rulesThenDev, jail] = after.stdout.split('@@\n');
    expect(rulesThenDev).toMatch(/^100 include 1\n200 include 2\n300 include 3\n400 include 4\n/);
    expect(rulesThenDev?.split('\n')).not.toContain('console');
    expect(rulesThenDev?.split('\n')).toContain('vmm');
    expect(jail).toMatch(new RegExp(`^${jid}\\n[\\s\\S]*^test\\s.*Running \\(\\d+\\)\\s*$`, 'm'));
  }, 600_000);
});

// The failures explain themselves, and `beastie doctor` finds their causes first and the finished host clean.
describe('passthrough.yml after bhyve-jail.yml on the seed host', () => {
  const passthrough = (...extra: string[]) => play('playbooks/passthrough.yml', 'sim01', ...extra);

  it('securelevel 2 in the jail: bhyve: failed to open /dev/pci: Operation not permitted', async () => {
    const run = await passthrough('-e', '{"apply_kernel_patch": false, "jail_securelevel": 2}');
    expect(run.exitCode, explain(run)).toBe(2);
    expect(failure(run)?.['task']).toMatch(/^guest test gets the device/);
    expect(String(failure(run)?.['msg'])).toContain('bhyve: failed to open /dev/pci: Operation not permitted');
    // The failure explains itself, and doctor names the same cause before anything is run again.
    expect(failure(run)?.['explanation']).toMatchObject({ id: 'bhyve-pci-eperm' });
    const doctor = await doctorSim01();
    const ids = ((doctor.events.find((e) => e.event === 'doctor_host')?.['findings'] ?? []) as { id: string }[]).map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['jail-securelevel', 'kernel-jail-priv']));
    expect(doctor.exitCode).toBe(2);
  }, 600_000);

  it('securelevel -1 but no kernel patch: bhyve: failed to open /dev/io: Operation not permitted', async () => {
    const run = await passthrough('-e', '{"apply_kernel_patch": false}');
    expect(run.exitCode, explain(run)).toBe(2);
    expect(String(failure(run)?.['msg'])).toContain('bhyve: failed to open /dev/io: Operation not permitted');
    expect(failure(run)?.['explanation']).toMatchObject({ id: 'bhyve-io-eperm' });
  }, 600_000);

  it('the whole playbook: the guest runs with igb0 passed through, and a second run changes nothing', async () => {
    const run = await passthrough();
    expect(run.exitCode, explain(run)).toBe(0);
    const console = await fleet.ssh('sim01', '. /var/sim/run/vmm/test && cat "$vmm_console"');
    expect(console.stdout).toMatch(/^igb0: <Intel\(R\) PRO\/1000 PCI-Express Network Driver> .* on pci0$/m);
    const pci = await fleet.ssh('sim01', 'pciconf -l');
    expect(pci.stdout).toMatch(/^ppt0@pci0:1:0:0:/m);
    expect((await fleet.ssh('sim01', 'sysctl -n kern.bootfile')).stdout.trim()).toBe('/boot/kernel.patched/kernel');
    expect((await fleet.ssh('sim01', 'jexec bhyve vm list')).stdout).toMatch(/^test\s.*Running \(\d+\)\s*$/m);
    const again = await passthrough();
    expect(again.exitCode, explain(again)).toBe(0);
    expect(recapOf(again)['sim01']?.changed).toBe(0);
    // A host set up by bhyve-jail.yml + passthrough.yml is reported clean.
    const doctor = await doctorSim01();
    expect(doctor.events.find((e) => e.event === 'doctor_host')?.['findings'], doctor.stdout).toEqual([]);
    expect(doctor.exitCode).toBe(0);
  }, 900_000);

  // The failure catalogue's texts that only the patched kernel reaches, produced on this host as it is now.
  it("on the patched kernel: /dev/mem hidden in a jail, and a device not attached to ppt, each explained", async () => {
    const conf = '/usr/local/bastille/jails/plain/jail.conf';
    const setUp = await fleet.ssh(
      'sim01',
      `set -e; cp -p /etc/devfs.rules /etc/devfs.rules.seed-test
printf '%s\\n' '[pci_io_no_mem=28]' 'add include $devfsrules_hide_all' 'add include $devfsrules_unhide_basic' 'add include $devfsrules_unhide_login' 'add include $devfsrules_jail' 'add path vmm unhide' "add path 'vmm/*' unhide" 'add path pci unhide' 'add path io unhide' >>/etc/devfs.rules
service devfs restart
bastille create plain 12.2-RELEASE 192.168.1.230 em0 >/dev/null
sed -i 's/devfs_ruleset = [0-9]*;/devfs_ruleset = 28;/; s/securelevel = [0-9-]*;/securelevel = -1;/; s/^  mount.devfs;/&\\n  allow.vmm;/' ${conf}
bastille start plain >/dev/null`,
      180_000,
    );
    try {
      expect(setUp.exitCode, setUp.stderr).toBe(0);
      const run = await play('test/fixtures/e2e/patched-kernel-failures.yml', 'sim01');
      const result = (task: string) => taskResults(run).find((e) => e['task'] === task);
      const hidden = result('passthrough from a jail whose ruleset hides mem');
      expect(String(hidden?.['stderr']), explain(run)).toContain('bhyve: failed to open /dev/mem: No such file or directory');
      expect(hidden?.['explanation']).toMatchObject({ id: 'bhyve-mem-hidden', fix: expect.stringContaining('add path mem unhide') });
      const notPpt = result('passthrough of a device the loader did not give to ppt');
      expect(String(notPpt?.['stderr'])).toContain('bhyve: PCI device at 1/0/1 is not using the ppt(4) driver');
      expect(notPpt?.['explanation']).toMatchObject({ id: 'bhyve-not-ppt', fix: expect.stringContaining('pptdev:') });
    } finally {
      const undo = await fleet.ssh('sim01', 'bastille stop plain >/dev/null; bastille destroy plain >/dev/null; mv /etc/devfs.rules.seed-test /etc/devfs.rules && service devfs restart', 180_000);
      expect(undo.exitCode, undo.stderr).toBe(0);
    }
    // the guest passed through still runs, untouched
    expect((await fleet.ssh('sim01', 'jexec bhyve vm list')).stdout).toMatch(/^test\s.*Running \(\d+\)\s*$/m);
  }, 600_000);
});

// The re-run after upgrades: upgrade.yml along the chain 12.2 → 13.5 → 14.3 → 15.0 through the
// simulated freebsd-update and pkg, which put each release's GENERIC into the running
// /boot/kernel.patched. After every step the roles converge again (the patched kernel rebuilt from
// that release's sources, if_tap swapped for if_tuntap in kld_list on 13.5, /dev/vmmctl unhidden
// for the jail on 15.0, the guest restarted with its device), and a second run changes nothing.
describe('upgrade.yml: the seed host set up on 12.2, upgraded to 13.5, 14.3 and 15.0, converged again after each', () => {
  const upgradeRun = () => play('playbooks/upgrade.yml', 'sim01');
  const upgradeTo = (release: string) => play('playbooks/upgrade.yml', 'sim01', '-e', `upgrade_release=${release}`);
  let upgrade: CliRun;

  beforeAll(async () => {
    const before = await fleet.ssh('sim01', 'freebsd-version -kru; sysctl -n kern.bootfile; sysrc -n kld_list');
    if (before.stdout !== '12.2-RELEASE\n12.2-RELEASE\n12.2-RELEASE\n/boot/kernel.patched/kernel\nvmm nmdm if_bridge if_tap\n') {
      throw new Error(`unexpected seed setup: ${before.stdout}`);
    }
    upgrade = await upgradeRun();
  }, 1_800_000);

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
    const kernel = await fleet.ssh('sim01', '. /var/sim/run/kernel; echo "$kernel_name $kernel_osrelease $kernel_jail_privs"; sysrc -n kld_list');
    expect(kernel.stdout).toBe('kernel.patched 13.5-RELEASE PRIV_IO PRIV_KMEM_READ PRIV_KMEM_WRITE\nvmm nmdm if_bridge if_tuntap\n');
    expect((await fleet.ssh('sim01', 'cat /boot/kernel.patched/beastie.patch-sha256')).stdout).toMatch(/^source=FreeBSD 13\.5-RELEASE\nuserland=13\.5-RELEASE$/m);
    const console = await fleet.ssh('sim01', '. /var/sim/run/vmm/test && cat "$vmm_console"');
    expect(console.stdout).toMatch(/^igb0: <Intel\(R\) PRO\/1000 PCI-Express Network Driver> .* on pci0$/m);
    expect((await fleet.ssh('sim01', 'jexec bhyve vm list')).stdout).toMatch(/^test\s.*Running \(\d+\)\s*$/m);
    await expectDoctorClean('13.5-RELEASE');
  });

  // Bastille 0.7: the thin jail moves with the release directory its fstab mounts, upgraded in place by
  // freebsd-update -b (tasks/jails-upgrade.yml); the directory keeps the name 12.2-RELEASE
  it("the jail's userland is 13.5 too: its release directory, still named 12.2-RELEASE, was upgraded with freebsd-update -b", async () => {
    expect((await fleet.ssh('sim01', 'jexec bhyve freebsd-version -u')).stdout).toBe('13.5-RELEASE\n');
    expect((await fleet.ssh('sim01', 'cat /usr/local/bastille/releases/12.2-RELEASE/var/sim/userland')).stdout).toBe('USERLAND_VERSION="13.5-RELEASE"\n');
    for (const task of ['the release directory of jail bhyve is upgraded', 'the release directory\'s world is installed', 'the old shared libraries leave the release directory', 'every package in jail bhyve is reinstalled']) {
      expect(statusOf(upgrade, task), task).toBe('changed');
    }
    const pkg = await fleet.ssh('sim01', "pkg -j bhyve info vm-bhyve | grep '^Architecture'");
    expect(pkg.stdout).toMatch(/FreeBSD:13:amd64/);
  });

  it('a second run changes nothing', async () => {
    const again = await upgradeRun();
    expect(again.exitCode, explain(again)).toBe(0);
    expect(recapOf(again)['sim01']?.changed, explain(again)).toBe(0);
  }, 900_000);

  /** After an upgrade within the chain: the release, the rebuilt kernel, the guest with igb0. */
  async function expectConverged(release: string) {
    expect((await fleet.ssh('sim01', 'freebsd-version -kru')).stdout).toBe(`${release}\n${release}\n${release}\n`);
    const kernel = await fleet.ssh('sim01', '. /var/sim/run/kernel; echo "$kernel_name $kernel_osrelease $kernel_jail_privs"');
    expect(kernel.stdout).toBe(`kernel.patched ${release} PRIV_IO PRIV_KMEM_READ PRIV_KMEM_WRITE\n`);
    const stamp = await fleet.ssh('sim01', 'cat /boot/kernel.patched/beastie.patch-sha256');
    expect(stamp.stdout).toContain(`source=FreeBSD ${release}\nuserland=${release}\n`);
    expect((await fleet.ssh('sim01', `pkg info bastille`)).stdout).toMatch(new RegExp(`^Architecture {4}: FreeBSD:${release.split('.')[0]}:amd64$`, 'm'));
    const console = await fleet.ssh('sim01', '. /var/sim/run/vmm/test && cat "$vmm_console"');
    expect(console.stdout).toMatch(/^igb0: <Intel\(R\) PRO\/1000 PCI-Express Network Driver> .* on pci0$/m);
    expect((await fleet.ssh('sim01', 'jexec bhyve vm list')).stdout).toMatch(/^test\s.*Running \(\d+\)\s*$/m);
    // the jail followed the host (tasks/jails-upgrade.yml, freebsd-update -b on its release directory)
    expect((await fleet.ssh('sim01', 'jexec bhyve freebsd-version -u')).stdout).toBe(`${release}\n`);
  }

  it('13.5 → 14.3: the kernel is rebuilt from 14.3 sources, the tap driver and the devfs rules stay, a second run changes nothing', async () => {
    const step = await upgradeTo('14.3-RELEASE');
    expect(step.exitCode, explain(step)).toBe(0);
    await expectConverged('14.3-RELEASE');
    expect(statusOf(step, 'jails may use PRIV_IO')).toBe('changed');
    expect(statusOf(step, 'the bridge and tap drivers')).toBe('ok');
    expect(statusOf(step, 'devfs ruleset 25')).toBe('ok');
    await expectDoctorClean('14.3-RELEASE');
    const again = await upgradeTo('14.3-RELEASE');
    expect(recapOf(again)['sim01']?.changed, explain(again)).toBe(0);
  }, 1_800_000);

  it('14.3 → 15.0: the kernel is rebuilt from 15.0 sources, ruleset 25 gains vmmctl (15.0 vmm) and reaches the running jail, a second run changes nothing', async () => {
    const step = await upgradeTo('15.0-RELEASE');
    expect(step.exitCode, explain(step)).toBe(0);
    await expectConverged('15.0-RELEASE');
    expect(statusOf(step, 'jails may use PRIV_IO')).toBe('changed');
    expect(statusOf(step, 'devfs ruleset 25')).toBe('changed');
    expect((await fleet.ssh('sim01', 'devfs rule -s 25 show')).stdout).toMatch(/^\d+ path vmmctl unhide$/m);
    // the jail, started at the 15.0 boot before the role added vmmctl to ruleset 25, gets it through
    // devfs applyset on its mounted /dev, without a restart
    expect(statusOf(step, "jail bhyve's mounted /dev gets the changed ruleset 25")).toBe('changed');
    expect((await fleet.ssh('sim01', 'jexec bhyve ls /dev')).stdout.split('\n')).toContain('vmmctl');
    const jidAfter = (await fleet.ssh('sim01', 'jls -j bhyve jid')).stdout;
    await expectDoctorClean('15.0-RELEASE');
    const again = await upgradeTo('15.0-RELEASE');
    expect(recapOf(again)['sim01']?.changed, explain(again)).toBe(0);
    expect(statusOf(again, "jail bhyve's mounted /dev gets the changed ruleset 25")).toBe('skipped');
    expect((await fleet.ssh('sim01', 'jls -j bhyve jid')).stdout).toBe(jidAfter);
  }, 1_800_000);

  // 15.0's vmm creates VMs through /dev/vmmctl (freebsd-src a97f683fe3c4, D47028; docs/freebsd/upgrade.md):
  // a ruleset 25 without it, loaded, is found with the file as evidence and the ruleset to write as the fix;
  // doctor changes nothing on the host.
  it('on 15.0, ruleset 25 without vmmctl: doctor names vmmctl and the fix, and changes nothing', async () => {
    const plant = await fleet.ssh('sim01', "cp -p /etc/devfs.rules /etc/devfs.rules.seed-test && sed -i '/path vmmctl unhide/d' /etc/devfs.rules && service devfs restart >/dev/null && devfs rule -s 25 show");
    expect(plant.exitCode, plant.stderr).toBe(0);
    expect(plant.stdout).not.toContain('vmmctl');
    const before = hostDigest(fleet, 'sim01', { withKernel: true });
    const doctor = await doctorSim01();
    const after = hostDigest(fleet, 'sim01', { withKernel: true });
    await fleet.ssh('sim01', 'mv /etc/devfs.rules.seed-test /etc/devfs.rules && service devfs restart >/dev/null');
    const findings = findingsOf(doctor);
    expect(findings.map((f) => f.id), doctor.stdout).toEqual(['devfs-ruleset-incomplete']);
    expect(findings[0]?.what).toMatch(/does not unhide vmmctl/);
    expect(findings[0]?.evidence.map((e) => `${e.command}\n${e.output}`).join('\n')).toMatch(/\[devfs_rules_bhyve_jail=25\]/);
    expect(findings[0]?.fix.task).toContain('add path vmmctl unhide');
    expect(doctor.exitCode).toBe(2);
    expect(after, 'doctor changed sim01').toBe(before);
  }, 600_000);
});
