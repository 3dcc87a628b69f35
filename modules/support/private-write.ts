// A file a module makes on the host with a tool of its own (openssl writing a key, parameters or a
// request), installed as the install script installs an upload (src/transport/install-file.ts,
// docs/file-writes.md): made as `f` in a private directory beside the path, given its mode and
// owner there, read there for the result, then renamed over the path without following a link a
// user who can write the directory planted at the name. A failed step leaves the old file.
import { posix } from 'node:path';
import { raw, sh, type Command } from '../../src/command/command.js';
import type { FileStat } from '../../src/facts/file-stat.js';
import { ENTER_PRIVATE_DIRECTORY, MV_NOFOLLOW } from '../../src/transport/install-file.js';
import type { CommandResult } from '../../src/transport/transport.js';
import { formatMode } from './file-attributes.js';

export interface PrivateWrite {
  /** Run before the directory is entered (a relative path of another file made absolute). */
  readonly before?: Command;
  /** Writes `f` in the private directory. */
  readonly make: Command;
  /** Run on `f` after it is made and before the rename, each only if the one before succeeded. */
  readonly then?: readonly Command[];
  /** Make `f` under umask 077 (a private key), not the shell's own umask. */
  readonly privateUmask?: boolean;
  /** Said on stderr when a step fails (the tool itself may say nothing). */
  readonly failure?: string;
}

/** The script that makes `path` as {@link PrivateWrite} says. */
export function privateWriteCommand(path: string, write: PrivateWrite): Command {
  const steps = [write.make, ...(write.then ?? [])].map((step) => step.text).join(' && ');
  const umask = write.privateUmask === true ? raw('umask 077\n') : raw('');
  const before = write.before === undefined ? raw('') : sh`${write.before}\n`;
  const failure = write.failure === undefined ? raw('') : sh`echo ${write.failure} >&2; `;
  return sh`${umask}target=${path}
dir=${posix.dirname(path)}
${before}${ENTER_PRIVATE_DIRECTORY}
${MV_NOFOLLOW}
if ${raw(steps)} && mv -f $nofollow f "$target"; then cd / && rmdir -- "$t" 2>/dev/null; else rm -f f; cd / && rmdir -- "$t" 2>/dev/null; ${failure}exit 1; fi`;
}

/**
 * `f`'s mode and owner as atomic_move leaves them: an existing file's own, else 0666 less the
 * umask (what a new file would have got).
 */
export function keepAttributes(existing: FileStat | undefined): Command {
  return existing === undefined ? sh`chmod "$(printf %o $((0666 & ~$(umask))))" f` : sh`chmod ${formatMode(existing.mode)} f && chown ${`${existing.owner}:${existing.group}`} f`;
}

/** `f`'s content after a `marker` line, for return_content (read before the rename). */
export function printAfter(marker: string): Command {
  return sh`echo ${marker} && cat f`;
}

/** What a write printed after `marker` (printAfter), or undefined. */
export function printedAfter(results: readonly CommandResult[], marker: string): string | undefined {
  for (const result of results) {
    const lines = result.stdout.split('\n');
    const at = lines.indexOf(marker);
    if (at >= 0) return lines.slice(at + 1).join('\n');
  }
  return undefined;
}
