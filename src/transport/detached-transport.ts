// `async:`/`poll:` on a task: each command the task runs is started detached on the host with
// nohup (pid, log and exit status in /var/db/beastie/async/JOB, 0700, as kernel_patch keeps its
// build), then polled; once its result is collected the directory is removed, and at the async
// timeout its whole process group is killed. A dropped connection is waited out and polling goes
// on; a new run of the same task on the same host finds the job still running and attaches to it
// instead of starting it again.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sh, type Command } from '../command/command.js';
import { jobAt, jobStatusCommand, killJobCommand, startJobCommand, type JobPaths } from '../command/detached-job.js';
import { UnreachableError } from '../errors.js';
import { OUTPUT_LIMIT_BYTES } from './output-buffer.js';
import type { CommandResult, PutOptions, RunOptions, Transport } from './transport.js';

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
  /** A progress message; `output` is the job's own text (its log's last line), which no_log hides. */
  progress(message: string, output?: string): void;
  /** Wait for the host to answer again after a dropped connection. */
  reconnect(timeoutMs: number): Promise<void>;
}

/** How a detached job ended, as far as the controller waited for it. */
export type JobEnd =
  | { readonly state: 'finished'; readonly exitCode: number }
  /** No exit status and no process: killed, or the host rebooted under it. */
  | { readonly state: 'gone' }
  /** Still running at the deadline (the job itself is left alone). */
  | { readonly state: 'timeout' };

/** How to wait for one detached job. */
export interface JobWait {
  /** Runs the status command on the host. */
  run(command: Command): Promise<CommandResult>;
  /** Epoch milliseconds after which the wait gives up. */
  readonly deadline: number;
  /** Milliseconds between status checks. */
  readonly pollMs: number;
  /** Milliseconds before the first check (0: at once, for a job that may have ended already). */
  readonly firstCheckMs: number;
  /** The job still runs; `last` is its log's last line, trimmed. */
  progress(last: string): void;
  /** The connection dropped during a check; the wait reconnects next. */
  lost(error: UnreachableError): void;
  /** Wait for the host to answer again, at most `timeoutMs`. */
  reconnect(timeoutMs: number): Promise<void>;
}

/**
 * Poll a detached job's status until it finishes, is gone, or the deadline passes. A dropped
 * connection is waited out (the job goes on on the host) while time is left; after the deadline
 * the connection error propagates. The one polling loop of async tasks and kernel_patch's build.
 */
export async function awaitJob(paths: JobPaths, wait: JobWait): Promise<JobEnd> {
  let pause = wait.firstCheckMs;
  for (;;) {
    if (pause > 0) await sleep(Math.max(100, Math.min(pause, wait.deadline - Date.now())));
    pause = wait.pollMs;
    let status: CommandResult;
    try {
      status = await wait.run(jobStatusCommand(paths));
    } catch (error) {
      if (!(error instanceof UnreachableError) || Date.now() >= wait.deadline) throw error;
      wait.lost(error);
      await wait.reconnect(Math.max(1000, wait.deadline - Date.now()));
      pause = 0;
      continue;
    }
    const [state = '', last = ''] = status.stdout.split('\n').map((line) => line.trim());
    const finished = /^finished (\d+)$/.exec(state);
    if (finished) return { state: 'finished', exitCode: Number(finished[1]) };
    if (state !== 'running') return { state: 'gone' };
    if (Date.now() >= wait.deadline) return { state: 'timeout' };
    wait.progress(last);
  }
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
    const end = await awaitJob(paths, {
      run: (status) => this.inner.run(status, options),
      deadline: Date.now() + this.options.asyncSeconds * 1000,
      pollMs: this.options.pollSeconds * 1000,
      firstCheckMs: this.options.pollSeconds * 1000,
      progress: (last) => this.options.progress('running', last ? last.slice(0, 200) : undefined),
      lost: (error) => this.options.progress(`connection lost (${error.message}); the job goes on on the host, waiting to reconnect`),
      reconnect: this.options.reconnect,
    });
    if (end.state === 'timeout') {
      await this.inner.run(killJobCommand(paths), options);
      return {
        command: command.display,
        exitCode: 137,
        stdout: '',
        stderr: `beastie: the job did not finish within async: ${this.options.asyncSeconds} s and was killed; its log is ${paths.log} on the host`,
        durationMs: performance.now() - started,
        timedOut: true,
      };
    }
    // Collected, the job's files go: its log may hold what no_log hides.
    const log = await this.inner.run(sh`head -c ${OUTPUT_LIMIT_BYTES} ${paths.log}; rm -rf -- ${paths.dir}`, options);
    const exitCode = end.state === 'finished' ? end.exitCode : 255;
    const note = end.state === 'finished' ? '' : `beastie: the detached job ${paths.dir} ended without an exit status (killed, or the host rebooted)`;
    return { command: command.display, exitCode, stdout: log.stdout, stderr: note, durationMs: performance.now() - started };
  }

  put(path: string, content: string | Buffer, options?: PutOptions): Promise<void> {
    return this.inner.put(path, content, options);
  }

  get(path: string, options?: Parameters<Transport['get']>[1]): Promise<Buffer | undefined> {
    return this.inner.get(path, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
