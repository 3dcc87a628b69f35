// One fact command that reads several related things (files, tool outputs) prints each as a
// section; the parser splits them again. Keeps a module's observation to one command without
// inventing an output format per module.
//
// What a section prints is the host's (a user's file, a file name, a tool's output), so the
// framing must be something it cannot write: every marker carries the frame's nonce, made on the
// host when the frame opens (output-nonce.ts hostNonce, as a fact batch's nonce is), which the
// output announces on its first line, before any section runs.
//
//   @@sections NONCE@@ { \n@@section NONCE NAME@@\n TEXT } \n@@sections NONCE end@@\n
//
// TEXT is exactly what the section's command printed (a missing final newline stays missing);
// it ends where `\n@@section NONCE ` or the end line starts, which it cannot contain. A command
// cut short (a section that exits the shell) has no end line: its last section is what came.
import { joinCommands, sh, type Command } from '../command/command.js';
import { hostNonce, outputNonce } from './output-nonce.js';

/**
 * What a section prints: a command's stdout; a file's text, the section printed only when the file
 * exists ({@link catOrAbsent}); or a command's stdout followed by a section `NAME:rc` holding its
 * exit status ({@link withStatus}). A file's absence and a command's status are thus said by the
 * frame's own markers, which nothing the host prints can forge.
 */
export type SectionSource = Command | FileRead | StatusRead;

/** A file read as a section printed only when the file exists. */
export interface FileRead {
  readonly kind: 'file';
  /** The path as a shell word (quoted, or an expansion such as `"$d/"NAME`). */
  readonly path: Command;
  /** Run before the test (sets what `path` expands); its output is dropped. */
  readonly before: Command | undefined;
  /** A further condition for the file to count as present (`[ -n "$d" ]`). */
  readonly onlyIf: Command | undefined;
}

/** A command whose exit status is kept as the section `NAME:rc`. */
export interface StatusRead {
  readonly kind: 'status';
  readonly command: Command;
}

/** The markers of one sectioned command: print `open`, any number of sections, then `close`. */
export interface SectionFrame {
  readonly open: Command;
  /** Prints the header of a section named NAME (a word the shell expands, such as `"$name"`) and runs `source`, its stderr dropped. */
  section(name: Command | string, source: SectionSource): Command;
  readonly close: Command;
}

function isFileRead(source: SectionSource): source is FileRead {
  return 'kind' in source && source.kind === 'file';
}

function isStatusRead(source: SectionSource): source is StatusRead {
  return 'kind' in source && source.kind === 'status';
}

/** A frame with a fresh nonce, for a command that prints sections of its own (in a loop, say). */
export function sectionFrame(): SectionFrame {
  const { make, value: nonce } = hostNonce(outputNonce());
  const header = (name: Command | string) => sh`printf '\\n@@section %s %s@@\\n' ${nonce} ${name}`;
  // The newline before `}` lets a section end with a here-document.
  const run = (name: Command | string, command: Command) => sh`${header(name)}; { ${command}
} 2>/dev/null`;
  return {
    open: sh`${make}; printf '@@sections %s@@' ${nonce}`,
    section: (name, source) => {
      if (isFileRead(source)) {
        const test = source.onlyIf === undefined ? sh`[ -f ${source.path} ]` : sh`${source.onlyIf} && [ -f ${source.path} ]`;
        const before = source.before === undefined ? sh`` : sh`{ ${source.before}; } >/dev/null 2>&1; `;
        return sh`${before}if ${test}; then ${run(name, sh`cat ${source.path}`)}; fi`;
      }
      if (isStatusRead(source)) {
        const statusName = typeof name === 'string' ? `${name}:rc` : sh`${name}:rc`;
        return sh`${run(name, source.command)}; printf '\\n@@section %s %s@@\\n%d\\n' ${nonce} ${statusName} "$?"`;
      }
      return run(name, source);
    },
    close: sh`printf '\\n@@sections %s end@@\\n' ${nonce}`,
  };
}

/** `[name, source]` pairs → one command printing each source as a section. */
export function sectionedCommand(sections: readonly (readonly [string, SectionSource])[]): Command {
  const frame = sectionFrame();
  return joinCommands([frame.open, ...sections.map(([name, source]) => frame.section(name, source)), frame.close], ';');
}

/** Split a sectioned command's stdout into its sections, in order (a name may repeat). */
export function parseSectionList(stdout: string): [string, string][] {
  const open = /^@@sections ([0-9a-f]+)@@/.exec(stdout);
  if (open === null) return [];
  const header = `\n@@section ${open[1]} `;
  const end = stdout.indexOf(`\n@@sections ${open[1]} end@@\n`, open[0].length);
  const body = stdout.slice(open[0].length, end < 0 ? undefined : end);
  const sections: [string, string][] = [];
  let at = body.startsWith(header) ? 0 : -1;
  while (at >= 0) {
    const nameEnd = body.indexOf('@@\n', at + header.length);
    if (nameEnd < 0) break;
    const textStart = nameEnd + 3;
    const next = body.indexOf(header, textStart);
    sections.push([body.slice(at + header.length, nameEnd), body.slice(textStart, next < 0 ? undefined : next)]);
    at = next;
  }
  return sections;
}

/** Split a sectioned command's stdout into name → text (a repeated name: its last section). */
export function parseSections(stdout: string): Map<string, string> {
  return new Map(parseSectionList(stdout));
}

/**
 * A file's text as a section printed only when it is a regular file: a missing file is a missing
 * section ({@link fileSection}), so no text a file holds reads as its absence. `path` is quoted when
 * it is a string and taken as a shell word when a command (`sh\`"$d/"${name}\``), which `before`
 * may set.
 */
export function catOrAbsent(path: string | Command, options: { readonly before?: Command; readonly onlyIf?: Command } = {}): FileRead {
  return { kind: 'file', path: typeof path === 'string' ? sh`${path}` : path, before: options.before, onlyIf: options.onlyIf };
}

/** A command whose exit status the frame keeps as the section `NAME:rc` ({@link sectionStatus}). */
export function withStatus(command: Command): StatusRead {
  return { kind: 'status', command };
}

/** A section printed by {@link catOrAbsent}: the file's text, or undefined when it is missing. */
export function fileSection(sections: ReadonlyMap<string, string>, name: string): string | undefined {
  return sections.get(name);
}

/** The exit status of a {@link withStatus} section; undefined when the command never ended (a cut). */
export function sectionStatus(sections: ReadonlyMap<string, string>, name: string): number | undefined {
  const text = sections.get(`${name}:rc`);
  return text !== undefined && /^\d+\n$/.test(text) ? Number(text) : undefined;
}
