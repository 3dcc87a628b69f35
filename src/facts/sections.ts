// One fact command that reads several related things (files, tool outputs) prints each as a
// section; the parser splits them again. Keeps a module's observation to one command without
// inventing an output format per module.
//
// What a section prints is the host's (a user's file, a file name, a tool's output), so the
// framing must be something it cannot write: every marker carries the command's nonce
// (output-nonce.ts), which the output announces on its first line, before any section runs.
//
//   @@sections NONCE@@ { \n@@section NONCE NAME@@\n TEXT } \n@@sections NONCE end@@\n
//
// TEXT is exactly what the section's command printed (a missing final newline stays missing);
// it ends where `\n@@section NONCE ` or the end line starts, which it cannot contain. A command
// cut short (a section that exits the shell) has no end line: its last section is what came.
import { joinCommands, sh, type Command } from '../command/command.js';
import { outputNonce } from './output-nonce.js';

/** The markers of one sectioned command: print `open`, any number of sections, then `close`. */
export interface SectionFrame {
  readonly open: Command;
  /** Prints the header of a section named NAME (a word the shell expands, such as `"$name"`) and runs `command`, its stderr dropped. */
  section(name: Command | string, command: Command): Command;
  readonly close: Command;
}

/** A frame with a fresh nonce, for a command that prints sections of its own (in a loop, say). */
export function sectionFrame(): SectionFrame {
  const nonce = outputNonce();
  return {
    open: sh`printf '@@sections %s@@' ${nonce}`,
    // The newline before `}` lets a section end with a here-document.
    section: (name, command) => sh`printf '\\n@@section %s %s@@\\n' ${nonce} ${name}; { ${command}
} 2>/dev/null`,
    close: sh`printf '\\n@@sections %s end@@\\n' ${nonce}`,
  };
}

/** `[name, command]` pairs → one command printing each command's stdout as a section. */
export function sectionedCommand(sections: readonly (readonly [string, Command])[]): Command {
  const frame = sectionFrame();
  return joinCommands([frame.open, ...sections.map(([name, command]) => frame.section(name, command)), frame.close], ';');
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

/** `cat FILE` that tells a missing file from an empty one: prints `@@absent@@` when missing. */
export function catOrAbsent(path: string): Command {
  return sh`if [ -f ${path} ]; then cat ${path}; else echo @@absent@@; fi`;
}

/** A section printed by {@link catOrAbsent}: the file's text, or undefined when it is missing. */
export function fileSection(sections: ReadonlyMap<string, string>, name: string): string | undefined {
  const text = sections.get(name);
  return text === undefined || text === '@@absent@@\n' ? undefined : text;
}
