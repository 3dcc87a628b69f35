// `beastie doctor` on the simulated fleet. sim01 is set up as the walk-through leaves it (the
// article's commands, by hand); sim02 is the seed machine without VT-x, booted with nothing loaded;
// sim03 a current FreeBSD 14 host with Bastille 1.4. A second fleet holds three more set-up hosts.
// Each pitfall is planted (by editing the files a user edits, or with one real command) and found
// with its evidence and its fix: the set-up pitfalls three at a time, one on each host of the
// second fleet, found by one doctor run a round and then taken back (each host's files and kernel
// state digest again as after its set-up, so the next pitfall is alone there too); on sim02 one
// machine per round (its machine description changed and power-cycled where the boot is what
// shows it), on sim03 Bastille 1.x's own pitfall. sim01,
// set up and untouched, has no finding; then every pitfall at once on sim01. Doctor changes no
// file and no kernel state on any host. Last, the failure catalogue: the tools' own failures,
// produced on these hosts by tasks, come with their explanation; and at the very end sim01's
// securelevel raised (only a reboot lowers it).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { powerCycleHost } from '../../sim/infra/power-cycle.js';
import { main } from '../../src/cli/main.js';
import { defaultWiring } from '../../src/cli/wiring.js';
import { runBeastie, taskResults, type CliRun, type JsonEvent } from '../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { hostDigest } from '../helpers/host-digest.js';
import { PROJECT_RULESET_25, WALKTHROUGH_RULESET_25 } from '../fixtures/walkthrough-ruleset.js';

const J = 'jexec bhyve';
const CONF = '/usr/local/bastille/jails/bhyve/jail.conf';
const JAIL_RC = '/usr/local/bastille/jails/bhyve/root/etc/rc.conf';
const SYSTEM_CONF = '/usr/local/bastille/jails/bhyve/root/vms/.config/system.conf';
const GUEST_CONF = '/usr/local/bastille/jails/bhyve/root/vms/test/test.conf';
const KLD_LIST = 'vmm nmdm if_tap bridgestp if_bridge';
/** The kernel patch of playbooks/passthrough.yml, applied by hand in the failure catalogue's play. */
const SEED_PATCH = fileURLToPath(new URL('../../playbooks/files/bhyve-in-jail.patch', import.meta.url));

/**
 * The walk-through without passthrough, as the article types it (Bastille 0.7 on 12.2), but for
 * ruleset 25, which lists 1, 2 and 3 before 4 as bhyve-jail.yml writes it: the article's never
 * runs hide_all on a stock kernel (vfs.devfs.rule_depth 1), a set-up pitfall of its own below.
 */
const SETUP = `set -e
cat >/etc/devfs.rules <<'X'
[bastille_vnet=13]
add include $devfsrules_hide_all
add include $devfsrules_unhide_basic
add include $devfsrules_unhide_login
add include $devfsrules_jail
add include $devfsrules_jail_vnet
add path 'bpf*' unhide

${PROJECT_RULESET_25}X
service devfs restart
kldload ${KLD_LIST}
sysrc kld_list="${KLD_LIST}" >/dev/null
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

/** A ruleset's includes as printf arguments: 1, 2 and 3 before 4, or 4's own are skipped (vfs.devfs.rule_depth 1). */
const JAIL_INCLUDES = "'add include $devfsrules_hide_all' 'add include $devfsrules_unhide_basic' 'add include $devfsrules_unhide_login' 'add include $devfsrules_jail'";

/** Keep a copy of FILE beside it (planting edits it), and put it back (undoing). */
const save = (file: string) => `cp -p ${file} ${file}.doctor-test`;
const restore = (file: string) => `mv ${file}.doctor-test ${file}`;

/** Every pitfall at once on the set-up host; the guest is restarted with `vm restart`, which keeps its old bhyve options. */
const PLANTED_ALL = ['/etc/rc.conf', '/etc/devfs.rules', SYSTEM_CONF, JAIL_RC, GUEST_CONF, '/var/sim/hardware/sysctl'];
const PLANT_ALL = `set -e
${PLANTED_ALL.map(save).join('\n')}
sysrc kld_list="nmdm if_tap bridgestp" bastille_enable=YES >/dev/null
sed -i '/add path nmdm\\* unhide/d' /etc/devfs.rules
sed -i '/^\\[devfs_rules_bhyve_jail=25\\]/,$ { /^add include \\$devfsrules_\\(hide_all\\|unhide_basic\\|unhide_login\\)$/d; }' /etc/devfs.rules
${J} sysrc -f /vms/.config/system.conf ports_public=vtnet0 >/dev/null
${J} sysrc ifconfig_vnet0=DHCP >/dev/null
${J} sysrc -f /vms/test/test.conf memory=4G passthru0=1/0/0 >/dev/null
${J} vm restart test >/dev/null
echo hw_iommu_bios=off >>/var/sim/hardware/sysctl
`;
const UNDO_ALL = PLANTED_ALL.map(restore).join(' && ');

/** Evidence holding every one of `patterns`, in any order (findings come in check order). */
const holds = (...patterns: readonly RegExp[]) => new RegExp(patterns.map((pattern) => `(?=[\\s\\S]*${pattern.source})`).join(''));

/** One pitfall: exactly `ids` are found for it, their evidence matches, their fixes name `fix`. */
interface Pitfall {
  readonly name: string;
  readonly plant: string;
  readonly ids: readonly string[];
  readonly evidence: RegExp;
  readonly fix: string;
  /** What each finding says, where it matters (the CPU's). */
  readonly what?: RegExp;
}

/** A pitfall of the set-up host, and how to take it back (null: it cannot be, so it is its host's last). */
interface SetUpPitfall extends Pitfall {
  readonly undo: string | null;
}

/** Keep FILES (planting edits them), plant, and on undo put them back and run `then`. */
const editing = (files: readonly string[], plant: string, then = ''): { readonly plant: string; readonly undo: string } => ({
  plant: [...files.map(save), plant].join(' && '),
  undo: [...files.map(restore), ...(then === '' ? [] : [then])].join(' && '),
});

/**
 * Pitfalls of a host set up as the walk-through leaves it, each a change a user makes by hand; each
 * is planted alone on a set-up host, and taken back before the next (the host's files and kernel
 * state then digest as they did after the set-up), so what is found there is that pitfall's alone.
 */
const SET_UP_PITFALLS: readonly SetUpPitfall[] = [
  { name: 'vmm loaded by hand, not at boot', ...editing(['/etc/rc.conf'], `sysrc kld_list="nmdm if_tap bridgestp if_bridge"`), ids: ['vmm-not-at-boot'], evidence: /kld_list="nmdm if_tap bridgestp if_bridge"/, fix: 'name: vmm\n    persistent: true' },
  // kldload gives if_tap a new file id (ids only grow), so the kernel state cannot be taken back
  { name: 'if_tap unloaded from the host', plant: 'kldunload if_tap', undo: null, ids: ['net-driver-not-loaded'], evidence: /if_tap absent/, fix: 'name: if_tap' },
  {
    name: 'the bhyve ruleset missing from devfs.rules',
    ...editing(['/etc/devfs.rules'], `sed -i '/^\\[devfs_rules_bhyve_jail=25\\]/,$d' /etc/devfs.rules`),
    ids: ['devfs-ruleset-missing'],
    evidence: /\[bastille_vnet=13\]/,
    fix: 'devfs_rule:',
  },
  {
    name: "the seed's switch port vtnet0",
    ...editing([SYSTEM_CONF], `${J} sysrc -f /vms/.config/system.conf ports_public=vtnet0`),
    ids: ['switch-interface-missing'],
    evidence: /ports_public="vtnet0"[\s\S]*vnet0/,
    fix: 'interfaces: [vnet0]',
  },
  {
    name: 'the allow.vmm jail starts at boot, vmm is not loaded at boot',
    ...editing(['/etc/rc.conf'], `sysrc kld_list="nmdm if_tap bridgestp if_bridge" bastille_enable=YES`),
    ids: ['vmm-not-at-boot', 'vmm-before-jail'],
    evidence: holds(/bastille_enable="YES"/, /allow\.vmm;/),
    fix: 'name: vmm\n    persistent: true',
  },
  {
    name: 'nmdm* dropped from the ruleset, and loaded so',
    ...editing(['/etc/devfs.rules'], `sed -i '/add path nmdm\\* unhide/d' /etc/devfs.rules && service devfs restart`, 'service devfs restart'),
    ids: ['devfs-ruleset-incomplete'],
    evidence: /add path pci unhide/,
    fix: "add path 'nmdm*' unhide",
  },
  { name: 'DHCP on the jail interface', ...editing([JAIL_RC], `${J} sysrc ifconfig_vnet0=DHCP`), ids: ['jail-dhcp-not-sync'], evidence: /ifconfig_vnet0="DHCP"/, fix: 'SYNCDHCP' },
  {
    name: 'guest memory changed while it runs',
    ...editing([GUEST_CONF], `${J} sysrc -f /vms/test/test.conf memory=4G`),
    ids: ['guest-restart-pending'],
    evidence: /memory="4G"[\s\S]*\[bhyve options: -c 2 -m 2G/,
    fix: 'command: vm stop test',
  },
  {
    name: "the walk-through's ruleset 25 as the article writes it (include $devfsrules_jail only)",
    ...editing(['/etc/devfs.rules'], `sed -i '/^\\[devfs_rules_bhyve_jail=25\\]/,$ { /^add include \\$devfsrules_\\(hide_all\\|unhide_basic\\|unhide_login\\)$/d; }' /etc/devfs.rules && service devfs restart`, 'service devfs restart'),
    ids: ['devfs-ruleset-nested-include'],
    evidence: holds(/\[25\]\n100 include 4\n200 path vmm unhide/, /vfs\.devfs\.rule_depth: 1/),
    fix: 'add include $devfsrules_hide_all\n      - add include $devfsrules_unhide_basic\n      - add include $devfsrules_unhide_login\n      - add include $devfsrules_jail',
  },
  { name: 'nmdm not loaded at boot', ...editing(['/etc/rc.conf'], `sysrc kld_list="vmm if_tap bridgestp if_bridge"`), ids: ['nmdm-not-at-boot'], evidence: /nmdm module/, fix: 'name: nmdm' },
  {
    name: 'a rule added to devfs.rules but not loaded',
    ...editing(['/etc/devfs.rules'], `printf '%s\\n' "add path 'bpf*' unhide" >>/etc/devfs.rules`),
    ids: ['devfs-ruleset-not-loaded'],
    evidence: /add path 'bpf\*' unhide[\s\S]*\[25\]/,
    fix: 'state: restarted',
  },
  { name: 'allow.vmm removed from jail.conf', ...editing([CONF], `sed -i '/^  allow.vmm;$/d' ${CONF}`), ids: ['jail-allow-vmm'], evidence: /allow\.vmm path=/, fix: 'allow.vmm: true' },
  {
    name: 'a passthrough device reserved in pptdevs (vmm_load too), the host not rebooted since',
    ...editing([GUEST_CONF, '/boot/loader.conf'], `${J} sysrc -f /vms/test/test.conf passthru0=1/0/0 && printf '%s\\n' 'pptdevs="1/0/0"' 'vmm_load="YES"' >/boot/loader.conf`),
    // the device is still igb0's; the jail's securelevel and the kernel patch are not done either
    ids: ['pptdev-not-attached', 'jail-securelevel', 'kernel-jail-priv', 'guest-restart-pending'],
    evidence: holds(/pptdevs="1\/0\/0"/, /igb0@pci0:1:0:0/),
    fix: 'pptdev:',
  },
  {
    name: 'a VNET jail named with a dash (Bastille 0.7 creates it; 1.1+ would not)',
    plant: 'bastille create --vnet test-bhyve 12.2-RELEASE 192.168.1.226 em0 >/dev/null',
    undo: 'bastille destroy test-bhyve >/dev/null',
    ids: ['bastille-vnet-name'],
    evidence: /test-bhyve \{[\s\S]*vnet;/,
    fix: 'name: testbhyve',
  },
  { name: 'if_bridge not loaded at boot', ...editing(['/etc/rc.conf'], `sysrc kld_list="vmm nmdm if_tap bridgestp"`), ids: ['net-driver-not-at-boot'], evidence: /if_bridge module/, fix: 'name: if_bridge' },
  {
    name: "jail.conf names Bastille's ruleset 13 while the jail runs with 25",
    ...editing([CONF], `sed -i 's/devfs_ruleset = 25;/devfs_ruleset = 13;/' ${CONF}`),
    ids: ['devfs-ruleset-incomplete', 'devfs-ruleset-not-applied'],
    evidence: /devfs_ruleset=25/,
    fix: 'bastille restart bhyve',
  },
  {
    name: 'a stopped allow.vmm jail without VNET',
    plant: `bastille create plain 12.2-RELEASE 192.168.1.230 em0 >/dev/null && sed -i 's/^  securelevel = 2;/&\\n  allow.vmm;/; s/devfs_ruleset = 4;/devfs_ruleset = 25;/' /usr/local/bastille/jails/plain/jail.conf`,
    undo: 'bastille destroy plain >/dev/null',
    ids: ['jail-vnet'],
    evidence: /ip4\.addr = 192\.168\.1\.230/,
    fix: 'vnet: true',
  },
  {
    name: 'a passthrough device given to the guest of a host not prepared for it',
    ...editing([GUEST_CONF], `${J} sysrc -f /vms/test/test.conf passthru0=1/0/0`),
    // each step of passthrough.yml not done: pptdevs, vmm_load, the jail's securelevel, the kernel patch; and the restart
    ids: ['jail-securelevel', 'kernel-jail-priv', 'vmm-load-missing', 'pptdev-not-reserved', 'guest-restart-pending'],
    evidence: holds(/passthru0="1\/0\/0"/, /r366954/, /securelevel = 2;/),
    fix: 'kernel_patch:',
  },
];

/** Set-up hosts the pitfalls take turns on: a set-up costs more than a doctor run over a few hosts. */
const PITFALL_HOSTS = 3;
/**
 * Round r plants ROUNDS[r][h] on pitfall host h. The pitfalls that cannot be undone come last in
 * the list, so they fall in the last round, each its host's last.
 */
const ROUNDS: readonly (readonly SetUpPitfall[])[] = (() => {
  const ordered = [...SET_UP_PITFALLS.filter((pitfall) => pitfall.undo !== null), ...SET_UP_PITFALLS.filter((pitfall) => pitfall.undo === null)];
  const rounds = Array.from({ length: Math.ceil(ordered.length / PITFALL_HOSTS) }, (_, r) => ordered.slice(r * PITFALL_HOSTS, (r + 1) * PITFALL_HOSTS));
  if (rounds.slice(0, -1).some((round) => round.some((pitfall) => pitfall.undo === null))) throw new Error('more pitfalls without an undo than pitfall hosts in the last round');
  return rounds;
})();

/** The original machine description of sim02, kept in the test (`/var/sim/hardware/sysctl`). */
const HW = '/var/sim/hardware/sysctl';
const machine = (lines: string, loader: string) => `{ cat ${HW}.doctor-test; printf '%s\\n' '${lines}'; } >${HW} && printf '%s\\n' 'vmm_load="YES"' 'nmdm_load="YES"' ${loader} >/boot/loader.conf`;
// sim02 is the novtx profile (SIM_CPU_VTX=no), so a machine with virtualisation names its features.
const EPYC = 'hw_model="AMD EPYC 7302P 16-Core Processor"\nhw_cpu_virt="NP,NRIP,VClean,AFlush,DAssist,NAsids=32768"';

/** A state of sim02: `plant` builds it from the one before (no undo); `boot` power-cycles after it, for what only a boot shows. */
interface Machine extends Pitfall {
  readonly boot: boolean;
}

/** sim03's pitfall (Bastille 1.4): a devfs.rules with the bhyve ruleset but not Bastille's, on a host with vmm and nmdm loaded. */
const BASTILLE_1: Pitfall = {
  name: "Bastille 1.x with a devfs.rules that lacks bastille_vnet=13",
  plant: `kldload vmm nmdm && printf '%s\\n' 'vmm_load="YES"' 'nmdm_load="YES"' >/boot/loader.conf && cat >/etc/devfs.rules <<'X'\n${WALKTHROUGH_RULESET_25}X\n`,
  ids: ['bastille-setup-devfs'],
  evidence: holds(/1\.4\.4/, /\[devfs_rules_bhyve_jail=25\]/),
  fix: 'number: 13',
};

/** sim02's states, in order, from its first boot (nothing loaded, no loader.conf). */
const MACHINES: readonly Machine[] = [
  // the novtx CPU's Features2 line has no VMX, so doctor names the CPU before anyone loads vmm
  { name: 'nmdm loaded (and at boot), vmm not loaded, on a CPU without VMX', plant: `kldload nmdm && printf '%s\\n' 'nmdm_load="YES"' >/boot/loader.conf`, boot: false, ids: ['cpu-virtualization', 'vmm-not-loaded'], evidence: holds(/vmm absent/, /  Features2=0x7ffafbdf<SSE3,PCLMULQDQ,DTES64,MON,DS_CPL,SMX,/), what: /no VT-x: its Features2 line has no VMX|vmm\.ko is not loaded/, fix: 'name: vmm\n    persistent: true' },
  // kldload links vmm.ko but its MOD_LOAD fails on this CPU, so kldload exits 1
  { name: 'the novtx profile: no VT-x at all', plant: `printf '%s\\n' 'vmm_load="YES"' >>/boot/loader.conf && { kldload vmm; true; }`, boot: false, ids: ['cpu-virtualization'], evidence: /vmx_init: processor does not support VMX operation/, what: /no VT-x/, fix: 'firmware' },
  { name: 'VT-x without EPT', plant: machine('hw_cpu_virt="PAT,HLT,MTF,PAUSE,VPID"', ''), boot: true, ids: ['cpu-virtualization'], evidence: /VT-x: PAT,HLT,MTF,PAUSE,VPID\n[\s\S]*vmx_init: processor does not support desired secondary processor-based controls/, what: /lacks EPT and UG/, fix: 'EPT/RVI' },
  { name: 'VT-x turned off in the firmware', plant: machine('hw_cpu_virt="PAT,HLT,MTF,PAUSE,EPT,UG,VPID"\nhw_cpu_virt_bios=off', ''), boot: true, ids: ['cpu-virtualization'], evidence: /VT-x: \(disabled in BIOS\)[\s\S]*vmx_init: VMX operation disabled by BIOS/, what: /disabled in the firmware/, fix: 'firmware' },
  { name: 'AMD-V without nested paging', plant: machine('hw_model="AMD Athlon(tm) 64 X2 Dual Core Processor 5000+"\nhw_cpu_virt="NAsids=64"', ''), boot: true, ids: ['cpu-virtualization'], evidence: /SVM: NAsids=64\n[\s\S]*SVM: Nested Paging feature not available\./, what: /nested paging/, fix: 'firmware' },
  // an Athlon 64 X2 of 2005 (Toledo): SSE3 but no POPCNT on Features2, no SVM on AMD Features2; vmm fails at boot
  { name: 'AMD CPU older than Barcelona: no POPCNT, no SVM', plant: machine('hw_model="AMD Athlon(tm) 64 X2 Dual Core Processor 4400+"\nhw_cpu_virt=none\nhw_cpu_features2=SSE3\nhw_cpu_amd_features2=LAHF,CMP', ''), boot: true, ids: ['cpu-virtualization'], evidence: /  Features2=0x1<SSE3>\n  AMD Features2=0x3<LAHF,CMP>\n[\s\S]*SVM: not available\./, what: /no POPCNT \(Features2=<SSE3>\), so it predates Barcelona/, fix: 'firmware' },
  // the message buffer cleared since that boot: the boot lines are read from rc.d/dmesg's copy
  { name: 'the same CPU, its message buffer cleared with dmesg -c', plant: 'dmesg -c >/dev/null && test -z "$(dmesg)" && test "$(ls -l /var/run/dmesg.boot | cut -c1-10)" = -rw-r--r--', boot: false, ids: ['cpu-virtualization'], evidence: /\/var\/run\/dmesg\.boot[\s\S]*  Features2=0x1<SSE3>\n  AMD Features2=0x3<LAHF,CMP>\n[\s\S]*SVM: not available\./, what: /so it predates Barcelona/, fix: 'firmware' },
  { name: 'AMD-Vi present but not enabled, with a device reserved', plant: machine(EPYC, "'pptdevs=\"1/0/0\"'"), boot: true, ids: ['amdvi-disabled'], evidence: holds(/IVRS: Length=/, /hw\.vmm\.amdvi\.enable: 0/), what: /IVRS/, fix: 'name: hw.vmm.amdvi.enable' },
  { name: 'Intel VT-d turned off in the firmware, with a device reserved', plant: machine('hw_cpu_virt="PAT,HLT,MTF,PAUSE,EPT,UG,VPID"\nhw_iommu_bios=off', "'pptdevs=\"1/0/0\"'"), boot: true, ids: ['iommu-missing'], evidence: /acpidump -t/, what: /neither a DMAR/, fix: 'IOMMU' },
  // the fix of the AMD-Vi finding, applied, on a loader.conf that forgot nmdm
  {
    name: 'AMD-Vi enabled by the loader tunable, nmdm not loaded',
    plant: `${machine(EPYC, "'pptdevs=\"1/0/0\"' 'hw.vmm.amdvi.enable=\"1\"'")} && sed -i '/^nmdm_load=/d' /boot/loader.conf`,
    boot: true,
    ids: ['nmdm-not-loaded'],
    evidence: /nmdm absent/,
    what: /nmdm\.ko is not loaded/,
    fix: 'name: nmdm\n    persistent: true',
  },
  // nmdm at boot now; a kernel built from 12.1's sources (an old /usr/src) booted once on the 12.2 userland
  {
    name: "a local kernel built from another release's /usr/src",
    plant: `printf '%s\\n' 'nmdm_load="YES"' >>/boot/loader.conf && printf 0 >/var/sim/control/buildkernel-seconds && cd /usr/src && ${save('sys/conf/newvers.sh')} && sed -i 's/^REVISION=.*/REVISION="12.1"/' sys/conf/newvers.sh && make buildkernel KERNCONF=GENERIC >/dev/null && make installkernel KERNCONF=GENERIC INSTKERNNAME=kernel.local >/dev/null && ${restore('sys/conf/newvers.sh')} && nextboot -k kernel.local`,
    boot: true,
    ids: ['kernel-sources'],
    evidence: holds(/uname -r\n12\.1-RELEASE/, /freebsd-version -u\n12\.2-RELEASE/),
    fix: 'kernel_patch:',
  },
  // the default kernel again (nextboot is for one boot): a clean AMD host
  { name: 'the same host booted again', plant: '', boot: true, ids: [], evidence: /.*/, fix: '' },
];

type FindingEvent = { id: string; severity: 'error' | 'warning'; what: string; jail?: string; evidence: { where: string; command: string; output: string }[]; fix: { task: string; step: string } };

describe('beastie doctor on the simulated fleet', () => {
  let fleet: TestFleet;
  /** PITFALL_HOSTS hosts, each set up as sim01 is: round r plants ROUNDS[r][h] on host h. */
  let pitfallFleet: TestFleet;
  const pitfallHosts = () => pitfallFleet.hosts.map((host) => host.name);
  /** Each pitfall host's files (directories too) and kernel state, as the set-up left them. */
  const setUp = new Map<string, string>();
  const everything = { withKernel: true, directories: true } as const;
  let scratch: string;

  /** `beastie doctor --json` in-process on `hosts`, with each host's files and kernel state digested before and after. */
  async function doctor(hosts: readonly string[], extra: readonly string[] = [], on: TestFleet = fleet): Promise<{ readonly code: number; readonly findings: (host: string) => readonly FindingEvent[]; readonly changed: readonly string[] }> {
    const before = hosts.map((host) => hostDigest(on, host, { withKernel: true }));
    let stdout = '';
    let stderr = '';
    const code = await main(
      ['doctor', '-i', on.inventory, '--limit', hosts.join(','), '--json', ...extra],
      { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env: { NO_COLOR: '1' }, cwd: scratch },
      defaultWiring(),
    );
    const events = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as JsonEvent);
    if (events.length === 0) throw new Error(`doctor printed no events (exit ${code}): ${stderr}`);
    const changed = hosts.filter((host, index) => hostDigest(on, host, { withKernel: true }) !== before[index]);
    return { code, changed, findings: (host) => (events.find((event) => event.event === 'doctor_host' && event['host'] === host)?.['findings'] ?? []) as FindingEvent[] };
  }

  /** Exactly the pitfall's findings (of `found`, those with its ids), each with evidence matching and a fix from the walk-through. */
  function expectFound(all: readonly FindingEvent[], pitfall: Pick<Pitfall, 'name' | 'ids' | 'evidence' | 'fix' | 'what'>): void {
    const found = all.filter((entry) => pitfall.ids.includes(entry.id));
    expect(found.map((entry) => entry.id).sort(), pitfall.name).toEqual([...pitfall.ids].sort());
    if (pitfall.ids.length === 0) return;
    const evidence = found.flatMap((entry) => entry.evidence.map((e) => `${e.command}\n${e.output}`)).join('\n');
    expect(evidence, pitfall.name).toMatch(pitfall.evidence);
    expect(found.map((entry) => entry.fix.task).join('\n'), pitfall.name).toContain(pitfall.fix);
    for (const entry of found) expect(entry.fix.step, `${pitfall.name}: ${entry.id}`).toMatch(/^walk-through/);
    const what = pitfall.what;
    if (what !== undefined) for (const entry of found) expect(entry.what, pitfall.name).toMatch(what);
  }

  async function onHost(host: string, command: string, what: string, on: TestFleet = fleet): Promise<void> {
    if (command === '') return;
    const result = await on.ssh(host, command, 180_000);
    if (result.exitCode !== 0) throw new Error(`${host}: ${what} failed (exit ${result.exitCode}): ${result.stderr}${result.stdout}`);
  }

  beforeAll(async () => {
    [fleet, pitfallFleet] = await Promise.all([startFleet({ hosts: 3, profile: 'seed:1,novtx:1,current:1' }), startFleet({ hosts: PITFALL_HOSTS, profile: 'seed' })]);
    scratch = await mkdtemp(join(tmpdir(), 'beastie-doctor-'));
    await Promise.all([
      onHost('sim01', SETUP, 'the walk-through set-up'),
      onHost('sim02', `cp -p ${HW} ${HW}.doctor-test`, 'keeping the machine description'),
      ...pitfallHosts().map((host) => onHost(host, SETUP, 'the walk-through set-up', pitfallFleet)),
    ]);
    for (const host of pitfallHosts()) setUp.set(host, hostDigest(pitfallFleet, host, everything));
  }, 900_000);
  afterAll(async () => {
    await Promise.all([fleet?.down(), pitfallFleet?.down()]);
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  for (const [r, round] of ROUNDS.entries()) {
    it(`each set-up pitfall alone on a set-up host, round ${r + 1} of ${ROUNDS.length} (one doctor run): ${round.map((pitfall) => pitfall.name).join('; ')}`, async () => {
      const hosts = pitfallHosts().slice(0, round.length);
      await Promise.all(round.map((pitfall, h) => onHost(hosts[h] ?? '', pitfall.plant, `planting "${pitfall.name}"`, pitfallFleet)));
      const run = await doctor(hosts, [], pitfallFleet);
      expect(run.changed, 'doctor changed these hosts').toEqual([]);
      round.forEach((pitfall, h) => {
        const findings = run.findings(hosts[h] ?? '');
        // exactly this pitfall's findings on its host, nothing else
        expect(findings.map((entry) => entry.id).sort(), `${hosts[h]}: ${pitfall.name}`).toEqual([...pitfall.ids].sort());
        expectFound(findings, pitfall);
      });
      // every pitfall host has an error finding, so doctor exits 2
      expect(run.code).toBe(2);
      // taken back, each host is again as the set-up left it, for the next round's pitfall
      await Promise.all(round.map((pitfall, h) => onHost(hosts[h] ?? '', pitfall.undo ?? '', `undoing "${pitfall.name}"`, pitfallFleet)));
      round.forEach((pitfall, h) => {
        const host = hosts[h] ?? '';
        if (pitfall.undo !== null) expect(hostDigest(pitfallFleet, host, everything), `${host}: after undoing "${pitfall.name}"`).toBe(setUp.get(host));
      });
    }, 300_000);
  }

  for (const [n, cpu] of MACHINES.entries()) {
    const bastille1 = n === 0 ? BASTILLE_1 : undefined;
    const names = [`sim02 ${cpu.name}`, ...(bastille1 === undefined ? [] : [`sim03 ${bastille1.name}`])];
    it(`each pitfall alone: ${names.join('; ')}`, async () => {
      const hosts = ['sim02', ...(bastille1 === undefined ? [] : ['sim03'])];
      await Promise.all([
        (async () => {
          await onHost('sim02', cpu.plant, `making "${cpu.name}"`);
          if (cpu.boot) expect((await powerCycleHost(fleet.dir, 'sim02')).state.state, cpu.name).toBe('up');
        })(),
        onHost('sim03', bastille1?.plant ?? '', `planting "${bastille1?.name ?? ''}"`),
      ]);
      const run = await doctor(hosts);
      expect(run.changed, 'doctor changed these hosts').toEqual([]);
      expect(run.findings('sim02').map((entry) => entry.id), cpu.name).toEqual(cpu.ids);
      expectFound(run.findings('sim02'), cpu);
      if (bastille1 !== undefined) {
        expect(run.findings('sim03').map((entry) => entry.id), bastille1.name).toEqual(bastille1.ids);
        expectFound(run.findings('sim03'), bastille1);
      }
      // exit 2 exactly when some host has an error finding; warnings alone pass
      expect(run.code).toBe(hosts.some((host) => run.findings(host).some((entry) => entry.severity === 'error')) ? 2 : 0);
    }, 600_000);
  }

  it('a host set up as the walk-through says has no finding, and doctor changes nothing', async () => {
    const run = await doctor(['sim01']);
    expect(run.changed).toEqual([]);
    expect(run.findings('sim01')).toEqual([]);
    expect(run.code).toBe(0);
    // --jail names the one jail to examine: one the host lacks is an error, shown with jls
    const named = await doctor(['sim01'], ['--jail', 'nosuch']);
    expect(named.changed).toEqual([]);
    expect(named.findings('sim01').map((entry) => entry.id)).toEqual(['jail-missing']);
    expect(named.findings('sim01')[0]?.evidence.map((e) => `${e.command}\n${e.output}`).join('\n')).toMatch(/jls[\s\S]*name=bhyve/);
    expect(named.code).toBe(2);
  }, 300_000);

  describe('every pitfall at once', () => {
    let doctorRun: CliRun;
    const digests = new Map<string, string>();
    const findingsOf = (host: string) => (doctorRun.events.find((event) => event.event === 'doctor_host' && event['host'] === host)?.['findings'] ?? []) as readonly FindingEvent[];
    const finding = (host: string, id: string) => findingsOf(host).find((entry) => entry.id === id);

    beforeAll(async () => {
      await onHost('sim01', PLANT_ALL, 'planting every pitfall');
      for (const host of ['sim01', 'sim02', 'sim03']) digests.set(host, hostDigest(fleet, host, { withKernel: true }));
      doctorRun = await runBeastie(['doctor', '-i', fleet.inventory, '--json', '--report', join(scratch, 'doctor.html')]);
    }, 600_000);

    it('changes nothing on any host, and exits 2 because a host has an error', () => {
      for (const host of ['sim01', 'sim02', 'sim03']) expect(hostDigest(fleet, host, { withKernel: true }), host).toBe(digests.get(host));
      expect(doctorRun.exitCode, doctorRun.stderr).toBe(2);
      expect(doctorRun.events.at(-1)).toMatchObject({ event: 'doctor_recap', hosts: 3, examined: 3, exitCode: 2 });
    });

    it('the AMD host with AMD-Vi enabled and nmdm loaded is clean, and so is the Bastille 1.4 host still', () => {
      expect(findingsOf('sim02')).toEqual([]);
      expect(findingsOf('sim03').map((entry) => entry.id)).toEqual(['bastille-setup-devfs']);
    });

    it('finds every planted pitfall on sim01, with its evidence and its fix', () => {
      const ids = findingsOf('sim01').map((entry) => entry.id);
      expect(new Set(ids)).toEqual(
        new Set([
          'iommu-missing',
          'vmm-not-at-boot',
          'net-driver-not-at-boot',
          'vmm-before-jail',
          'devfs-ruleset-incomplete',
          'devfs-ruleset-not-loaded',
          'devfs-ruleset-nested-include',
          'jail-securelevel',
          'kernel-jail-priv',
          'vmm-load-missing',
          'pptdev-not-reserved',
          'guest-restart-pending',
          'switch-interface-missing',
          'jail-dhcp-not-sync',
        ]),
      );
      const sw = finding('sim01', 'switch-interface-missing');
      expect(sw?.evidence.map((e) => e.output).join('\n')).toMatch(/ports_public="vtnet0"[\s\S]*vnet0/);
      expect(sw?.fix.task).toContain('interfaces: [vnet0]');
      const restart = finding('sim01', 'guest-restart-pending');
      expect(restart?.what).toMatch(/memory 2G → 4G/);
      expect(restart?.evidence[0]?.output).toContain('[bhyve options: -c 2 -m 2G');
      expect(restart?.fix.task).toContain('command: vm stop test');
      const ruleset = finding('sim01', 'devfs-ruleset-incomplete');
      expect(ruleset?.what).toContain('nmdm*');
      expect(ruleset?.fix.task).toContain("add path 'nmdm*' unhide");
      expect(finding('sim01', 'jail-securelevel')?.evidence[0]).toMatchObject({ where: 'jail bhyve', command: 'jexec bhyve sysctl -n kern.securelevel', output: '2' });
      expect(finding('sim01', 'kernel-jail-priv')?.evidence.map((e) => e.output).join('\n')).toContain('r366954');
      expect(finding('sim01', 'iommu-missing')?.evidence[0]?.command).toContain('acpidump -t');
      expect(finding('sim01', 'pptdev-not-reserved')?.fix.task).toContain('pptdev:');
      for (const entry of findingsOf('sim01')) expect(entry.fix.step).toMatch(/^walk-through/);
    });

    it('vm restart kept the old bhyve options, as vm-bhyve does', async () => {
      const log = await fleet.ssh('sim01', `${J} grep -E 'restarting|bhyve options' /vms/test/vm-bhyve.log`);
      expect(log.stdout).toMatch(/restarting\n.*\[bhyve options: -c 2 -m 2G /);
    });

    it('play --preflight refuses a bhyve play before any change where no task can fix the host, and lets it run where the host is fit', async () => {
      await writeFile(
        join(scratch, 'guest.yml'),
        '- hosts: sim01\n  gather_facts: false\n  tasks:\n    - { name: the guest, vm_guest: { name: test, state: present }, jail: bhyve }\n' +
          '- hosts: sim02\n  gather_facts: false\n  tasks:\n    - { name: the NIC stays reserved, pptdev: { devices: ["1/0/0"] } }\n',
      );
      const before = ['sim01', 'sim02'].map((host) => hostDigest(fleet, host, { withKernel: true }));
      const refused = await runBeastie(['play', join(scratch, 'guest.yml'), '-i', fleet.inventory, '--preflight']);
      expect(refused.exitCode, refused.stderr).toBe(2);
      expect(refused.stdout).toContain('iommu-missing');
      expect(refused.stdout).toContain('acpidump -t');
      expect(refused.stderr).toContain('PREFLIGHT: refusing to run');
      expect(refused.stdout).not.toContain('TASK [');
      expect(['sim01', 'sim02'].map((host) => hostDigest(fleet, host, { withKernel: true }))).toEqual(before);
      const fit = await runBeastie(['play', join(scratch, 'guest.yml'), '-i', fleet.inventory, '--preflight', '--limit', 'sim02']);
      expect(fit.stderr).toContain('PREFLIGHT: 1 host ok (cpu-virtualization, iommu)');
      expect(fit.exitCode, fit.stdout).toBe(0);
      expect(fit.stdout).toContain('TASK [the NIC stays reserved]');
    }, 300_000);

    it('writes the same findings into the HTML report, escaped', async () => {
      const page = await readFile(join(scratch, 'doctor.html'), 'utf8');
      expect(page).toContain("default-src 'none'");
      expect(page).toContain('switch-interface-missing');
      expect(page).toContain('ports_public=&#34;vtnet0&#34;');
    });
  });

  describe("the tools' own failures, explained under the failed tasks", () => {
    let run: CliRun;
    /** bhyve passing sim01's igb0 through, as the jailed tasks run it. */
    const bhyve = 'bhyve -c 1 -m 256M -S -s 0,hostbridge -s 6:0,passthru,1/0/0 probe';
    const explained = (task: string) => (taskResults(run).find((event) => event['task'] === task)?.['explanation'] as { id?: string } | undefined)?.id;

    beforeAll(async () => {
      // sim02 back to the seed machine without VT-x, booted with nothing loaded; sim01 back to the
      // walk-through, with a second jail "plain" with allow.vmm whose devfs rulesets (26–27) unhide
      // less than bhyve needs.
      await Promise.all([
        (async () => {
          await onHost('sim02', `mv ${HW}.doctor-test ${HW} && rm -f /boot/loader.conf && ASSUME_ALWAYS_YES=yes pkg install vm-bhyve >/dev/null && printf '%s\\n' 'probe {' '  path = /;' '  allow.vmm;' '  persist;' '}' >/etc/jail.conf`, 'preparing sim02');
          expect((await powerCycleHost(fleet.dir, 'sim02')).state.state).toBe('up');
        })(),
        onHost(
          'sim01',
          `${UNDO_ALL} && printf '%s\\n' '[vmm_only=26]' ${JAIL_INCLUDES} 'add path vmm unhide' "add path 'vmm/*' unhide" '[with_pci=27]' ${JAIL_INCLUDES} 'add path vmm unhide' "add path 'vmm/*' unhide" 'add path pci unhide' >>/etc/devfs.rules && service devfs restart && bastille create plain 12.2-RELEASE 192.168.1.230 em0 >/dev/null && bastille start plain >/dev/null && cp -p ${HW} ${HW}.iommu-test && echo hw_iommu_bios=off >>${HW}`,
          'the jail plain, and sim01 without an IOMMU (VT-d off in the firmware)',
        ),
      ]);
      const jail = (ruleset: number) => `{ name: "plain: ruleset ${ruleset}", shell: "bastille stop plain && sed -i 's/devfs_ruleset = [0-9]*;/devfs_ruleset = ${ruleset};/; s/securelevel = [0-9-]*;/securelevel = -1;/; /allow.vmm;/d; s/^  mount.devfs;/&\\\\n  allow.vmm;/' /usr/local/bastille/jails/plain/jail.conf && bastille start plain" }`;
      await writeFile(
        join(scratch, 'failures.yml'),
        `- hosts: sim01
  gather_facts: false
  tasks:
    - { name: if_tap gone from the host, command: kldunload if_tap }
    - { name: vm init in the jail, command: vm init, jail: bhyve, ignore_errors: true }
    - { name: if_tap back, command: kldload if_tap }
    - { name: the seed's switch port, command: vm switch add public vtnet0, jail: bhyve, ignore_errors: true }
    - { name: kldload in the jail, command: kldload if_bridge, jail: bhyve, ignore_errors: true }
    - { name: kldload twice, command: kldload vmm, ignore_errors: true }
    - { name: bhyve in a jail without allow.vmm, command: "${bhyve}", jail: plain, ignore_errors: true }
    - { name: passthrough without wired memory, command: "bhyve -c 1 -m 256M -s 0,hostbridge -s 6:0,passthru,1/0/0 probe", jail: bhyve, ignore_errors: true }
    - { name: passthrough at securelevel 2, command: "${bhyve}", jail: bhyve, ignore_errors: true }
    - ${jail(26)}
    - { name: passthrough with pci hidden, command: "${bhyve}", jail: plain, ignore_errors: true }
    - ${jail(27)}
    - { name: passthrough with io hidden, command: "${bhyve}", jail: plain, ignore_errors: true }
    - ${jail(25)}
    - { name: passthrough on a release kernel, command: "${bhyve}", jail: plain, ignore_errors: true }
    - { name: the kernel patch copied, copy: { src: "${SEED_PATCH}", dest: /root/bhyve-in-jail.patch } }
    - { name: the kernel patch by hand, shell: "cd /usr/src && patch -p0 < /root/bhyve-in-jail.patch" }
    - { name: the kernel patch by hand again, shell: "cd /usr/src && patch -p0 < /root/bhyve-in-jail.patch" }
    - { name: a passthrough guest on a host without an IOMMU, vm_guest: { name: noiommu, state: running, config: { passthru0: 1/0/1 } }, jail: bhyve, ignore_errors: true }
    - { name: the guest without an IOMMU gone, vm_guest: { name: noiommu, state: absent }, jail: bhyve }
    - { name: the guest given more memory while it runs, vm_guest: { name: test, state: running, config: { memory: 4G } }, jail: bhyve }
    - { name: the guest given more memory while it runs again, vm_guest: { name: test, state: running, config: { memory: 4G } }, jail: bhyve }
    - { name: plain's securelevel edited by hand, command: "sed -i 's/securelevel = -1;/securelevel = 0;/' /usr/local/bastille/jails/plain/jail.conf" }
    - { name: the jail plain is there, bastille_jail: { name: plain, state: present } }
- hosts: sim03
  gather_facts: false
  tasks:
    - { name: the seed's VNET jail name on Bastille 1.4, command: bastille create --vnet test-bhyve 14.3-RELEASE 192.168.1.226 em0, ignore_errors: true }
- hosts: sim02
  gather_facts: false
  tasks:
    - { name: if_tuntap on 12.2, command: kldload if_tuntap, ignore_errors: true }
    - { name: a jail with allow.vmm before vmm, command: jail -c probe, ignore_errors: true }
    - { name: bhyve without vmm, command: "bhyve -c 1 -m 256M -s 0,hostbridge probe", ignore_errors: true }
    - { name: vm before vm_enable, command: vm list, ignore_errors: true }
    - { name: vm_enable, command: sysrc vm_enable=YES }
    - { name: vm on a CPU without VT-x, command: vm list, ignore_errors: true }
    - { name: host checks off, command: sysrc vm_disable_host_checks=yes }
    - { name: vm before vm_dir, command: vm list, ignore_errors: true }
    - { name: vm_dir, shell: "sysrc vm_dir=/vms && mkdir -p /vms" }
    - { name: securelevel raised, command: sysctl kern.securelevel=1 }
    - { name: securelevel lowered, command: sysctl kern.securelevel=-1, ignore_errors: true }
    - { name: vm init at securelevel 1, command: vm init, ignore_errors: true }
`,
      );
      run = await runBeastie(['play', join(scratch, 'failures.yml'), '-i', fleet.inventory, '--json']);
    }, 600_000);

    const expected: readonly (readonly [string, string])[] = [
      ['vm init in the jail', 'vm-bhyve-load-module-in-jail'],
      ["the seed's switch port", 'vm-switch-add-member'],
      ['kldload in the jail', 'kldload-eperm'],
      ['kldload twice', 'kldload-already-loaded'],
      ['bhyve in a jail without allow.vmm', 'vm-create-eperm'],
      ['passthrough without wired memory', 'bhyve-passthru-wired'],
      ['passthrough at securelevel 2', 'bhyve-pci-eperm'],
      ['passthrough with pci hidden', 'bhyve-pci-hidden'],
      ['passthrough with io hidden', 'bhyve-io-hidden'],
      ['passthrough on a release kernel', 'bhyve-io-eperm'],
      ['if_tuntap on 12.2', 'kldload-if-tuntap-12'],
      ['a jail with allow.vmm before vmm', 'jail-unknown-allow-vmm'],
      ['bhyve without vmm', 'vm-create-no-vmm'],
      ['vm before vm_enable', 'vm-bhyve-not-enabled'],
      ['vm before vm_dir', 'vm-bhyve-no-vm-dir'],
      ['vm on a CPU without VT-x', 'vm-bhyve-vmm-not-initialised'],
      ['securelevel lowered', 'securelevel-lower'],
      ['vm init at securelevel 1', 'vm-bhyve-load-module'],
      ['a passthrough guest on a host without an IOMMU', 'vm-bhyve-no-iommu'],
      // patch exits 0: without a terminal it took the default answer and un-applied the patch
      ['the kernel patch by hand again', 'patch-reversed'],
      ["the seed's VNET jail name on Bastille 1.4", 'bastille-vnet-name'],
    ];
    it.each(expected)('%s → %s', (task, id) => {
      expect(explained(task), `${task}: ${JSON.stringify(taskResults(run).find((event) => event['task'] === task))}`).toBe(id);
    });

    it('the patch by hand twice: the second run un-applied it, exit 0, and only it is explained', () => {
      const first = taskResults(run).find((event) => event['task'] === 'the kernel patch by hand');
      const second = taskResults(run).find((event) => event['task'] === 'the kernel patch by hand again');
      expect([first?.['status'], second?.['status']]).toEqual(['changed', 'changed']);
      expect(first?.['explanation']).toBeUndefined();
      expect(String(second?.['stdout'])).toContain('Reversed (or previously applied) patch detected!  Assume -R? [y] ');
    });

    it('vm_guest warns on every run that a running guest whose memory changed needs vm stop and vm start', () => {
      const statuses = ['the guest given more memory while it runs', 'the guest given more memory while it runs again'].map((task) => taskResults(run).find((event) => event['task'] === task)?.['status']);
      expect(statuses).toEqual(['changed', 'ok']);
      const warned = run.events.filter((event) => event.event === 'warning' && event['host'] === 'sim01' && String(event['msg']).startsWith('guest test runs with its old configuration (memory 2G → 4G)'));
      // one warning per run, each right after its task's result
      const at = (task: string) => run.events.findIndex((event) => event.event === 'task_result' && event['task'] === task);
      expect(warned.map((event) => run.events.indexOf(event) - 1), JSON.stringify(warned)).toEqual([at('the guest given more memory while it runs'), at('the guest given more memory while it runs again')]);
    });

    it('bastille_jail warns that a running jail needs a restart when its jail.conf changed under it', () => {
      const result = taskResults(run).find((event) => event['task'] === 'the jail plain is there');
      expect(result, JSON.stringify(result)).toMatchObject({ host: 'sim01', status: 'ok' });
      expect(run.events.filter((event) => event.event === 'warning' && event['host'] === 'sim01').map((event) => event['msg'])).toContain(
        "jail plain runs with parameters other than its jail.conf's (securelevel: running -1, jail.conf 0): they apply only when it restarts (bastille restart plain)",
      );
    });

    it('shows the cause and the fix under the failure in the human output', async () => {
      await writeFile(join(scratch, 'human.yml'), '- hosts: sim01\n  gather_facts: false\n  tasks:\n    - { name: if_tuntap on 12.2, command: kldload if_tuntap }\n');
      const human = await runBeastie(['play', join(scratch, 'human.yml'), '-i', fleet.inventory]);
      expect(human.stdout).toMatch(/kldload: can't load if_tuntap: No such file or directory\n\s+cause: FreeBSD 12\.x has no if_tuntap[^\n]*\n\s+fix: on 12\.x load if_tap/);
    }, 300_000);

    it('a kernel granting jails PRIV_IO without PRIV_KMEM_WRITE: jailed bhyve fails at /dev/mem, explained; doctor names the missing privilege and changes nothing', async () => {
      // The tree is unpatched again (the patch by hand twice). Half of the repository's patch (its
      // PRIV_KMEM_WRITE line left out), built, installed beside the default kernel, booted once.
      const half = (await readFile(SEED_PATCH, 'utf8')).replace('@@ -3320,5 +3320,7 @@', '@@ -3320,5 +3320,6 @@').replace('+\tcase PRIV_KMEM_WRITE:\n', '');
      await onHost(
        'sim01',
        `cat >/root/half.patch <<'X'\n${half}X\nprintf 0 >/var/sim/control/buildkernel-seconds && cd /usr/src && patch -p0 </root/half.patch >/dev/null && make buildkernel KERNCONF=GENERIC >/dev/null && make installkernel KERNCONF=GENERIC INSTKERNNAME=kernel.io >/dev/null && nextboot -k kernel.io`,
        'building a kernel from the half-patched tree',
      );
      expect((await powerCycleHost(fleet.dir, 'sim01')).state.state).toBe('up');
      await onHost('sim01', `bastille start bhyve >/dev/null && bastille start plain >/dev/null && ${J} sysrc -f /vms/test/test.conf passthru0=1/0/0 >/dev/null`, 'the jails started, the guest given a passthrough device');
      await writeFile(join(scratch, 'half.yml'), `- hosts: sim01\n  gather_facts: false\n  tasks:\n    - { name: passthrough on a kernel granting PRIV_IO alone, command: "${bhyve}", jail: plain, ignore_errors: true }\n`);
      const failed = taskResults(await runBeastie(['play', join(scratch, 'half.yml'), '-i', fleet.inventory, '--json']))[0];
      expect(String(failed?.['stderr'])).toContain('bhyve: failed to open /dev/mem: Operation not permitted');
      expect(failed?.['explanation'], JSON.stringify(failed)).toMatchObject({ id: 'bhyve-mem-eperm', cause: /grants jails PRIV_IO but not PRIV_KMEM_WRITE/ });
      const found = await doctor(['sim01']);
      expect(found.changed, 'doctor changed these hosts').toEqual([]);
      expectFound(found.findings('sim01'), {
        name: 'a kernel built from a kern_jail.c granting PRIV_IO alone',
        ids: ['kernel-jail-priv'],
        evidence: holds(/\/boot\/kernel\.io\/kernel/, /#\d+: /, /case PRIV_IO:\n\d+:\tcase PRIV_KMEM_READ:\n\d+-\t\treturn \(0\);/),
        fix: 'kernel_patch:\n    src: files/bhyve-in-jail.patch',
        what: /grants jails PRIV_IO without PRIV_KMEM_WRITE: bhyve\/test likely gets past \/dev\/io and fails with "failed to open \/dev\/mem: Operation not permitted"/,
      });
    }, 600_000);

    it('the whole change by hand, as the article builds it: jailed bhyve gets past /dev/mem to the ppt check, and doctor can only warn that nothing ties the kernel to the patched tree', async () => {
      // The half patch taken back and the repository's patch applied, by hand; built, installed
      // beside the default kernel and booted once (no beastie.patch-sha256 stamp: kernel_patch writes it).
      await onHost(
        'sim01',
        `cd /usr/src && patch -R -p0 </root/half.patch >/dev/null && patch -p0 </root/bhyve-in-jail.patch >/dev/null && make buildkernel KERNCONF=GENERIC >/dev/null && make installkernel KERNCONF=GENERIC INSTKERNNAME=kernel.full >/dev/null && nextboot -k kernel.full`,
        'building a kernel from the fully patched tree by hand',
      );
      expect((await powerCycleHost(fleet.dir, 'sim01')).state.state).toBe('up');
      await onHost('sim01', 'bastille start bhyve >/dev/null && bastille start plain >/dev/null', 'the jails started');
      await writeFile(join(scratch, 'full.yml'), `- hosts: sim01\n  gather_facts: false\n  tasks:\n    - { name: passthrough on the patched kernel, command: "${bhyve}", jail: plain, ignore_errors: true }\n`);
      const failed = taskResults(await runBeastie(['play', join(scratch, 'full.yml'), '-i', fleet.inventory, '--json']))[0];
      // past /dev/io and /dev/mem: igb0 is not reserved for ppt on this host
      expect(String(failed?.['stderr'])).toContain('bhyve: PCI device at 1/0/0 is not using the ppt(4) driver');
      expect(failed?.['explanation'], JSON.stringify(failed)).toMatchObject({ id: 'bhyve-not-ppt' });
      const found = await doctor(['sim01']);
      expect(found.changed, 'doctor changed these hosts').toEqual([]);
      expect(found.findings('sim01').map((entry) => entry.id)).not.toContain('kernel-jail-priv');
      expectFound(found.findings('sim01'), {
        name: 'a kernel built by hand from the patched tree',
        ids: ['kernel-jail-priv-unproven'],
        evidence: holds(/\/boot\/kernel\.full\/kernel/, /#\d+: /, /case PRIV_IO:\n\d+:\tcase PRIV_KMEM_READ:\n\d+-\tcase PRIV_KMEM_WRITE:/),
        fix: 'kernel_patch:\n    src: files/bhyve-in-jail.patch',
        what: /nothing shows this kernel was built from it/,
      });
      expect(found.findings('sim01').find((entry) => entry.id === 'kernel-jail-priv-unproven')?.severity).toBe('warning');
    }, 600_000);

    // Last of the file: a securelevel is only lowered by a reboot, and at 1 kldload fails on sim01.
    it("the host's securelevel raised under a passthrough guest adds exactly host-securelevel, and doctor changes nothing", async () => {
      await onHost('sim01', `mv ${HW}.iommu-test ${HW} && ${J} sysrc -f /vms/test/test.conf passthru0=1/0/0`, 'the IOMMU back, and the guest given a passthrough device');
      const before = await doctor(['sim01']);
      await onHost('sim01', 'sysctl kern.securelevel=1', 'raising the host securelevel');
      const after = await doctor(['sim01']);
      expect([before.changed, after.changed], 'doctor changed these hosts').toEqual([[], []]);
      const ids = (run: typeof before) => run.findings('sim01').map((entry) => entry.id).sort();
      expect(ids(before)).not.toContain('host-securelevel');
      expect(ids(after)).toEqual([...ids(before), 'host-securelevel'].sort());
      expectFound(after.findings('sim01'), { name: 'host securelevel 1', ids: ['host-securelevel'], evidence: /^sysctl -n kern\.securelevel\n1$/, fix: 'name: kern_securelevel_enable\n    value: "NO"', what: /securelevel 1: no jail can open \/dev\/pci/ });
      expect(after.code).toBe(2);
    }, 300_000);
  });
});
