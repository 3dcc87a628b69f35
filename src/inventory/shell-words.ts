// POSIX shell-style word splitting for INI host lines, as Python's shlex.split(line, comments=True)
// does: quotes group words, backslash escapes, `#` outside quotes starts a comment.
import { InvalidInputError } from '../errors.js';
import type { SourceRef } from '../source.js';

/** One word and the offset in the line where it starts, for error columns. */
export interface ShellWord {
  readonly text: string;
  readonly offset: number;
}

/** Splits a line into words; an unclosed quote is an error at the quote. */
export function splitShellWords(line: string, here: (offset?: number) => SourceRef): ShellWord[] {
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
    if (c === '#') break;
    if (current === undefined) {
      current = '';
      start = i;
    }
    if (c === '\\') {
      current += line[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (c === "'" || c === '"') {
      const close = findClose(line, i, c);
      if (close < 0) {
        throw new InvalidInputError(`unclosed ${c} quote in host line`, {
          source: here(i),
          fix: `close the quote with ${c}`,
        });
      }
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
