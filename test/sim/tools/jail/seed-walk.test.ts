// The seed walk-through (../shared/seeds/000_*.txt) by hand-written shell commands over real
// SSH on one simulated seed host: each seed error shows up while its step is left out, and the
// passthrough guest runs after pptdevs, the kern_jail.c patch, buildkernel/installkernel and a
// reboot, started at boot by Bastille and vm-bhyve with igb0 in its console.
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type TestFleet } from '../../../helpers/fleet.js';
import { waitFor } from '../../../helpers/wait-for.js';
import { ARTICLE_PATCH as PATCH } from '../../../../sim/infra/kern-jail-standin.js';
import { RULESET_25 } from './seed-steps.js';

const J = 'jexec test-bhyve';
const CONF = '/usr/local/bastille/jails/test-bhyve/jail.conf';
const GUEST = '/usr/local/bastille/jails/test-bhyve/root/vms/test';


describe('the seed walk-through over SSH (one seed host)', () => {
  let fleet: TestFleet;
  const out: Record<string, { stdout: string; stderr: string; code: number | null }> = {};

  /** Runs one step on sim01 and keeps its result under NAME. */
  async function sh(name: string, command: string): Promise<void> {
    const result = await fleet.ssh('sim01', command, 60_000);
    out[name] = { stdout: result.stdout, stderr: result.stderr, code: result.exitCode };
  }

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 1, profile: 'seed', rebootDownSeconds: 1 });
    await writeFile(await fleet.hostPath('sim01', '/var/sim/control/buildkernel-seconds'), '0\n');
    await sh('rules', RULESET_25.command);
    await sh('bastille', 'bastille bootstrap 12.2-RELEASE >/dev/null && bastille create --vnet test-bhyve 12.2-RELEASE 192.168.1.225 em0 >/dev/null');
    await sh('edit', `sed -i 's/^  securelevel = 2;/&\\n  allow.vmm;/; s/devfs_ruleset = 13;/devfs_ruleset =25;/' ${CONF}`);
    await sh('start-without-vmm', 'bastille start test-bhyve');
    await sh('kldload', 'kldload vmm; kldload nmdm; kldload if_tap bridgestp if_bridge');
    await sh('start', 'bastille start test-bhyve');
    await sh('vm-setup', `${J} env ASSUME_ALWAYS_YES=yes pkg install vm-bhyve >/dev/null && ${J} sysrc vm_enable="YES" >/dev/null &&
${J} mkdir /vms && ${J} sysrc vm_dir="/vms" >/dev/null && ${J} vm init && ${J} sh -c 'cp /usr/local/share/examples/vm-bhyve/* /vms/.templates/' &&
${J} vm switch create public`);
    await sh('switch-vtnet0', `${J} vm switch add public vtnet0`);
    await sh('switch-vnet0', `${J} vm switch add public vnet0`);
    await sh('create', `${J} vm create test && ${J} sh -c ': >/vms/.iso/FreeBSD-12.2-RELEASE-amd64-bootonly.iso' &&
${J} sysrc -f /vms/test/test.conf cpu=2 memory=4G wired_memory=yes passthru0=1/0/0 debug=yes >/dev/null`);
    await sh('start-sl2', `${J} vm start test >/dev/null; cat ${GUEST}/bhyve.log`);
    await sh('securelevel', `sed -i 's/^  securelevel = 2;/  securelevel = -1;/' ${CONF} && bastille restart test-bhyve >/dev/null`);
    await sh('start-unpatched', `rm ${GUEST}/bhyve.log; ${J} vm start test >/dev/null; cat ${GUEST}/bhyve.log`);
    await sh('passthru-before', `${J} vm passthru | grep ' 1/0/0 '`);
    await sh('boot-config', `sysrc -f /boot/loader.conf vmm_load=YES nmdm_load=YES if_tap_load=YES if_bridge_load=YES pptdevs=1/0/0 >/dev/null &&
sysrc bastille_enable=YES >/dev/null && ${J} sysrc vm_list=test >/dev/null`);
    await sh('patch', `cat >/root/bhyve-in-jail.patch <<'X'\n${PATCH}X\ncd /usr/src && patch -l -p0 </root/bhyve-in-jail.patch`);
    await sh('build', 'cd /usr/src && make -j4 buildkernel KERNCONF=GENERIC >/dev/null && make installkernel KERNCONF=GENERIC >/dev/null');
    await sh('boottime-before', 'sysctl -n kern.boottime');
    await sh('reboot', 'shutdown -r now');
    let probe: Awaited<ReturnType<TestFleet['ssh']>> | undefined;
    await waitFor(
      'sim01 to come back with a new kern.boottime after shutdown -r now',
      async () => {
        probe = await fleet.ssh('sim01', 'sysctl -n kern.boottime', 10_000);
        return probe.exitCode === 0 && probe.stdout !== out['boottime-before']?.stdout;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}: ${JSON.stringify(out)} ${JSON.stringify(probe)}`);
    });
    await sh('after-jls', 'jls name');
    await sh('after-passthru', `${J} vm passthru | grep ' 1/0/0 '`);
    await sh('after-list', `${J} vm list | tail -n 1`);
    await sh('after-console', 'cat /var/sim/run/vmm/test.console');
  }, 300_000);
  afterAll(async () => fleet?.down());

  it('jail start fails on allow.vmm until vmm is loaded, and bastille start still exits 0', () => {
    expect(out['start-without-vmm']).toMatchObject({ stderr: 'jail: test-bhyve: unknown parameter: allow.vmm\n', code: 0 });
    expect(out['start']?.stdout).toContain('test-bhyve: created\n');
  });

  it('vtnet0 is not the VNET jail’s NIC; vnet0 is', () => {
    expect(out['vm-setup']).toMatchObject({ stderr: '', code: 0 });
    expect(out['switch-vtnet0']).toMatchObject({
      stderr: '/usr/local/sbin/vm: ERROR: failed to add member vtnet0 to the virtual switch public\n',
      code: 1,
    });
    expect(out['switch-vnet0']).toMatchObject({ stderr: '', code: 0 });
  });

  it('shows the seed’s bhyve errors: /dev/pci at securelevel 2, then PRIV_IO on the unpatched kernel', () => {
    expect(out['start-sl2']?.stdout).toBe(
      'bhyve: failed to open /dev/pci: Operation not permitted\ndevice emulation initialization error: No such file or directory\n',
    );
    expect(out['start-unpatched']?.stdout).toBe(
      'bhyve: failed to open /dev/io: Operation not permitted\ndevice emulation initialization error: No such file or directory\n',
    );
    expect(out['passthru-before']?.stdout).toBe('igb0       1/0/0        No           82580 Gigabit Network Connection\n');
  });

  it('patches and rebuilds the kernel', () => {
    expect(out['patch']?.code).toBe(0);
    expect(out['build']?.code).toBe(0);
  });

  it('after the reboot the jail and its guest come up by themselves, with igb0 passed through', () => {
    expect(out['after-jls']?.stdout).toBe('test-bhyve\n');
    expect(out['after-passthru']?.stdout).toBe('ppt0       1/0/0        Yes          82580 Gigabit Network Connection\n');
    expect(out['after-list']?.stdout).toMatch(/^test {2}default {4}bhyveload {2}2 {4}4G {6}- {4}Yes \[1\] {2}Running \(\d+\)\n$/);
    expect(out['after-console']?.stdout).toContain('igb0: Ethernet address: 90:e2:ba:46:73:cc\n');
  });
});
