// The host's sysctl values doctor needs, read by ONE `sysctl` with every name: sysctl(8) goes on
// past a name it does not know (it says `sysctl: unknown oid 'NAME'` on stderr and exits with the
// count of such names; sbin/sysctl/sysctl.c main and parse, docs/freebsd/host.md), so one process
// replaces five. Each check still gets what `sysctl NAME` (or `sysctl -n NAME`) alone prints, under
// that command, so the evidence stays a command the user can run and get the same answer.
import { sh, type Command } from '../command/command.js';
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
];

/** The probe id of the one sysctl command. */
export const SYSCTL_PROBE_ID = 'sysctl';

/** `sysctl hw.model kern.securelevel …`: every name at once, each printed `NAME: VALUE`. */
export const sysctlCommand: Command = sh`sysctl ${READS.map((read) => read.name)}`;

/** Whether a `NAME: VALUE` line belongs to `name` (the leaf itself or a leaf below it). */
const belongsTo = (line: string, name: string) => line.startsWith(`${name}: `) || line.startsWith(`${name}.`);

/** What `sysctl [-n] NAME` alone would have printed, for each name of the one command's output. */
export function splitSysctl(output: Pick<ProbeOutput, 'stdout' | 'stderr'>): Map<string, ProbeOutput> {
  const lines = output.stdout.split('\n').filter((line) => line !== '');
  const complaints = output.stderr.split('\n').filter((line) => line !== '');
  const outputs = new Map<string, ProbeOutput>();
  for (const read of READS) {
    const own = lines.filter((line) => belongsTo(line, read.name));
    const unknown = complaints.filter((line) => line.includes(`'${read.name}'`));
    const stdout = own.map((line) => (read.valueOnly ? line.slice(read.name.length + 2) : line)).join('\n');
    outputs.set(read.id, {
      command: `sysctl ${read.valueOnly ? '-n ' : ''}${read.name}`,
      stdout: stdout === '' ? '' : `${stdout}\n`,
      stderr: unknown.length === 0 ? '' : `${unknown.join('\n')}\n`,
      exitCode: own.length === 0 ? 1 : 0,
    });
  }
  return outputs;
}
