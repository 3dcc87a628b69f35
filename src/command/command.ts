// Commands are values (STYLE.md principle 8): built by a tagged template that quotes every
// interpolated value, with secrets that render as *** in logs and output.
import { quoteShellWord } from './quote.js';

/** A value that must never appear in logs or output. */
export class Secret {
  constructor(readonly value: string) {}
  toString(): string {
    return '***';
  }
  toJSON(): string {
    return '***';
  }
}

/** A /bin/sh command line: `text` is what runs, `display` what logs and output show. */
export interface Command {
  readonly text: string;
  readonly display: string;
}

/** Interpolations allowed in {@link sh}: words (quoted), word lists, other commands (verbatim), raw fragments. */
export type ShellValue = string | number | Secret | Command | RawShell | readonly (string | number | Secret)[];

/** A fragment inserted without quoting; only for trusted literals such as operators. */
export class RawShell {
  constructor(readonly text: string) {}
}

/** Mark a trusted literal fragment (never user input) for verbatim insertion. */
export function raw(text: string): RawShell {
  return new RawShell(text);
}

function isCommand(value: unknown): value is Command {
  return typeof value === 'object' && value !== null && 'text' in value && 'display' in value;
}

function renderValue(value: ShellValue): { text: string; display: string } {
  if (value instanceof Secret) return { text: quoteShellWord(value.value), display: '***' };
  if (value instanceof RawShell) return { text: value.text, display: value.text };
  if (isCommand(value)) return { text: value.text, display: value.display };
  if (Array.isArray(value)) {
    const parts = value.map((v: string | number | Secret) => renderValue(v));
    return { text: parts.map((p) => p.text).join(' '), display: parts.map((p) => p.display).join(' ') };
  }
  const word = quoteShellWord(String(value));
  return { text: word, display: word };
}

/**
 * Build a command: literal parts are kept as written, every `${value}` is quoted.
 *
 *     sh`sysrc -f ${file} ${name}=${value}`
 */
export function sh(strings: TemplateStringsArray, ...values: ShellValue[]): Command {
  let text = strings[0] ?? '';
  let display = text;
  values.forEach((value, index) => {
    const rendered = renderValue(value);
    const literal = strings[index + 1] ?? '';
    text += rendered.text + literal;
    display += rendered.display + literal;
  });
  return { text, display };
}

/** Join commands with a shell operator (`&&`, `;`, `||`, `|`). */
export function joinCommands(commands: readonly Command[], operator: '&&' | ';' | '||' | '|' = '&&'): Command {
  return {
    text: commands.map((c) => c.text).join(` ${operator} `),
    display: commands.map((c) => c.display).join(` ${operator} `),
  };
}

/** A command from a user's own shell string (the `shell` module), taken verbatim. */
export function userShell(text: string): Command {
  return { text, display: text };
}
