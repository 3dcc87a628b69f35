// `async:`/`poll:` on a task: each command the task runs is started detached on the host with
// nohup (pid, log and exit status in /var/db/beastie/async/JOB, as kernel_patch keeps its build),
// then polled. A dropped connection is waited out and polling goes on; a new run of the same task
// on the same host finds the job still running and attaches to it instead of starting it again.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sh, type Command } from '../command/command.js';
import { jobAt, jobStatusCommand, startJobCommand, type JobPaths } from '../command/detached-job.js';
import { UnreachableError } from '../errors.js';
import { OUTPUT_LIMIT_BYTES } from '../transport/output-buffer.js';
import type { CommandResult, PutOptions, RunOptions, Transport } from '../transport/transport.js';

/** Where detached jobs keep their files on the host. */
export const ASYNC_DIR = '/var/db/beastie/async';

/** A job's files, named after the host, the task and the command, so a re-run finds it. */
export function jobPaths(host: string, taskId: string, command: Command): JobPaths & { readonly id: string } {
  const id = createHash('sha256').update(`${host}\0${taskId}\0${command.text}`).digest('hex').slice(0, 16);
  return { id, ...jobAt(`${ASYNC_DIR}/${id}`) };
}

/** What the detached run needs from the task. */
export interface AsyncOptions {
  /** async: give up (and kill the job) after this many seconds. */
  readonly asyncSeconds: number;
  /** poll: seconds between status checks. */
  readonly pollSeconds: number;
  /** Identifies the task (its file:line:column). */
  readonly taskId: string;
  progress(message: string): void;
  /** Wait for the host to answer again after a dropped connection. */
  reconnect(timeoutMs: number): Promise<void>;
}

/** A transport whose `run` starts each command as a detached job and polls it to the end. */
export class DetachedTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly options: AsyncOptions,
  ) {}

  get host(): string {
    return this.inner.host;
  }

  async run(command: Command, runOptions: RunOptions = {}): Promise<CommandResult> {
    const started = performance.now();
    const paths = jobPaths(this.inner.host, this.options.taskId, command);
    const { timeoutMs: _timeout, ...options } = runOptions;
    const start = await this.inner.run(startJobCommand(paths, command), options);
    if (start.exitCode !== 0) return { ...start, command: command.display };
    this.options.progress(`${start.stdout.trim() === 'attached' ? 'attached to the detached job still running' : 'started detached'} as ${paths.dir} (async ${this.options.asyncSeconds} s, poll ${this.options.pollSeconds} s)`);
    const deadline = Date.now() + this.options.asyncSeconds * 1000;
    for (;;) {
      await sleep(Math.max(100, Math.min(this.options.pollSeconds * 1000, deadline - Date.now())));
      let status: CommandResult;
      try {
        status = await this.inner.run(jobStatusCommand(paths), options);
      } catch (error) {
        if (!(error instanceof UnreachableError) || Date.now() >= deadline) throw error;
        this.options.progress(`connection lost (${error.message}); the job goes on on the host, waiting to reconnect`);
        await this.options.reconnect(Math.max(1000, deadline - Date.now()));
        continue;
      }
      const [state = '', last = ''] = status.stdout.split('\n');
      const finished = /^finished (\d+)$/.exec(state);
      if (finished || state === 'gone') {
        const log = await this.inner.run(sh`head -c ${OUTPUT_LIMIT_BYTES} ${paths.log}`, options);
        const exitCode = finished ? Number(finished[1]) : 255;
        const note = finished ? '' : `\nbeastie: the detached job ${paths.dir} ended without an exit status (killed, or the host rebooted)`;
        return { command: command.display, exitCode, stdout: log.stdout, stderr: note.trim(), durationMs: performance.now() - started };
      }
      if (Date.now() >= deadline) {
        await this.inner.run(sh`kill -KILL "$(cat ${paths.pid})" 2>/dev/null; true`, options);
        return {
          command: command.display,
          exitCode: 137,
          stdout: '',
          stderr: `beastie: the job did not finish within async: ${this.options.asyncSeconds} s and was killed; its log is ${paths.log} on the host`,
          durationMs: performance.now() - started,
          timedOut: true,
        };
      }
      this.options.progress(`running${last.trim() ? `: ${last.trim().slice(0, 200)}` : ''}`);
    }
  }

  put(path: string, content: string | Buffer, options?: PutOptions): Promise<void> {
    return this.inner.put(path, content, options);
  }

  get(path: string, options?: { readonly become?: RunOptions['become'] }): Promise<Buffer | undefined> {
    return this.inner.get(path, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
