// Every command run, logged with its host, task, duration and exit code. Wraps a host's
// transport; under no_log the command line, its output and its error are not written.
import type { DiagnosticLogger } from './run-logger.js';
import type { Command } from '../command/command.js';
import type { CommandResult, PutOptions, ReconnectHook, RunOptions, Transport } from '../transport/transport.js';

/** The task a host is running, as the log names it. */
export interface LogTask {
  readonly name: string;
  readonly noLog: boolean;
}

/** Output kept per stream in one log record; the full text stays with the result. */
const LOGGED_OUTPUT_LIMIT = 64 * 1024;

function cap(text: string): string {
  return text.length <= LOGGED_OUTPUT_LIMIT ? text : `${text.slice(0, LOGGED_OUTPUT_LIMIT)}… (${text.length} chars)`;
}

/** Told of each command after it ran (for -vvv output); the command text is *** under no_log. */
export type CommandObserver = (host: string, task: string | undefined, line: string) => void;

/** A transport that logs each command; `task` is set by the runner before each task on the host. */
export class LoggedTransport implements Transport {
  /** The task this host runs now: one at a time per host, set by the runner. */
  task: LogTask | undefined;

  constructor(
    private readonly inner: Transport,
    private readonly logger: DiagnosticLogger,
    /** The host as the log names it (the inventory host, also for delegate_to: localhost). */
    private readonly label: { readonly host: string; readonly delegatedTo?: string } = { host: inner.host },
    private readonly observe?: CommandObserver,
  ) {}

  get host(): string {
    return this.inner.host;
  }

  private fields(): Record<string, unknown> {
    return { ...this.label, task: this.task?.name };
  }

  run(command: Command, options: RunOptions = {}): Promise<CommandResult> {
    return this.logged(command, options, (logged, withSpooler) => this.inner.run(logged, withSpooler));
  }

  /** Runs `command` through `execute` and logs it. */
  private async logged(command: Command, options: RunOptions, execute: (command: Command, options: RunOptions) => Promise<CommandResult>): Promise<CommandResult> {
    const hidden = this.task?.noLog === true;
    const become = options.become ? { method: options.become.method, user: options.become.user ?? 'root' } : undefined;
    const started = performance.now();
    try {
      const result = await execute(command, hidden ? options : { ...options, onOutput: this.spooler(options.onOutput) });
      this.logger.info(
        {
          ...this.fields(),
          command: hidden ? '***' : result.command,
          exitCode: result.exitCode,
          durationMs: Math.round(result.durationMs),
          timedOut: result.timedOut,
          become,
          stdout: hidden ? '***' : cap(result.stdout),
          stderr: hidden ? '***' : cap(result.stderr),
        },
        'command',
      );
      const shown = hidden ? '***' : result.command;
      this.observe?.(this.label.host, this.task?.name, `$ ${shown} → exit ${result.exitCode} (${Math.round(result.durationMs)} ms)`);
      return result;
    } catch (error) {
      this.logger.warn(
        {
          ...this.fields(),
          command: hidden ? '***' : command.display,
          durationMs: Math.round(performance.now() - started),
          become,
          // The message of a lost connection or a failed command names the command or holds its output.
          error: hidden ? '***' : error instanceof Error ? error.message : String(error),
        },
        'command error',
      );
      throw error;
    }
  }

  /**
   * Output beyond what one record keeps is written as `output` records, chunk by chunk, as it
   * arrives: the result in memory is capped (src/transport/output-buffer.ts), the log is not.
   */
  private spooler(forward: RunOptions['onOutput']): NonNullable<RunOptions['onOutput']> {
    const seen = { stdout: 0, stderr: 0 };
    const held = { stdout: [] as string[], stderr: [] as string[] };
    return (stream, chunk) => {
      forward?.(stream, chunk);
      seen[stream] += chunk.length;
      if (seen[stream] <= LOGGED_OUTPUT_LIMIT) {
        held[stream].push(chunk);
        return;
      }
      const text = held[stream].join('') + chunk;
      held[stream] = [];
      this.logger.info({ ...this.fields(), stream, text }, 'output');
    };
  }

  async put(path: string, content: string | Buffer, options: PutOptions = {}): Promise<void> {
    const started = performance.now();
    const fields = { ...this.fields(), put: path, bytes: content.length, mode: options.mode?.toString(8) };
    try {
      await this.inner.put(path, content, options);
    } catch (error) {
      const message = this.task?.noLog === true ? '***' : error instanceof Error ? error.message : String(error);
      this.logger.warn({ ...fields, durationMs: Math.round(performance.now() - started), error: message }, 'put error');
      throw error;
    }
    this.logger.info({ ...fields, durationMs: Math.round(performance.now() - started) }, 'put');
  }

  get(path: string, options?: Parameters<Transport['get']>[1]): Promise<Buffer | undefined> {
    return this.inner.get(path, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  onReconnect(hook: ReconnectHook): void {
    // The hook's commands are logged as the host's own, under the task that reconnected.
    this.inner.onReconnect?.((run) => hook((command) => this.logged(command, {}, (logged) => run(logged))));
  }
}
