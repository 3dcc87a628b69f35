// Stopping what a connection started when beastie leaves it (Ctrl-C's grace is over, SIGTERM):
// closing the channel does not stop a command without a terminal (OpenSSH's
// session_close_by_channel only detaches it), and the `signal` channel request is refused for
// root logins by OpenSSH before 9.8 ("session signalling requires privilege separation",
// session.c session_signal_req: root sessions run without the post-auth privsep child). So each
// command carries a mark in its command line, and leaving runs one more command that finds the
// marked shells with pgrep -f and kills their process groups (sshd makes each session its own
// group: the command and every child that did not leave it).
import { randomBytes } from 'node:crypto';
import { loginShellCommand } from './login-shell-command.js';

const PREFIX = 'beastie-run-';

/** A fresh mark for one command. */
export function newRunMark(): string {
  return `${PREFIX}${randomBytes(8).toString('hex')}`;
}

/**
 * `script` carrying `mark` in the command line of the shell that runs it. `exit $?` keeps the
 * status and keeps that shell alive (a shell may exec its last command in place, dropping the
 * command line that holds the mark). The mark is letters, digits and dashes: octal escaping for
 * csh (login-shell-command.ts) leaves it readable.
 */
export function withRunMark(script: string, mark: string): string {
  return `${script}\nexit $? # ${mark}`;
}

/**
 * The /bin/sh script that kills the process group of every shell carrying one of `marks` (and the
 * shell itself), never the killer's own group. The pattern brackets one character so the
 * killer's own command line does not match it. It kills what its user may signal: run it as the
 * login user and, for commands run through become, as their become user too (SshTransport.close).
 */
export function killMarkedScript(marks: readonly string[]): string {
  const alternatives = marks.map((mark) => `[${mark.slice(0, 1)}]${mark.slice(1)}`).join('|');
  return `me=$(ps -o pgid= -p $$ | tr -d ' ')
for p in $(pgrep -f '(${alternatives})'); do
  g=$(ps -o pgid= -p "$p" | tr -d ' ')
  case $g in ''|*[!0-9]*|0|1) ;; *) [ "$g" = "$me" ] || kill -KILL -"$g";; esac
  kill -KILL "$p"
done 2>/dev/null
exit 0`;
}

/** {@link killMarkedScript} as a login-shell command line. */
export function killMarkedCommand(marks: readonly string[]): string {
  return loginShellCommand(killMarkedScript(marks));
}
