// A command run detached on the host with nohup, so it outlives the SSH connection and the
// controller: its pid, log and exit status live in one directory, and a later run can attach to
// it or read how it ended. Used by async/poll tasks and by kernel_patch's kernel build.
import { sh, type Command } from './command.js';
import { scriptCommand } from './script-argument.js';

/** The files of one detached job on the host. */
export interface JobPaths {
  readonly dir: string;
  readonly pid: string;
  /** The job's process group: the group of the session that started it, which only the job still uses. */
  readonly pgid: string;
  readonly log: string;
  readonly rc: string;
}

/** The job whose files are in `dir`. */
export function jobAt(dir: string): JobPaths {
  return { dir, pid: `${dir}/pid`, pgid: `${dir}/pgid`, log: `${dir}/log`, rc: `${dir}/rc` };
}

/**
 * Start the command detached, unless that job is already running: prints `started` or `attached`.
 * The exit status is written through a temporary file and a rename, so a reader never sees it half-written.
 * The directory is 0700 and the log 0600 (the output may be secret: no_log); the job itself keeps
 * the session's umask. Its process group is recorded so a timeout can stop all of it
 * (killJobCommand).
 */
export function startJobCommand(paths: JobPaths, command: Command): Command {
  const inner = `(${command.text}); echo $? > ${paths.rc}.tmp && mv ${paths.rc}.tmp ${paths.rc}`;
  const prepare = sh`if [ ! -f ${paths.rc} ] && [ -f ${paths.pid} ] && kill -0 "$(cat ${paths.pid})" 2>/dev/null; then echo attached; exit 0; fi; (umask 077 && mkdir -p ${paths.dir} && chmod 0700 ${paths.dir} && rm -f ${paths.rc} && : > ${paths.log}) || exit`;
  // A long job script ends its line in a here-document (script-argument.ts): the rest follows on new lines.
  const start = scriptCommand('nohup /bin/sh -c', inner, sh`> ${paths.log} 2>&1 < /dev/null &`.text);
  const record = sh`echo $! > ${paths.pid}; ps -o pgid= -p $! | tr -d ' ' > ${paths.pgid} && echo started`;
  // The display names the job's command by its own display (a Secret stays ***), not its text.
  return { text: `${prepare.text}\n${start}\n${record.text}`, display: `nohup /bin/sh -c ${command.display} > ${paths.log} &` };
}

/**
 * Kill the whole job: its process group (what `nohup sh -c` started shares the group of the SSH
 * session that started it, and nothing else is left in that group once that session ended), then
 * its first process. The group is never the killer's own (a transport that does not give each
 * command a group of its own would otherwise kill the controller's).
 */
export function killJobCommand(paths: JobPaths): Command {
  return sh`pg=$(cat ${paths.pgid} 2>/dev/null); me=$(ps -o pgid= -p $$ | tr -d ' '); case $pg in ''|*[!0-9]*|0|1) ;; *) [ "$pg" = "$me" ] || kill -KILL -"$pg" 2>/dev/null;; esac; kill -KILL "$(cat ${paths.pid})" 2>/dev/null; true`;
}

/** The job's state on one line, `finished N`, `running` or `gone`, then the log's last line. */
export function jobStatusCommand(paths: JobPaths): Command {
  return sh`if [ -f ${paths.rc} ]; then echo "finished $(cat ${paths.rc})"; elif kill -0 "$(cat ${paths.pid} 2>/dev/null)" 2>/dev/null; then echo running; else echo gone; fi; tail -n 1 ${paths.log} 2>/dev/null`;
}
