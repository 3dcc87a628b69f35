// `beastie doctor` on the simulated fleet: sim01 is set up as the walk-through leaves it (by hand,
// the article's commands) and has no finding; sim02 gets the same set-up and then every pitfall
// the simulator can plant, all at once, each found with its evidence and fix; sim03 is the seed
// machine without VT-x. Doctor changes no file and no kernel state on any host. Then the failure
// catalogue: the tools' own failures, produced on these hosts, come with their explanation.
import { writeFile } from 'node:fs/promises';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBeastie, taskResults, type CliRun, type JsonEvent } from '../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { hostDigest } from '../helpers/host-digest.js';
import { WALKTHROUGH_RULESET_25 } from '../fixtures/walkthrough-ruleset.js';

const J = 'jexec bhyve';
const CONF = '/usr/local/bastille/jails/bhyve/jail.conf';

/** The walk-through without passthrough, as the article types it (Bastille 0.7 on 12.2). */
const SETUP = `set -e
cat >/etc/devfs.rules <<'X'
[bastille_vnet=13]
add include $devfsrules_hide_all
add include $devfsrules_unhide_basic
add include $devfsrules_unhide_login
add include $devfsrules_jail
add include $devfsrules_jail_vnet
add path 'bpf*' unhide

${WALKTHROUGH_RULESET_25}X
service devfs restart
kldload vmm nmdm if_tap bridgestp if_bridge
sysrc kld_list="vmm nmdm if_tap bridgestp if_bridge" >/dev/null
bastille bootstrap 12.2-RELEASE >/dev/null
bastille create --vnet bhyve 12.2-RELEASE 192.168.1.225 em0 >/dev/null
sed -i 's/^  securelevel = 2;/&\\n  allow.vmm;/; s/devfs_ruleset = 13;/devfs_ruleset = 25;/' ${CONF}
bastille start bhyve >/dev/null
${J} env ASSUME_ALWAYS_YES=yes pkg install vm-bhyve >/dev/null
${J} sysrc vm_enable=YES vm_dir=/vms >/dev/null
${J} mkdir -p /vms
${J} vm init
${J} sh -c 'cp /usr/local/share/examples/vm-bhyve/* /vms/.templates/'
${J} vm switch create public
${J} vm switch add public vnet0
${J} vm create test
${J} sysrc -f /vms/test/test.conf cpu=2 memory=2G >/dev/null
${J} vm start test >/dev/null
${J} vm list | grep -q 'Running'
`;

/** Every pitfall at once on a set-up host; the guest is restarted with `vm restart`, which keeps its old bhyve options. */
const PLANT = `set -e
sysrc kld_list="nmdm if_tap bridgestp" bastille_enable=YES >/dev/null
sed -i '/add path nmdm\\* unhide/d' /etc/devfs.rules
${J} sysrc -f /vms/.config/system.conf ports_public=vtnet0 >/dev/null
${J} sysrc ifconfig_vnet0=DHCP >/dev/null
${J} sysrc -f /vms/test/test.conf memory=4G passthru0=1/0/0 >/dev/null
${J} vm restart test >/dev/null
: >/var/sim/control/iommu-off
`;

describe('beastie doctor on the simulated fleet', () => {
  let fleet: TestFleet;
  let scratch: string;
  let doctor: CliRun;
  const digests = new Map<string, string>();
  const findingsOf = (host: string) => (doctor.events.find((event) => event.event === 'doctor_host' && event['host'] === host)?.['findings'] ?? []) as readonly JsonEvent[];
  const finding = (host: string, id: string) => findingsOf(host).find((entry) => entry['id'] === id) as { id: string; what: string; jail?: string; evidence: { where: string; command: string; output: string }[]; fix: { task: string; step: string } } | undefined;

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 3, profile: 'seed:2,novtx:1' });
    scratch = await mkdtemp(join(tmpdir(), 'beastie-doctor-'));
    const setups = await Promise.all(['sim01', 'sim02'].map((host) => fleet.ssh(host, SETUP, 240_000)));
    setups.forEach((result, index) => {
      if (result.exitCode !== 0) throw new Error(`set-up of sim0${index + 1} failed: ${result.stderr}\n${result.stdout}`);
    });
    const planted = await fleet.ssh('sim02', PLANT, 120_000);
    if (planted.exitCode !== 0) throw new Error(`planting failed: ${planted.stderr}`);
    await fleet.ssh('sim03', 'kldload vmm');
    for (const host of ['sim01', 'sim02', 'sim03']) digests.set(host, hostDigest(fleet, host, { withKernel: true }));
    doctor = await runBeastie(['doctor', '-i', fleet.inventory, '--json', '--report', join(scratch, 'doctor.html')]);
  }, 600_000);
  afterAll(async () => {
    await fleet?.down();
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  it('changes nothing on any host, and exits 2 because some host has an error', () => {
    for (const host of ['sim01', 'sim02', 'sim03']) expect(hostDigest(fleet, host, { withKernel: true }), host).toBe(digests.get(host));
    expect(doctor.exitCode, doctor.stderr).toBe(2);
    expect(doctor.events.at(-1)).toMatchObject({ event: 'doctor_recap', hosts: 3, examined: 3, exitCode: 2 });
  });

  it('a host set up as the walk-through says has no finding', () => {
    expect(findingsOf('sim01')).toEqual([]);
  });

  it('finds every planted pitfall on sim02, with its evidence and its fix', () => {
    const ids = findingsOf('sim02').map((entry) => entry['id']);
    expect(new Set(ids)).toEqual(
      new Set([
        'iommu-missing',
        'vmm-not-at-boot',
        'net-driver-not-at-boot',
        'vmm-before-jail',
        'devfs-ruleset-incomplete',
        'devfs-ruleset-not-loaded',
        'jail-securelevel',
        'kernel-jail-priv',
        'vmm-load-missing',
        'pptdev-not-reserved',
        'guest-restart-pending',
        'switch-interface-missing',
        'jail-dhcp-not-sync',
      ]),
    );
    const sw = finding('sim02', 'switch-interface-missing');
    expect(sw?.evidence.map((e) => e.output).join('\n')).toMatch(/ports_public="vtnet0"[\s\S]*vnet0/);
    expect(sw?.fix.task).toContain('interfaces: [vnet0]');
    const restart = finding('sim02', 'guest-restart-pending');
    expect(restart?.what).toMatch(/memory 2G → 4G/);
    expect(restart?.evidence[0]?.output).toContain('[bhyve options: -c 2 -m 2G');
    expect(restart?.fix.task).toContain('command: vm stop test');
    const ruleset = finding('sim02', 'devfs-ruleset-incomplete');
    expect(ruleset?.what).toContain('nmdm*');
    expect(ruleset?.fix.task).toContain("add path 'nmdm*' unhide");
    expect(finding('sim02', 'jail-securelevel')?.evidence[0]).toMatchObject({ where: 'jail bhyve', command: 'jexec bhyve sysctl -n kern.securelevel', output: '2' });
    expect(finding('sim02', 'kernel-jail-priv')?.evidence.map((e) => e.output).join('\n')).toContain('r366954');
    expect(finding('sim02', 'iommu-missing')?.evidence[0]?.command).toContain('acpidump -t');
    expect(finding('sim02', 'pptdev-not-reserved')?.fix.task).toContain('pptdev:');
    for (const entry of findingsOf('sim02')) expect(String((entry['fix'] as { step: string }).step)).toMatch(/^walk-through/);
  });

  it('vm restart kept the old bhyve options, as vm-bhyve does', async () => {
    const log = await fleet.ssh('sim02', `${J} grep -E 'restarting|bhyve options' /vms/test/vm-bhyve.log`);
    expect(log.stdout).toMatch(/restarting\n.*\[bhyve options: -c 2 -m 2G /);
  });

  it('finds the CPU without VT-x on sim03', () => {
    expect(findingsOf('sim03').map((entry) => entry['id'])).toContain('cpu-virtualization');
    expect(finding('sim03', 'cpu-virtualization')?.evidence.map((e) => e.output).join('\n')).toContain('vmx_init: processor does not support VMX operation');
  });

  it('writes the same findings into the HTML report, escaped', async () => {
    const page = await readFile(join(scratch, 'doctor.html'), 'utf8');
    expect(page).toContain("default-src 'none'");
    expect(page).toContain('switch-interface-missing');
    expect(page).toContain('ports_public=&#34;vtnet0&#34;');
  });

  it('explains the tools\' own failures under the failed tasks', async () => {
    await writeFile(
      join(scratch, 'failures.yml'),
      `- hosts: sim02
  gather_facts: false
  tasks:
    - { name: if_tap gone from the host, command: kldunload if_tap }
    - { name: vm init in the jail, command: vm init, jail: bhyve, ignore_errors: true }
    - { name: if_tap back, command: kldload if_tap }
    - { name: the seed's switch port, command: vm switch add public vtnet0, jail: bhyve, ignore_errors: true }
    - { name: kldload in the jail, command: kldload if_bridge, jail: bhyve, ignore_errors: true }
    - { name: kldload twice, command: kldload vmm, ignore_errors: true }
- hosts: sim03
  gather_facts: false
  tasks:
    - { name: if_tuntap on 12.2, command: kldload if_tuntap, ignore_errors: true }
`,
    );
    const run = await runBeastie(['play', join(scratch, 'failures.yml'), '-i', fleet.inventory, '--json']);
    const explained = (task: string) => (taskResults(run).find((event) => event['task'] === task)?.['explanation'] as { id?: string } | undefined)?.id;
    expect(explained('vm init in the jail'), run.stdout.slice(-3000)).toBe('vm-bhyve-load-module-in-jail');
    expect(explained("the seed's switch port")).toBe('vm-switch-add-member');
    expect(explained('kldload in the jail')).toBe('kldload-eperm');
    expect(explained('kldload twice')).toBe('kldload-already-loaded');
    expect(explained('if_tuntap on 12.2')).toBe('kldload-if-tuntap-12');
    const human = await runBeastie(['play', join(scratch, 'failures.yml'), '-i', fleet.inventory, '--limit', 'sim03']);
    expect(human.stdout).toMatch(/kldload: can't load if_tuntap: No such file or directory\n\s+cause: FreeBSD 12\.x has no if_tuntap[^\n]*\n\s+fix: on 12\.x load if_tap/);
  }, 300_000);
});
