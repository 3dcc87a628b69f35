// A task's `timeout:` must kill the command on the host, not only stop waiting for it: sshd
// signals only the session's shell, and a grandchild keeps running. timeout(1) — in FreeBSD's
// base since 10.3, and in GNU coreutils — puts the command in its own process group and kills
// the whole group (usr.bin/timeout/timeout.c: setpgid(0,0), then killpg on the alarm).
import { sh, type Command } from '../command/command.js';
import { scriptCommand } from '../command/script-argument.js';

/**
 * The command under timeout(1) with SIGKILL, one second after the controller's own deadline, so
 * the controller reports the timeout first and the host then kills what is left.
 */
export function withRemoteTimeout(command: Command, timeoutMs: number): Command {
  const seconds = Math.ceil(timeoutMs / 1000) + 1;
  return { text: scriptCommand(sh`timeout -s KILL ${seconds} /bin/sh -c`.text, command.text), display: command.display };
}
