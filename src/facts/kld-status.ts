// Whether a kernel module is in the kernel: `kldstat -q -m` asks by module name (true also for
// modules compiled into the kernel), `kldstat -q -n` by file name (docs/freebsd/kld.md).
import { sh } from '../command/command.js';
import { defineFact, type Fact } from './fact.js';

/** `module`: registered by module name; `file`: only its .ko file is loaded; `absent`. */
export type KldStatus = 'module' | 'file' | 'absent';

/** How `name` (vmm, nmdm, if_bridge…) is present in the running kernel. */
export function kldStatusFact(name: string): Fact<KldStatus> {
  return defineFact(
    `kld-status:${name}`,
    sh`if kldstat -q -m ${name}; then echo module; elif kldstat -q -n ${name}; then echo file; else echo absent; fi`,
    (output) => {
      const word = output.stdout.trim();
      return word === 'module' || word === 'file' ? word : 'absent';
    },
  );
}

/** What loads a module at boot: rc.conf's kld_list words and loader.conf's NAME_load value. */
export interface KldBootConfig {
  readonly kldList: readonly string[];
  /** `YES`, `NO`, or undefined when loader.conf does not set it. */
  readonly loaderLoad: string | undefined;
}

/** rc.conf kld_list and /boot/loader.conf NAME_load, read with sysrc in one command. */
export function kldBootFact(name: string): Fact<KldBootConfig> {
  const loaderKey = `${name}_load`;
  return defineFact(
    `kld-boot:${name}`,
    sh`printf 'kld_list=%s\\n' "$(sysrc -n kld_list 2>/dev/null)"; if v=$(sysrc -n -f /boot/loader.conf ${loaderKey} 2>/dev/null); then printf 'load=%s\\n' "$v"; fi`,
    (output) => {
      const lines = output.stdout.split('\n');
      const list = lines.find((line) => line.startsWith('kld_list='))?.slice('kld_list='.length) ?? '';
      const load = lines.find((line) => line.startsWith('load='));
      return { kldList: list.split(/\s+/).filter((word) => word !== ''), loaderLoad: load?.slice('load='.length) };
    },
  );
}

/** kern.osreldate of the running kernel (`uname -K`, __FreeBSD_version): 1202000 on 12.2, 1305000 on 13.5. */
export const osreldateFact: Fact<number | undefined> = defineFact('uname-K', sh`uname -K`, (output) => {
  const value = Number(output.stdout.trim());
  return output.exitCode === 0 && Number.isInteger(value) && value > 0 ? value : undefined;
});
