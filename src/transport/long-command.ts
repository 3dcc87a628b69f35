// A command line longer than a transport may hand over whole: sshd drops the connection on a request
// over its 256 KiB packet limit (OpenSSH packet.c PACKET_MAX_SIZE), and the shell's own `sh -c
// SCRIPT` is one exec argument (Linux MAX_ARG_STRLEN 128 KiB, FreeBSD ARG_MAX); csh-safe escaping
// (ssh/login-shell-command.ts) and become's quoting make a script several times its size. Such a
// script goes on the command's stdin and runs in the shell that carries everything else (the run
// mark, become), so it cannot also carry stdin of its own.
import type { Command } from '../command/command.js';
import { SCRIPT_ARGUMENT_LIMIT } from '../command/script-argument.js';
import { CommandFailedError } from '../errors.js';

/** What reads a long script from stdin and runs it in the shell that reads it. */
export const SCRIPT_FROM_STDIN = 'eval "$(cat)"';

/** Whether a command line of this text must go on stdin instead. */
export function tooLongForCommandLine(text: string): boolean {
  return Buffer.byteLength(text) > SCRIPT_ARGUMENT_LIMIT;
}

/** The refusal of a long command that cannot go on stdin: `why` it cannot. */
export function longCommandRefused(text: string, command: Command, why: string, host?: string): CommandFailedError {
  return new CommandFailedError(
    `cannot run a command of ${Math.ceil(Buffer.byteLength(text) / 1024)} KiB ${why}: a command line that long goes on stdin, which then cannot carry anything else: ${command.display.slice(0, 200)}`,
    { ...(host === undefined ? {} : { host }), fix: 'put the long text in a file (copy/template content or src) and let the command read it; or use become_method: sudo' },
  );
}
