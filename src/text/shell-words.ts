// POSIX shell-style word splitting, as Python's shlex.split does (no expansion): quotes group
// words, a backslash escapes the next character (in double quotes only " \ $ `), and with
// `comments`, `#` outside a word starts a comment (shlex.split(line, comments=True), Ansible's
// INI host lines). Ansible's ansible_ssh_common_args/extra_args are split without comments.

/** One word and the offset in the line where it starts, for error columns. */
export interface ShellWord {
  readonly text: string;
  readonly offset: number;
}

/** A quote that is never closed; `offset` is where it opens. */
export class UnclosedQuoteError extends Error {
  constructor(
    readonly quote: string,
    readonly offset: number,
    line: string,
  ) {
    super(`unterminated ${quote} in: ${line}`);
  }
}

/** Splits a line into words; an unclosed quote throws UnclosedQuoteError. */
export function splitShellWords(line: string, options: { readonly comments: boolean }): ShellWord[] {
  const words: ShellWord[] = [];
  let current: string | undefined;
  let start = 0;
  let i = 0;
  const push = (): void => {
    if (current !== undefined) words.push({ text: current, offset: start });
    current = undefined;
  };
  while (i < line.length) {
    const c = line[i] ?? '';
    if (/\s/u.test(c)) {
      push();
      i++;
      continue;
    }
    if (c === '#' && options.comments) break;
    if (current === undefined) {
      current = '';
      start = i;
    }
    // A backslash at the very end stays itself, as sh keeps it.
    if (c === '\\' && i + 1 < line.length) {
      current += line[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (c === "'" || c === '"') {
      const close = findClose(line, i, c);
      if (close < 0) throw new UnclosedQuoteError(c, i, line);
      const inner = line.slice(i + 1, close);
      current += c === '"' ? inner.replace(/\\(["\\$`])/gu, '$1') : inner;
      i = close + 1;
      continue;
    }
    current += c;
    i++;
  }
  push();
  return words;
}

/** Index of the quote closing the one at `open`; in double quotes, `\"` does not close. */
function findClose(line: string, open: number, quote: string): number {
  for (let j = open + 1; j < line.length; j++) {
    if (quote === '"' && line[j] === '\\') {
      j++;
      continue;
    }
    if (line[j] === quote) return j;
  }
  return -1;
}
