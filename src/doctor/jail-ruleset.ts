// The devfs ruleset a bhyve jail needs (docs/freebsd/devfs.md): its number from the jail's
// devfs_ruleset, what it must unhide — vmm, vmm/*, nmdm*, tap* for bhyve and vm-bhyve (and on
// 15.x vmmctl, where VMs are created), plus pci, io, mem for passthrough, as the walk-through's
// ruleset 25 does — and what /etc/devfs.rules and the kernel hold for that number.
import { parseDevfsRules, type DevfsRuleset } from '../freebsd/devfs-rules.js';
import { fileText } from './boot-config.js';
import type { JailView } from './jails.js';
import { configuredParam } from './jails.js';
import type { ProbeResults } from './probe.js';

/** The ruleset number the jail mounts its /dev with at its next start (jail(8) applies 4 without one). */
export function rulesetNumber(jail: JailView): number | undefined {
  const value = configuredParam(jail, 'devfs_ruleset');
  if (value === undefined) return configuredParam(jail, 'mount.devfs') === undefined ? undefined : 4;
  const number = Number(value);
  return Number.isInteger(number) ? number : undefined;
}

/**
 * Whether a kernel of this major version has /dev/vmmctl once vmm.ko is loaded: the VM
 * create/destroy device came with freebsd-src a97f683fe3c4 ("vmm: Add a device file interface
 * for creating and destroying VMs", D47028, in sys/dev/vmm/vmm_dev.c's vmmdev_init), on main
 * after stable/14 branched and without an MFC tag, so 15.0 is the first release that has it; 15.0's
 * libvmmapi (D47030, vm_openf) creates VMs through it (docs/freebsd/upgrade.md).
 */
export function kernelHasVmmctl(major: number): boolean {
  return major >= 15;
}

/** The paths the ruleset must unhide for this jail. */
export function requiredPaths(major: number, passthrough: boolean): string[] {
  return ['vmm', 'vmm/*', 'nmdm*', 'tap*', ...(kernelHasVmmctl(major) ? ['vmmctl'] : []), ...(passthrough ? ['pci', 'io', 'mem'] : [])];
}

/** Why a missing path matters, where it is not obvious (vmmctl is new in 15.0). */
export function missingPathReason(path: string): string | undefined {
  return path === 'vmmctl'
    ? "FreeBSD 15's bhyve and bhyveload create the VM through /dev/vmmctl, so in this jail they fail with No such file or directory before the guest starts"
    : undefined;
}

/** The paths a list of rule lines unhides (`add path 'tap*' unhide` → `tap*`; devfs rule show's `200 path vmm unhide` too). */
export function unhiddenPaths(rules: readonly string[]): Set<string> {
  const paths = new Set<string>();
  for (const rule of rules) {
    const match = /(?:^|\s)path\s+('[^']*'|"[^"]*"|\S+)\s+unhide\b/.exec(rule);
    if (match?.[1] !== undefined) paths.add(match[1].replace(/^['"]|['"]$/g, ''));
  }
  return paths;
}

/** Ruleset `number`'s section of /etc/devfs.rules, if the file defines it. */
export function rulesetInFile(host: ProbeResults, number: number): DevfsRuleset | undefined {
  return parseDevfsRules(fileText(host, 'devfs.rules') ?? '').find((section) => section.number === number);
}

/** The rules the kernel holds for ruleset `number` now (`devfs rule -s N show` lines); [] when not loaded. */
export function loadedRules(host: ProbeResults, number: number): string[] {
  const rules: string[] = [];
  let current: number | undefined;
  for (const line of host.text('devfs-loaded').split('\n')) {
    const header = /^\[(\d+)\]$/.exec(line.trim());
    if (header) current = Number(header[1]);
    else if (current === number && line.trim() !== '') rules.push(line.trim());
  }
  return rules;
}

/** The system's default rulesets (/etc/defaults/devfs.rules): 1–5, none of which unhides vmm. */
export const DEFAULT_RULESETS: ReadonlyMap<number, string> = new Map([
  [1, 'devfsrules_hide_all'],
  [2, 'devfsrules_unhide_basic'],
  [3, 'devfsrules_unhide_login'],
  [4, 'devfsrules_jail'],
  [5, 'devfsrules_jail_vnet'],
]);
