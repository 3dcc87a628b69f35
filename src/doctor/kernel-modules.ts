// The kernel modules the bhyve-in-a-jail chain needs on the host, and how `kldstat` says each is
// present (docs/freebsd/kld.md): vmm and nmdm for bhyve and its consoles; if_bridge and the tap
// driver for vm-bhyve's switches, which a jail cannot load itself (kldload is refused there).
import type { ProbeResults } from './probe.js';

/** The modules the `kld` probe asks `kldstat` about. */
export const kernelModuleNames = ['vmm', 'nmdm', 'if_bridge', 'if_tap', 'if_tuntap'] as const;

export type KernelModuleName = (typeof kernelModuleNames)[number];

/** `module`: registered (loaded or compiled in); `file`: only its .ko is linked (vmm without VT-x); `absent`. */
export type ModuleState = 'module' | 'file' | 'absent';

/** The `kld` probe's lines (`vmm module`, `nmdm absent`) as a map. */
export function moduleStates(host: ProbeResults): ReadonlyMap<string, ModuleState> {
  const states = new Map<string, ModuleState>();
  for (const line of host.text('kld').split('\n')) {
    const [name, state] = line.trim().split(/\s+/);
    if (name !== undefined && (state === 'module' || state === 'file' || state === 'absent')) states.set(name, state);
  }
  return states;
}

/**
 * The tap driver vm-bhyve loads: `if_tap` before FreeBSD 13, `if_tuntap` from 13 on, where the two
 * drivers were merged (vm-bhyve's lib/vm-base decides by `uname -K`; docs/freebsd/vm-bhyve.md).
 */
export function tapModule(major: number): KernelModuleName {
  return major < 13 ? 'if_tap' : 'if_tuntap';
}
