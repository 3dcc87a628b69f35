// What the host reads at boot, from the loader.conf and rc.conf probes: loader variables
// (NAME_load, pptdevs, kernel tunables) and rc.conf variables (kld_list, bastille_enable …).
// Both files are sh-style assignments where the last one wins (docs/freebsd/host.md).
import { parseShConf } from '../freebsd/sh-conf.js';
import type { ProbeResults } from './probe.js';
import { releaseNumbers } from '../freebsd/release-numbers.js';

/** A file probe's text (src/doctor/probe.ts fileProbe), or undefined when the file does not exist. */
export function fileText(results: ProbeResults, id: string): string | undefined {
  return results.absent(id) ? undefined : results.text(id);
}

function lastValue(text: string | undefined, key: string): string | undefined {
  return parseShConf(text ?? '').filter((assignment) => assignment.key === key).at(-1)?.value;
}

/** A /boot/loader.conf variable. */
export function loaderVar(host: ProbeResults, key: string): string | undefined {
  return lastValue(fileText(host, 'loader.conf'), key);
}

/** An /etc/rc.conf variable (of the host, or of a jail's `jail-rc.conf` probe). */
export function rcVar(results: ProbeResults, key: string, probe = 'rc.conf'): string | undefined {
  return lastValue(fileText(results, probe), key);
}

/** rc.conf's YES/TRUE/ON/1 (rc.subr checkyesno). */
export function isYes(value: string | undefined): boolean {
  return value !== undefined && /^(yes|true|on|1)$/i.test(value.trim());
}

/** Whether the host loads `module` at every boot: loader.conf `NAME_load="YES"` or rc.conf `kld_list`. */
export function loadedAtBoot(host: ProbeResults, module: string): boolean {
  if (isYes(loaderVar(host, `${module}_load`))) return true;
  const list = (rcVar(host, 'kld_list') ?? '').split(/\s+/);
  return list.includes(module) || list.includes(`${module}.ko`);
}

/** The FreeBSD major version of the running kernel (`uname -r`), or undefined when unknown. */
export function kernelMajor(host: ProbeResults): number | undefined {
  return releaseNumbers(host.text('uname-r'))?.[0];
}
