// The known failure texts of FreeBSD, Bastille, vm-bhyve and bhyve, each as its tool prints it
// (docs/freebsd/*.md quote them with the source file they were read in), mapped to the cause and
// the fix. The first entry whose pattern matches wins, so specific texts come before general ones.
import type { FailureExplanation } from './failure-explanation.js';

/** Where a failure happened, as far as the event says. */
export interface FailureContext {
  /** The jail the task ran in (`jail:`), if any. */
  readonly jail: string | undefined;
}

interface CatalogueEntry {
  readonly id: string;
  readonly pattern: RegExp;
  /** Extra condition on the context (e.g. only inside a jail). */
  readonly when?: (context: FailureContext) => boolean;
  /**
   * The text tells of a failure even when the tool exits 0 (BSD patch reverses an applied patch
   * without a terminal and exits 0): explained on ok and changed results too, not only on failures.
   */
  readonly evenOnSuccess?: true;
  readonly explain: (match: RegExpExecArray, context: FailureContext) => { readonly cause: string; readonly fix: string };
  readonly doc: string;
}

const inJail = (context: FailureContext) => context.jail !== undefined;

const KLD = 'docs/freebsd/kld.md';
const VM = 'docs/freebsd/vm-bhyve.md';
const PASS = 'docs/freebsd/passthrough.md';
const BASTILLE = 'docs/freebsd/bastille.md';
const HOST = 'docs/freebsd/host.md';

/** The catalogue, most specific first. */
/** bhyve in a jail finds no /dev/DEVICE: the jail's devfs ruleset leaves it hidden. */
function hiddenInJail(device: string): CatalogueEntry {
  return {
    id: `bhyve-${device}-hidden`,
    pattern: new RegExp(`failed to open /dev/${device}: No such file or directory`),
    explain: () => ({
      cause: `the jail's devfs ruleset does not unhide ${device}, so /dev/${device} is missing in the jail`,
      fix: `add \`add path ${device} unhide\` to the jail's ruleset (devfs_rule), then restart the jail so its /dev is mounted again`,
    }),
    doc: PASS,
  };
}

export const FAILURE_CATALOGUE: readonly CatalogueEntry[] = [
  {
    id: 'kldload-if-tuntap-12',
    pattern: /kldload: can't load if_tuntap: No such file or directory/,
    explain: () => ({
      cause: 'FreeBSD 12.x has no if_tuntap: the tap driver is if_tap there (13.0 merged if_tap and if_tun into if_tuntap)',
      fix: 'on 12.x load if_tap instead (kld: {name: if_tap, persistent: true}); if_tuntap from 13.0 on',
    }),
    doc: VM,
  },
  {
    id: 'vm-bhyve-load-module-in-jail',
    pattern: /unable to load (\S+?)\.ko!/,
    when: inJail,
    explain: (match, context) => ({
      cause: `vm-bhyve inside jail ${context.jail ?? ''} tried to kldload ${match[1] ?? ''}, but a jail can never load kernel modules (kldload is refused in jails)`,
      fix: `load ${match[1] ?? ''} on the host, now and at boot: a kld task without jail: (kld: {name: ${match[1] ?? ''}, persistent: true}); then run the jailed command again`,
    }),
    doc: VM,
  },
  {
    id: 'vm-bhyve-load-module',
    pattern: /unable to load (\S+?)\.ko!/,
    explain: (match) => ({
      cause: `vm-bhyve's kldload ${match[1] ?? ''} failed on the host: the module is not in /boot/kernel (if_tuntap does not exist before 13.0; if_tap does not after), or the securelevel is above 0`,
      fix: `load it with the kld module (kld: {name: ${match[1] ?? ''}, persistent: true}); \`beastie doctor\` shows which modules are missing`,
    }),
    doc: VM,
  },
  {
    id: 'jail-unknown-allow-vmm',
    pattern: /unknown parameter: allow\.vmm/,
    explain: () => ({
      cause: 'the jail parameter allow.vmm exists only while vmm.ko is loaded: the jail was started before vmm was',
      fix: 'load vmm on the host first, now and at every boot (kld: {name: vmm, persistent: true}), then start the jail',
    }),
    doc: KLD,
  },
  {
    id: 'bhyve-pci-eperm',
    pattern: /failed to open \/dev\/pci: Operation not permitted/,
    explain: () => ({
      cause: 'bhyve opens /dev/pci for writing to pass a device through, which the kernel refuses above securelevel 0 — the jail runs at securelevel > 0 (Bastille writes securelevel = 2), or the host does',
      fix: 'give the jail securelevel -1 (bastille_jail params: {securelevel: -1}, which restarts it); if the host itself runs above 0, only a reboot lowers it',
    }),
    doc: PASS,
  },
  hiddenInJail('pci'),
  {
    id: 'bhyve-io-eperm',
    pattern: /failed to open \/dev\/io: Operation not permitted/,
    explain: () => ({
      cause: 'opening /dev/io needs PRIV_IO (iodev.c), which the kernel denies every jail unless it carries the kern_jail.c change (PRIV_IO, PRIV_KMEM_WRITE)',
      fix: 'build and boot a kernel with the jail patch: kernel_patch: {src: files/bhyve-in-jail.patch, build: true, reboot: true} (playbooks/passthrough.yml)',
    }),
    doc: PASS,
  },
  hiddenInJail('io'),
  {
    // bhyve opens /dev/pci, /dev/io, then /dev/mem: reaching /dev/mem, the jail was granted PRIV_IO
    id: 'bhyve-mem-eperm',
    pattern: /failed to open \/dev\/mem: Operation not permitted/,
    explain: () => ({
      cause: 'opening /dev/mem for writing needs PRIV_KMEM_WRITE (memdev.c); bhyve got past /dev/io, so the running kernel grants jails PRIV_IO but not PRIV_KMEM_WRITE — it carries only half of the kern_jail.c change',
      fix: 'put back the released sys/kern/kern_jail.c, then build and boot a kernel with the whole jail patch: kernel_patch: {src: files/bhyve-in-jail.patch, build: true, reboot: true} (playbooks/passthrough.yml); `beastie doctor` shows what /usr/src grants',
    }),
    doc: PASS,
  },
  hiddenInJail('mem'),
  {
    id: 'bhyve-not-ppt',
    pattern: /PCI device at (\d+\/\d+\/\d+) is not using the ppt\(4\) driver/,
    explain: (match) => ({
      cause: `${match[1] ?? 'the device'} is held by its native driver: it is not in pptdevs, vmm.ko was not loaded by the loader, or the host has not rebooted since`,
      fix: 'reserve it with the pptdev module (pptdevs and vmm_load="YES" in /boot/loader.conf, then a reboot): pptdev: {devices: [NAME], reboot: true}',
    }),
    doc: PASS,
  },
  {
    id: 'bhyve-passthru-wired',
    pattern: /passthru requires guest memory to be wired/,
    explain: () => ({ cause: 'bhyve was started for passthrough without -S (wired guest memory)', fix: 'set wired_memory="yes" in the guest configuration (vm_guest config: {wired_memory: true}) and start the guest again' }),
    doc: PASS,
  },
  {
    id: 'vm-create-eperm',
    pattern: /vm_create: Operation not permitted/,
    explain: () => ({
      cause: "the jail may not create guests: it lacks allow.vmm, or its devfs ruleset hides vmm",
      fix: 'give the jail allow.vmm and a ruleset unhiding vmm and vmm/* (bastille_jail params: {allow.vmm: true, devfs_ruleset: 25}; devfs_rule), then restart it',
    }),
    doc: PASS,
  },
  {
    id: 'vm-create-no-vmm',
    pattern: /vm_create: No such file or directory/,
    explain: () => ({ cause: 'the vmm module is not registered: vmm.ko is not loaded, or it could not initialise (no VT-x/AMD-V)', fix: 'load vmm on the host (kld: {name: vmm, persistent: true}); `beastie doctor` checks the CPU' }),
    doc: KLD,
  },
  {
    id: 'vm-bhyve-vmm-not-initialised',
    pattern: /kernel vmm not initialised/,
    explain: () => ({ cause: 'vmm.ko is loaded but VT-x did not initialise (hw.vmm.vmx.initialized is 0): the CPU lacks VT-x/EPT or the firmware disabled it', fix: 'enable VT-x in the firmware setup, or run the guests on another host' }),
    doc: VM,
  },
  {
    id: 'vm-bhyve-no-iommu',
    pattern: /pci passthrough not supported on this system \(no VT-d or amdvi\)/,
    explain: () => ({
      cause: 'vm-bhyve found no IOMMU: acpidump shows no DMAR table (VT-d) and hw.vmm.amdvi.enable is not 1 (inside a jail acpidump also needs /dev/mem unhidden)',
      fix: 'enable VT-d / AMD-Vi in the firmware; on AMD set hw.vmm.amdvi.enable=1 in /boot/loader.conf and reboot',
    }),
    doc: VM,
  },
  {
    id: 'vm-bhyve-not-enabled',
    pattern: /\$vm_enable is not enabled in \/etc\/rc\.conf!/,
    explain: (_match, context) => ({ cause: `vm-bhyve refuses every command until vm_enable is set${context.jail === undefined ? '' : ` in jail ${context.jail}'s rc.conf`}`, fix: 'sysrc: {name: vm_enable, value: "YES"} (with the same jail:)' }),
    doc: VM,
  },
  {
    id: 'vm-bhyve-no-vm-dir',
    pattern: /\$vm_dir has not been configured or is not a valid directory/,
    explain: () => ({ cause: 'vm_dir is unset or not a directory: vm-bhyve never creates it', fix: 'sysrc: {name: vm_dir, value: /vms} and file: {path: /vms, state: directory} (with the same jail:)' }),
    doc: VM,
  },
  {
    id: 'vm-switch-add-member',
    pattern: /failed to add member (\S+) to the virtual switch (\S+)/,
    explain: (match) => ({
      cause: `ifconfig vm-${match[2] ?? ''} addm ${match[1] ?? ''} failed: ${match[1] ?? ''} does not exist in this network stack (inside a Bastille VNET jail the NIC is vnet0, not vtnet0/em0), or it is already a member`,
      fix: "name the jail's own interface (ifconfig -l in the jail): vm_switch: {name: SWITCH, interfaces: [vnet0]}, which adds only missing members",
    }),
    doc: VM,
  },
  {
    id: 'kldload-already-loaded',
    pattern: /kldload: can't load (\S+): module already loaded or in kernel/,
    explain: (match) => ({ cause: `${match[1] ?? 'the module'} is already loaded (or compiled into the kernel): a second kldload fails`, fix: 'use the kld module, which loads only what is missing (or kldload -n)' }),
    doc: KLD,
  },
  {
    id: 'kldload-eperm',
    pattern: /kldload: can't load (\S+): Operation not permitted/,
    explain: (match, context) => ({
      cause: context.jail !== undefined ? `a jail can never load kernel modules: load ${match[1] ?? ''} on the host` : 'kldload is refused above securelevel 0',
      fix: context.jail !== undefined ? `load it on the host: kld: {name: ${match[1] ?? ''}, persistent: true} without jail:` : 'load it at boot (kld persistent: true) and reboot, or lower kern_securelevel in rc.conf and reboot',
    }),
    doc: KLD,
  },
  {
    id: 'bastille-vnet-name',
    pattern: /VNET jail names may not contain \(-\|_\) characters/,
    explain: () => ({ cause: 'Bastille 1.1 and later refuse VNET jail names with - or _ (0.x accepted the walk-through\'s test-bhyve)', fix: 'name the jail without - or _ (bhyve, testbhyve)' }),
    doc: BASTILLE,
  },
  {
    id: 'patch-reversed',
    pattern: /Reversed \(or previously applied\) patch detected/,
    // without a terminal ask() takes the default answer, so patch un-applies the change and exits 0 (docs/freebsd/passthrough.md, BSD patch)
    evenOnSuccess: true,
    explain: () => ({ cause: 'the patch was already in the tree: BSD patch offered to reverse it and, without a terminal to answer, did — the tree is now unpatched although the command succeeded', fix: 'apply patches with the kernel_patch module, which dry-runs both directions first and applies only once' }),
    doc: PASS,
  },
  {
    id: 'securelevel-lower',
    pattern: /sysctl: kern\.securelevel=\S*: Operation not permitted/,
    explain: () => ({ cause: 'kern.securelevel can only be raised while the system runs', fix: 'lower it for the next boot (rc.conf kern_securelevel / kern_securelevel_enable) and reboot' }),
    doc: HOST,
  },
];

/**
 * The explanation of a failure's text (message, stderr, stdout), or undefined when none is known.
 * `succeeded`: the command did not fail, so only texts that tell of a failure even then count.
 */
export function explainFailure(text: string, context: FailureContext, succeeded = false): FailureExplanation | undefined {
  for (const entry of FAILURE_CATALOGUE) {
    if (entry.when !== undefined && !entry.when(context)) continue;
    if (succeeded && entry.evenOnSuccess !== true) continue;
    const match = entry.pattern.exec(text);
    if (match) return { id: entry.id, ...entry.explain(match, context), doc: entry.doc };
  }
  return undefined;
}
