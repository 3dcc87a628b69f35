// Probe outputs of a host set up by playbooks/bhyve-jail.yml + passthrough.yml (FreeBSD 12.2, the
// seed's machine, jail `bhyve` with guest `test` passing igb0 through), written as the real tools
// print them (docs/freebsd/*.md), and a way to change some of them, for the checks' unit tables.
import type { DoctorEvidence } from '../../src/doctor/check.js';
import { jailsOf, wantsBhyve } from '../../src/doctor/jails.js';
import { showJailConfs } from '../../src/doctor/host-probes.js';
import { showGuests, type GuestFiles } from '../../src/doctor/jail-probes.js';
import { ProbeResults, type ProbeOutput } from '../../src/doctor/probe.js';
import { PROJECT_RULESET_25, PROJECT_RULESET_25_LOADED } from '../fixtures/walkthrough-ruleset.js';

type Outputs = Record<string, string | Partial<ProbeOutput>>;

export const JAIL_CONF = `bhyve {
  devfs_ruleset = 25;
  enforce_statfs = 2;
  exec.clean;
  exec.start = '/bin/sh /etc/rc';
  host.hostname = bhyve;
  mount.devfs;
  path = /usr/local/bastille/jails/bhyve/root;
  securelevel = -1;
  allow.vmm;
  allow.raw_sockets;
  vnet;
  vnet.interface = e0b_bastille0;
}
`;

/** /etc/devfs.rules as bhyve-jail.yml leaves it. */
export const DEVFS_RULES = PROJECT_RULESET_25;

/** The jail.conf probe's output for these [path, text] files (its sections, and what evidence shows). */
export function jailConfs(...files: readonly (readonly [string, string])[]): Partial<ProbeOutput> {
  const sections = files.flatMap(([path, text]) => [['path', path], ['file', text]] as const);
  return { sections, stdout: showJailConfs(sections) };
}

/** The guests probe's output for these guests (its sections, and what evidence shows). */
export function guests(...list: readonly GuestFiles[]): Partial<ProbeOutput> {
  const sections = list.flatMap((guest) => [['guest', guest.name], ['conf', guest.conf], ['run', guest.run]] as const);
  return { sections, stdout: showGuests(sections) };
}

/** Guest `test`'s NAME.conf and the lines vm-bhyve logged of its latest run. */
export const GUEST_TEST: GuestFiles = {
  name: 'test',
  conf: 'loader="bhyveload"\ncpu=2\nmemory=4G\nwired_memory="yes"\nnetwork0_type="virtio-net"\nnetwork0_switch="public"\ndisk0_type="virtio-blk"\ndisk0_name="disk0.img"\npassthru0="1/0/0"\ndebug="yes"\n',
  run: 'Dec 01 10:00:00:  [bhyve options: -c 2 -m 4G -AHP -S -U a179833c -u -S]\nDec 01 10:00:00:  [bhyve devices: -s 0,hostbridge -s 31,lpc -s 4:0,virtio-blk,/vms/test/disk0.img -s 5:0,virtio-net,tap0,mac=58:9c:fc:0c:fa:98 -s 6:0,passthru,1/0/0]\n',
};

export const CLEAN_HOST: Outputs = {
  'uname-r': '12.2-RELEASE\n',
  'uname-v': 'FreeBSD 12.2-RELEASE #1: Tue Dec  1 10:00:00 UTC 2026     root@sim01:/usr/obj/usr/src/amd64.amd64/sys/GENERIC \n',
  userland: '12.2-RELEASE\n',
  'hw.model': 'Intel(R) Xeon(R) CPU E3-1225 v5 @ 3.30GHz\n',
  'hw.vmm': 'hw.vmm.vmx.initialized: 1\nhw.vmm.amdvi.enable: 0\nhw.vmm.ppt.devices: 1\n',
  'allow.vmm': 'security.jail.param.allow.vmm: 0\n',
  securelevel: '-1\n',
  dmesg: '',
  acpidump: '  DMAR: Length=168, Revision=1, Checksum=87,\n',
  kld: 'vmm module\nnmdm module\nif_bridge module\nif_tap module\nif_tuntap absent\n',
  'loader.conf': 'vmm_load="YES"\npptdevs="1/0/0"\nkernel="kernel.patched"\n',
  'rc.conf': 'hostname="sim01"\nsshd_enable="YES"\nkld_list="nmdm if_bridge if_tap"\nbastille_enable="YES"\nbastille_list="bhyve"\n',
  pciconf: 'em0@pci0:0:31:6:\tclass=0x020000 card=0x00000000 chip=0x15b78086 rev=0x31 hdr=0x00\nppt0@pci0:1:0:0:\tclass=0x020000 card=0x12a28086 chip=0x150e8086 rev=0x01 hdr=0x00\nigb0@pci0:1:0:1:\tclass=0x020000 card=0x12a28086 chip=0x150e8086 rev=0x01 hdr=0x00\n',
  'devfs.rules': DEVFS_RULES,
  'devfs-loaded': `[1]\n100 hide\n[4]\n100 include 1\n200 include 2\n300 include 3\n400 path fuse unhide\n500 path zfs unhide\n[25]\n${PROJECT_RULESET_25_LOADED}`,
  'devfs.rule_depth': 'vfs.devfs.rule_depth: 1\n',
  jls: 'name=bhyve devfs_ruleset=25 securelevel=-1 vnet=new allow.vmm path=/usr/local/bastille/jails/bhyve/root\n',
  'bastille-version': '0.7.20200714\n',
  'jail.conf': jailConfs(['/usr/local/bastille/jails/bhyve/jail.conf', JAIL_CONF]),
  bootfile: '/boot/kernel.patched/kernel\n',
  'kernel-stamp': '9f0c…\n',
  'kern_jail.c': '3319-\t\t * exists in the jail and they have permission to access it).\n3320-\t\t */\n3321:\tcase PRIV_IO:\n3322-\tcase PRIV_KMEM_READ:\n3323-\tcase PRIV_KMEM_WRITE:\n3324-\t\treturn (0);\n',
};

export const CLEAN_JAIL: Outputs = {
  'jail-securelevel': '-1\n',
  'jail-userland': '12.2-RELEASE\n',
  'jail-dev': 'fd\nio\nkmem\nmem\nnmdm-test.1A\nnmdm-test.1B\nnull\npci\nrandom\ntap0\nurandom\nvmm\nzero\n',
  'jail-ifconfig': 'lo0 vnet0 vm-public tap0\n',
  'jail-rc.conf': 'ifconfig_e0b_bastille0_name="vnet0"\nifconfig_vnet0="inet 192.168.1.225/24"\nvm_enable="YES"\nvm_dir="/vms"\n',
  'vm-version': 'vm-bhyve: Bhyve virtual machine management v1.4.2 (rev. 104002)\n',
  'system.conf': 'switch_list="public"\ntype_public="standard"\nports_public="vnet0"\n',
  'vm-list': 'NAME  DATASTORE  LOADER     CPU  MEMORY  VNC  AUTO  STATE\ntest  default    bhyveload  2    4G      -    No    Running (4242)\n',
  guests: guests(GUEST_TEST),
};

/** Evidence from the clean outputs with some replaced (`undefined` removes a probe's output). */
export function evidence(host: Outputs = {}, jail: Outputs | undefined = {}, options: { readonly examined?: readonly string[] } = {}): DoctorEvidence {
  const hostResults = ProbeResults.of('host', { ...CLEAN_HOST, ...host });
  const jails = jailsOf(hostResults);
  const examined = options.examined ?? [...jails.values()].filter(wantsBhyve).map((view) => view.name);
  const inside = new Map<string, ProbeResults>();
  if (jail !== undefined) for (const name of examined) if (jails.get(name)?.running !== undefined) inside.set(name, ProbeResults.of(`jail ${name}`, { ...CLEAN_JAIL, ...jail }));
  return { host: hostResults, jails, examined, inside };
}
