// doctor's observations: read-only commands run in one batched /bin/sh per place (the host, then
// the jails), each kept with what it printed so a finding can show it as evidence.
import type { Command } from '../command/command.js';
import type { Evidence } from './finding.js';

/** One read-only command doctor runs; `id` names its output for the checks. */
export interface Probe {
  readonly id: string;
  readonly command: Command;
}

/** What a probe printed. */
export interface ProbeOutput {
  readonly command: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
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

  /** A probe's exit status (undefined when it was not run). */
  exitCode(id: string): number | undefined {
    return this.outputs.get(id)?.exitCode;
  }

  /** The probe as evidence: its command and what it printed (stderr after stdout). */
  evidence(id: string): Evidence {
    const output = this.outputs.get(id);
    if (output === undefined) return { where: this.where, command: id, output: '(not run)' };
    const text = [output.stdout.trimEnd(), output.stderr.trimEnd()].filter((part) => part !== '').join('\n');
    return { where: this.where, command: output.command, output: text === '' ? `(no output, exit ${output.exitCode})` : text };
  }

  /** Probe results from plain text, for tests and for the checks' unit tables. */
  static of(where: string, outputs: Readonly<Record<string, string | Partial<ProbeOutput>>>): ProbeResults {
    const map = new Map<string, ProbeOutput>();
    for (const [id, value] of Object.entries(outputs)) {
      const output = typeof value === 'string' ? { stdout: value } : value;
      map.set(id, { command: output.command ?? id, stdout: output.stdout ?? '', stderr: output.stderr ?? '', exitCode: output.exitCode ?? 0 });
    }
    return new ProbeResults(where, map);
  }
}
