// The string sshd hands to the user's login shell. That shell may be csh/tcsh (FreeBSD's root
// before 14), which cannot take a newline inside quotes and expands `!` history, so a script
// holding either is sent octal-escaped and rebuilt by /bin/sh's own printf.
import { quoteShellWord } from '../../command/quote.js';

/** Characters csh treats differently from /bin/sh even inside single quotes. */
const CSH_HOSTILE = /[\n\r!]/;

/**
 * A command line that any login shell (sh, bash, csh, tcsh) runs as `/bin/sh -c SCRIPT` with
 * LC_ALL=C. `env` sets the variable because csh has no `VAR=value command` form.
 */
export function loginShellCommand(script: string): string {
  return `env LC_ALL=C /bin/sh -c ${cshSafeWord(script)}`;
}

/**
 * One word that sh and csh both read back as `text`: plain quoting when that is safe, else a
 * script that rebuilds `text` from octal escapes (`$(…)` drops trailing newlines, which a script
 * never needs) and evaluates it.
 */
export function cshSafeWord(text: string): string {
  if (!CSH_HOSTILE.test(text)) return quoteShellWord(text);
  return quoteShellWord(`eval "$(printf %b ${quoteShellWord(octalEscape(text))})"`);
}

/** `printf %b` escapes for every byte outside a small safe set: `a!b` → `a\0041b`. */
function octalEscape(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9 _.,:/=+@%-]/.test(char) ? char : `\\0${byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}
