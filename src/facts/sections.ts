// One fact command that reads several related things (files, tool outputs) prints each under
// a `@@section NAME@@` line; the parser splits them again. Keeps a module's observation to one
// command without inventing an output format per module.
import { joinCommands, raw, sh, type Command } from '../command/command.js';

/** `[name, command]` pairs → one command printing each command's stdout under its header. */
export function sectionedCommand(sections: readonly (readonly [string, Command])[]): Command {
  return joinCommands(
    // The newline before `}` lets a section end with a here-document.
    sections.map(([name, command]) => sh`echo ${raw(`'@@section ${name}@@'`)}; { ${command}
} 2>/dev/null`),
    ';',
  );
}

/** Split a sectioned command's stdout into name → text. */
export function parseSections(stdout: string): Map<string, string> {
  const sections = new Map<string, string>();
  let name: string | undefined;
  let lines: string[] = [];
  const flush = () => {
    if (name !== undefined) sections.set(name, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  };
  const body = stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout;
  for (const line of body.split('\n')) {
    const header = /^@@section (.+)@@$/.exec(line);
    if (header) {
      flush();
      name = header[1];
      lines = [];
    } else if (name !== undefined) {
      lines.push(line);
    }
  }
  flush();
  return sections;
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
