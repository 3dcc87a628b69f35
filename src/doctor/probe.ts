// doctor's observations: read-only commands run in one batched /bin/sh per place (the host, then
// the jails), each kept with what it printed so a finding can show it as evidence.
import { joinCommands, sh, type Command } from '../command/command.js';
import { catOrAbsent, parseSectionList, parseSections, sectionedCommand, sectionFrame, type SectionFrame } from '../facts/sections.js';
import type { Evidence } from './finding.js';

/** A sectioned probe's output, in order: name and text of each section (a name may repeat). */
export type SectionList = readonly (readonly [string, string])[];

/** One read-only command doctor runs; `id` names its output for the checks. */
export interface Probe {
  readonly id: string;
  readonly command: Command;
  /** A file probe ({@link fileProbe}): its output is the file's text, or absent. */
  readonly file?: true;
  /** A sectioned probe ({@link sectionedProbe}): its sections, and the text evidence shows for them. */
  readonly shown?: (sections: SectionList) => string;
}

/**
 * A probe reading several things of the host's — files and their names, in a loop — as sections
 * of src/facts/sections.ts's frame, which no text they hold can forge. `body` prints the sections
 * with the frame it is given; the checks read them with {@link ProbeResults.sections}, evidence
 * shows `shown` of them, the command shows as `display`.
 */
export function sectionedProbe(id: string, body: (frame: SectionFrame) => Command, display: Command, shown: (sections: SectionList) => string): Probe {
  const frame = sectionFrame();
  const command = joinCommands([frame.open, body(frame), frame.close], ';');
  return { id, command: { text: command.text, display: display.display }, shown };
}

/** Files as head(1) shows several (usr.bin/head/head.c: `==> NAME <==`, a blank line between them). */
export function showFiles(files: readonly (readonly [string, string])[]): string {
  return files.map(([name, text], index) => `${index === 0 ? '' : '\n'}==> ${name} <==\n${text}${text === '' || text.endsWith('\n') ? '' : '\n'}`).join('');
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

/** A sectioned probe's output as its sections and the text shown for them (src/doctor/gather.ts). */
export function sectionedProbeOutput(output: { readonly stdout: string; readonly stderr: string; readonly exitCode: number }, shown: (sections: SectionList) => string): Omit<ProbeOutput, 'command'> {
  const sections = parseSectionList(output.stdout);
  return { ...output, stdout: shown(sections), sections };
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
  /** A sectioned probe's sections; its stdout is then the text shown for them. */
  readonly sections?: SectionList;
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

  /** A sectioned probe's sections, in order (none when it was not run). */
  sections(id: string): SectionList {
    return this.outputs.get(id)?.sections ?? [];
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
      map.set(id, {
        command: output.command ?? id,
        stdout: output.stdout ?? '',
        stderr: output.stderr ?? '',
        exitCode: output.exitCode ?? 0,
        ...(output.absent === true ? { absent: true } : {}),
        ...(output.sections === undefined ? {} : { sections: output.sections }),
      });
    }
    return new ProbeResults(where, map);
  }
}
