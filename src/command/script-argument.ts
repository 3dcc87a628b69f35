// A script handed to a second shell (`env … /bin/sh -c SCRIPT`, `timeout … /bin/sh -c SCRIPT`,
// `jexec NAME /bin/sh -c SCRIPT`) is one exec argument, and exec bounds those: Linux takes at most
// 128 KiB in one argument (MAX_ARG_STRLEN), FreeBSD 256 KiB in all of them together (ARG_MAX,
// sys/sys/syslimits.h). A task may well carry a longer script (a 100 KiB patch inline, sent twice by
// a check), so a long one goes to that shell on a here-document instead: the outer shell builds
// the here-document itself, so nothing long is ever passed to exec, and the command's stdin is untouched.
import { randomBytes } from 'node:crypto';
import { quoteShellWord } from './quote.js';

/** Longest script passed as an argument, in bytes: room for the other words and the environment. */
export const SCRIPT_ARGUMENT_LIMIT = 64 * 1024;

/** The short script that runs the long one from fd 3 (and leaves fd 3 closed for what it runs). */
const SCRIPT_FROM_FD3 = `'eval "$(cat <&3)" 3<&-'`;

/**
 * `PREFIX SCRIPT SUFFIX` for a PREFIX that ends in `/bin/sh -c` and a SUFFIX of redirections or `&`:
 * the script as the shell's quoted argument while it is short; a longer one as a here-document on
 * fd 3 (POSIX sh expands `$(cat <&3)` before it applies `3<&-`). The long form ends with the
 * here-document's closing line: whatever follows it must begin a new command line.
 */
export function scriptCommand(prefix: string, script: string, suffix = ''): string {
  const tail = suffix === '' ? '' : ` ${suffix}`;
  if (Buffer.byteLength(script) <= SCRIPT_ARGUMENT_LIMIT) return `${prefix} ${quoteShellWord(script)}${tail}`;
  // A closing word no line of the script can be: the script's lines are taken literally ('…').
  let end: string;
  do end = `BEASTIE_SCRIPT_${randomBytes(8).toString('hex')}`;
  while (script.split('\n').includes(end));
  return `${prefix} ${SCRIPT_FROM_FD3} 3<<'${end}'${tail}\n${script}\n${end}\n`;
}
