// doctor's observations: read-only commands run in one batched /bin/sh per place (the host, then
// the jails), each kept with what it printed so a finding can show it as evidence.
import { sh, type Command } from '../command/command.js';
import { catOrAbsent, parseSections, sectionedCommand } from '../facts/sections.js';
import type { Evidence } from './finding.js';

/** One read-only command doctor runs; `id` names its output for the checks. */
export interface Probe {
  readonly id: string;
  readonly command: Command;
  /** A file probe ({@link fileProbe}): its output is the file's text, or absent. */
  readonly file?: true;
}

/**
 * A probe reading one file, telling a missing file from any text the file could hold: the file is
 * a section of src/facts/sections.ts's frame, printed only when it exists. `path` is quoted when a
 * string and a shell word when a command, which `before` may set.
 */
export function fileProbe(id: string, path: string | Command, options: { readonly before?: Command; readonly onlyIf?: Command } = {}): Probe {
  const read = sectionedCommand([['file', catOrAbsent(path, options)]]);
  const word = typeof path === 'string' ? sh`${path}` : path;
  const shown = options.before === undefined ? sh`cat ${word}` : sh`${options.before}; cat ${word}`;
  return { id, command: { text: read.text, display: shown.display }, file: true };
}

/** A file probe's output as the file's text, or absent (src/doctor/gather.ts). */
export function fileProbeOutput(output: { readonly stdout: string; readonly stderr: string; readonly exitCode: number }): Omit<ProbeOutput, 'command'> {
  const text = parseSections(output.stdout).get('file');
  return text === undefined ? { ...output, stdout: '', absent: true } : { ...output, stdout: text };
}

/** What a probe printed. */
export interface ProbeOutput {
  readonly command: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  /** A file probe found no such file. */
  readonly absent?: true;
}

/** The outputs of every probe run in one place: `host` or `jail NAME`. */
export class ProbeResults {
  constructor(
    readonly where: string,
    private readonly outputs: ReadonlyMap<string, ProbeOutput>,
  ) {}

  /** A probe's stdout ('' when it was not run or printed nothing). */
  text(id: string): string {
    return this.outputs.get(id)?.stdout ?? '';
  }

  /** Whether a file probe found no such file. */
  absent(id: string): boolean {
    return this.outputs.get(id)?.absent === true;
  }

  /** A probe's exit status (undefined when it was not run). */
  exitCode(id: string): number | undefined {
    return this.outputs.get(id)?.exitCode;
  }

  /** The probe as evidence: its command and what it printed (stderr after stdout). */
  evidence(id: string): Evidence {
    const output = this.outputs.get(id);
    if (output === undefined) return { where: this.where, command: id, output: '(not run)' };
    if (output.absent === true) return { where: this.where, command: output.command, output: '(no such file)' };
    const text = [output.stdout.trimEnd(), output.stderr.trimEnd()].filter((part) => part !== '').join('\n');
    return { where: this.where, command: output.command, output: text === '' ? `(no output, exit ${output.exitCode})` : text };
  }

  /** Probe results from plain text, for tests and for the checks' unit tables. */
  static of(where: string, outputs: Readonly<Record<string, string | Partial<ProbeOutput>>>): ProbeResults {
    const map = new Map<string, ProbeOutput>();
    for (const [id, value] of Object.entries(outputs)) {
      const output = typeof value === 'string' ? { stdout: value } : value;
      map.set(id, { command: output.command ?? id, stdout: output.stdout ?? '', stderr: output.stderr ?? '', exitCode: output.exitCode ?? 0, ...(output.absent === true ? { absent: true } : {}) });
    }
    return new ProbeResults(where, map);
  }
}
