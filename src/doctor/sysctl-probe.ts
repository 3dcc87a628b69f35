// The host's sysctl values doctor needs, read by ONE `sysctl` with every name
// (src/facts/sysctl-values.ts), so one process replaces five. Each check still gets what
// `sysctl NAME` (or `sysctl -n NAME`) alone prints, under that command, so the evidence stays a
// command the user can run and get the same answer.
import type { Command } from '../command/command.js';
import { sysctlValueOutput, sysctlValuesCommand } from '../facts/sysctl-values.js';
import type { ProbeOutput } from './probe.js';

/** One value read: `id` is the probe id the checks ask for; `valueOnly` is `sysctl -n`. */
interface SysctlRead {
  readonly id: string;
  readonly name: string;
  readonly valueOnly: boolean;
}

const READS: readonly SysctlRead[] = [
  { id: 'hw.model', name: 'hw.model', valueOnly: true },
  { id: 'securelevel', name: 'kern.securelevel', valueOnly: true },
  { id: 'bootfile', name: 'kern.bootfile', valueOnly: true },
  // A subtree (vmm.ko's, absent while vmm is not loaded): every leaf, `NAME: VALUE`.
  { id: 'hw.vmm', name: 'hw.vmm', valueOnly: false },
  // Registered by vmm.ko: unknown while vmm is not loaded (docs/freebsd/kld.md).
  { id: 'allow.vmm', name: 'security.jail.param.allow.vmm', valueOnly: false },
  // How deep the kernel follows devfs includes (sys/fs/devfs/devfs_devs.c; docs/freebsd/devfs.md).
  { id: 'devfs.rule_depth', name: 'vfs.devfs.rule_depth', valueOnly: false },
];

/** The probe id of the one sysctl command. */
export const SYSCTL_PROBE_ID = 'sysctl';

/** `sysctl hw.model kern.securelevel …`: every name at once, each printed `NAME: VALUE`. */
export const sysctlCommand: Command = sysctlValuesCommand(READS.map((read) => read.name));

/** What `sysctl [-n] NAME` alone would have printed, for each name of the one command's output. */
export function splitSysctl(output: Pick<ProbeOutput, 'stdout' | 'stderr'>): Map<string, ProbeOutput> {
  const outputs = new Map<string, ProbeOutput>();
  for (const read of READS) {
    outputs.set(read.id, { command: `sysctl ${read.valueOnly ? '-n ' : ''}${read.name}`, ...sysctlValueOutput(output, read.name, read.valueOnly) });
  }
  return outputs;
}
