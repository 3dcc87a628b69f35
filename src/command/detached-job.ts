// A command run detached on the host with nohup, so it outlives the SSH connection and the
// controller: its pid, log and exit status live in one directory, and a later run can attach to
// it or read how it ended. Used by async/poll tasks and by kernel_patch's kernel build.
import { sh, type Command } from './command.js';

/** The files of one detached job on the host. */
export interface JobPaths {
  readonly dir: string;
  readonly pid: string;
  readonly log: string;
  readonly rc: string;
}

/** The job whose files are in `dir`. */
export function jobAt(dir: string): JobPaths {
  return { dir, pid: `${dir}/pid`, log: `${dir}/log`, rc: `${dir}/rc` };
}

/**
 * Start the command detached, unless that job is already running: prints `started` or `attached`.
 * The exit status is written through a temporary file and a rename, so a reader never sees it half-written.
 */
export function startJobCommand(paths: JobPaths, command: Command): Command {
  const inner = `(${command.text}); echo $? > ${paths.rc}.tmp && mv ${paths.rc}.tmp ${paths.rc}`;
  return sh`if [ ! -f ${paths.rc} ] && [ -f ${paths.pid} ] && kill -0 "$(cat ${paths.pid})" 2>/dev/null; then echo attached; exit 0; fi; mkdir -p ${paths.dir} && rm -f ${paths.rc} && { nohup /bin/sh -c ${inner} > ${paths.log} 2>&1 < /dev/null & echo $! > ${paths.pid}; } && echo started`;
}

/** The job's state on one line, `finished N`, `running` or `gone`, then the log's last line. */
export function jobStatusCommand(paths: JobPaths): Command {
  return sh`if [ -f ${paths.rc} ]; then echo "finished $(cat ${paths.rc})"; elif kill -0 "$(cat ${paths.pid} 2>/dev/null)" 2>/dev/null; then echo running; else echo gone; fi; tail -n 1 ${paths.log} 2>/dev/null`;
}
