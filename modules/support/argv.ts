// Splitting the `command` module's string into argv words as POSIX sh would (quotes and
// backslashes), without interpreting anything else: Ansible's command never runs a shell (its
// words go through shlex.split, then run_command's expansion: modules/support/expand-argv.ts).

/** The words of a command line, or the shell syntax it contains unquoted. */
export type ArgvSplit =
  | { readonly kind: 'words'; readonly words: string[] }
  | { readonly kind: 'shell-syntax'; readonly character: string }
  | { readonly kind: 'unterminated'; readonly quote: string };

/** Characters that mean something only to a shell: redirection, pipes, lists, expansion, subshells. */
const SHELL_SYNTAX = new Set(['|', '&', ';', '<', '>', '(', ')', '$', '`']);

/**
 * How `$` is read: as shell syntax (refused), or, for the command module, as an ordinary character
 * the way Python's shlex.split reads it — inside double quotes a backslash then only escapes `"`
 * and `\`, so `"\$X"` keeps its backslash — for run_command to expand afterwards.
 */
export interface ArgvOptions {
  readonly dollar?: 'syntax' | 'word';
}

/** Split `text` into words; unquoted shell syntax is reported rather than passed on literally. */
export function splitArgv(text: string, options: ArgvOptions = {}): ArgvSplit {
  const dollarWord = options.dollar === 'word';
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { kind: 'unterminated', quote: "'" };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        const d = text[j] ?? '';
        if (d === '\\' && ['"', '\\', ...(dollarWord ? [] : ['$', '`'])].includes(text[j + 1] ?? '')) {
          word += text[j + 1];
          j++;
        } else if ((d === '$' && !dollarWord) || d === '`') {
          return { kind: 'shell-syntax', character: d };
        } else {
          word += d;
        }
      }
      if (j >= text.length) return { kind: 'unterminated', quote: '"' };
      inWord = true;
      i = j;
    } else if (c === '\\') {
      word += text[i + 1] ?? '';
      inWord = true;
      i++;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (SHELL_SYNTAX.has(c) && !(c === '$' && dollarWord)) {
      return { kind: 'shell-syntax', character: c };
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return { kind: 'words', words };
}
