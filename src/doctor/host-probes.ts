// The host's probes, all run in one round trip: what the kernel runs and has loaded, what boots
// it, the CPU and IOMMU, devfs rulesets (file and loaded), PCI devices, the jails (jail.conf and
// running parameters) and the kernel patch's source. docs/freebsd/*.md say what each prints.
import { raw, sh } from '../command/command.js';
import { kernelModuleNames } from './kernel-modules.js';
import { patchStamp } from '../facts/kernel-state.js';
import { fileProbe, sectionedProbe, showFiles, type Probe, type SectionList } from './probe.js';
import { SYSCTL_PROBE_ID, sysctlCommand } from './sysctl-probe.js';

const bastilleConf = '/usr/local/etc/bastille/bastille.conf';

/** Sets $d to Bastille's jails directory, as bastille itself finds it (sourcing bastille.conf). */
const bastilleJailsDir = sh`d=$( bastille_prefix=/usr/local/bastille; [ -f ${bastilleConf} ] && . ${bastilleConf}; echo "\${bastille_jailsdir:-$bastille_prefix/jails}" )`;

/** The jail.conf probe's `path` and `file` sections as [path, text] pairs, in order. */
export function jailConfSections(sections: SectionList): [string, string][] {
  const files: [string, string][] = [];
  let path: string | undefined;
  for (const [name, text] of sections) {
    if (name === 'path') path = text;
    else if (name === 'file' && path !== undefined) {
      files.push([path, text]);
      path = undefined;
    }
  }
  return files;
}

/** The jail.conf files as evidence shows them: head(1)'s `==> PATH <==` before each. */
export function showJailConfs(sections: SectionList): string {
  return showFiles(jailConfSections(sections));
}

/** Every host probe; the ids are what checks ask for. */
export const HOST_PROBES: readonly Probe[] = [
  { id: 'uname-r', command: sh`uname -r` },
  { id: 'uname-v', command: sh`uname -v` },
  { id: 'userland', command: sh`freebsd-version -u` },
  // hw.model, kern.securelevel, kern.bootfile, hw.vmm, allow.vmm: one sysctl, split for the checks (sysctl-probe.ts).
  { id: SYSCTL_PROBE_ID, command: sysctlCommand },
  // The CPU's virtualisation lines of the boot messages, and vmm's complaints when it loaded. A
  // message buffer that no longer holds the boot (wrapped, or cleared with dmesg -c) is followed by
  // rc.d/dmesg's copy of it, /var/run/dmesg.boot, as the Handbook says to look there too.
  {
    id: 'dmesg',
    command: sh`m=$(dmesg); { printf '%s\n' "$m"; case $m in *Features2=*) ;; *) cat /var/run/dmesg.boot 2>/dev/null ;; esac; } | grep -E ${'vmx_init|svm_init|MOD_LOAD \\(vmm|VT-x:|SVM:|Features2=|AMD Features2='}`,
  },
  // util::check_bhyve_iommu in vm-bhyve: a DMAR (Intel VT-d) or IVRS (AMD-Vi) ACPI table.
  { id: 'acpidump', command: sh`acpidump -t 2>&1 | grep -E ${'^  (DMAR|IVRS):|^acpidump:'}` },
  {
    id: 'kld',
    command: sh`for m in ${kernelModuleNames}; do if kldstat -q -m "$m"; then echo "$m module"; elif kldstat -q -n "$m"; then echo "$m file"; else echo "$m absent"; fi; done`,
  },
  fileProbe('loader.conf', '/boot/loader.conf'),
  fileProbe('rc.conf', '/etc/rc.conf'),
  { id: 'pciconf', command: sh`pciconf -l` },
  fileProbe('devfs.rules', '/etc/devfs.rules'),
  { id: 'devfs-loaded', command: sh`for n in $(devfs rule showsets); do echo "[$n]"; devfs rule -s "$n" show; done` },
  { id: 'jls', command: sh`jls -n name devfs_ruleset securelevel vnet allow.vmm path` },
  { id: 'bastille-version', command: sh`command -v bastille >/dev/null && bastille --version | sed ${raw("'s/\\x1b\\[[0-9;]*m//g'")}` },
  // Each jail.conf as two sections, its path then its text: neither a file's text nor a
  // directory's name can start another (jails.ts).
  sectionedProbe(
    'jail.conf',
    (frame) => sh`${bastilleJailsDir}; for f in "$d"/*/jail.conf; do [ -f "$f" ] || continue; ${frame.section('path', sh`printf %s "$f"`)}; ${frame.section('file', sh`cat "$f"`)}; done`,
    sh`${bastilleJailsDir}; for f in "$d"/*/jail.conf; do [ -f "$f" ] && cat "$f"; done`,
    showJailConfs,
  ),
  // kernel_patch stamps the kernels it installs with the patch's sha256 (src/facts/kernel-state.ts).
  fileProbe('kernel-stamp', sh`"$f"`, { before: sh`b=$(sysctl -n kern.bootfile); f="\${b%/*}/"${patchStamp}` }),
  { id: 'kern_jail.c', command: sh`grep -n -B3 -A3 ${'case PRIV_KMEM_READ:'} /usr/src/sys/kern/kern_jail.c` },
];
