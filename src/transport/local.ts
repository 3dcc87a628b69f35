// The `local` connection: commands run on the controller through /bin/sh, files are written by the
// same install script the ssh transport runs (src/transport/install-file.ts). Used for
// `ansible_connection: local`, `delegate_to: localhost` and the module tests. It behaves as the ssh
// transport does — become is applied, not ignored; an existing file keeps its mode; failures are beastie's own errors.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { sh, type Command } from '../command/command.js';
import { CommandFailedError } from '../errors.js';
import { becomeCommand, becomeNeedsTerminal } from './become.js';
import { installFileCommand, putInstallFile } from './install-file.js';
import { CommandOutput } from './command-output.js';
import { OUTPUT_LIMIT_BYTES, truncationNote } from './output-buffer.js';
import { longCommandRefused, SCRIPT_FROM_STDIN, tooLongForCommandLine } from './long-command.js';
import type { BecomeSpec, CommandResult, PutOptions, RunOptions, Transport } from './transport.js';

/** The exit status a shell reports for a signal. */
function signalExit(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

/** A command's outcome with its output as bytes, before decoding. */
interface RawLocalResult extends Omit<CommandResult, 'stdout' | 'stderr'> {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

/** Runs one /bin/sh command locally with LC_ALL=C; the same result shape as over SSH. */
export async function runLocalCommand(command: Command, options: RunOptions = {}): Promise<CommandResult> {
  const raw = await runLocalRaw(command, options, OUTPUT_LIMIT_BYTES);
  return { ...raw, stdout: raw.stdout.toString('utf8'), stderr: raw.stderr.toString('utf8') };
}

/**
 * A watcher outside the command's process group that kills the group if beastie dies while the
 * command runs (kill -9, a crash): its own group keeps the command from terminal signals, so
 * nothing else would stop it, and with become it runs as root. The watcher reads its stdin, a pipe
 * only beastie holds: a newline means the command ended (what it left in the background, an
 * `async` job's, stays); end of file without one means beastie is gone.
 */
export function guardAgainstOrphaning(pid: number | undefined): { released(): void } | undefined {
  if (pid === undefined) return undefined;
  const watcher = spawn('/bin/sh', ['-c', `read -r _ || kill -KILL -${pid} 2>/dev/null`], { stdio: ['pipe', 'ignore', 'ignore'] });
  watcher.on('error', () => undefined);
  watcher.stdin.on('error', () => undefined);
  watcher.unref();
  return {
    released: () => {
      watcher.stdin.end('\n');
    },
  };
}

/**
 * The command run with become applied, its output kept up to `limit` bytes per stream. While it
 * runs, `running` holds what kills its process group (LocalTransport.close).
 */
function runLocalRaw(command: Command, options: RunOptions, limit: number, running?: Set<() => void>): Promise<RawLocalResult> {
  const started = performance.now();
  const become = options.become;
  if (become !== undefined && becomeNeedsTerminal(become)) {
    return Promise.reject(
      new CommandFailedError(`${become.method} with a password needs a terminal, which the local connection does not give: ${command.display}`, {
        fix: 'use become_method: sudo on the local connection, or a rule that needs no password',
      }),
    );
  }
  let plan = become === undefined ? undefined : becomeCommand(command, become, options.stdin);
  let text = plan === undefined ? command.text : plan.command.text;
  let stdin = plan === undefined ? options.stdin : plan.stdin;
  // Too long for one exec argument: the script goes on stdin (long-command.ts), as over ssh.
  if (tooLongForCommandLine(text)) {
    if (options.stdin !== undefined) return Promise.reject(longCommandRefused(text, command, 'that also reads stdin'));
    plan = become === undefined ? undefined : becomeCommand({ text: SCRIPT_FROM_STDIN, display: command.display }, become, command.text);
    text = plan === undefined ? SCRIPT_FROM_STDIN : plan.command.text;
    stdin = plan === undefined ? command.text : plan.stdin;
  }
  const display = become === undefined ? command.display : `${become.method} -u ${become.user ?? 'root'} ${command.display}`;
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout kills everything the command started, not just sh.
    const child = spawn('/bin/sh', ['-c', text], { env: { ...process.env, LC_ALL: 'C' }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const orphanGuard = guardAgainstOrphaning(child.pid);
    const output = new CommandOutput(options, limit, plan?.exchange, { write: (data) => child.stdin.write(data), end: () => child.stdin.end() });
    let timedOut = false;
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    running?.add(killGroup);
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killGroup();
          }, options.timeoutMs);
    child.stdout.on('data', output.onData('stdout'));
    child.stderr.on('data', output.onData('stderr'));
    child.on('error', (error) => {
      orphanGuard?.released();
      running?.delete(killGroup);
      if (timer) clearTimeout(timer);
      reject(new CommandFailedError(`cannot start /bin/sh: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      orphanGuard?.released();
      running?.delete(killGroup);
      if (timer) clearTimeout(timer);
      output.keepUnauthenticated();
      const { after, ...chunks } = output.finish();
      const bytesOf = (stream: 'stdout' | 'stderr'): Buffer =>
        chunks[stream].dropped > 0 ? Buffer.concat([chunks[stream].bytes(), Buffer.from(truncationNote(chunks[stream].dropped, limit))]) : chunks[stream].bytes();
      resolve({
        command: display,
        exitCode: code ?? (signal ? signalExit(signal) : 1),
        stdout: bytesOf('stdout'),
        stderr: bytesOf('stderr'),
        durationMs: performance.now() - started,
        ...(timedOut ? { timedOut: true } : {}),
        ...(after === undefined ? {} : { after }),
      });
    });
    child.stdin.on('error', () => undefined);
    if (plan?.exchange === undefined) child.stdin.end(stdin ?? '');
  });
}

/** A transport for the controller itself. */
export class LocalTransport implements Transport {
  /** Kills the process group of each command still running. */
  private readonly running = new Set<() => void>();

  constructor(readonly host: string = 'localhost') {}

  async run(command: Command, options: RunOptions = {}): Promise<CommandResult> {
    const raw = await runLocalRaw(command, options, OUTPUT_LIMIT_BYTES, this.running);
    return { ...raw, stdout: raw.stdout.toString('utf8'), stderr: raw.stderr.toString('utf8') };
  }

  async put(path: string, content: string | Buffer, options: PutOptions = {}): Promise<void> {
    const result = await this.run(installFileCommand(putInstallFile(path, content, options)), { stdin: content, ...(options.become === undefined ? {} : { become: options.become }) });
    if (result.exitCode !== 0) {
      throw new CommandFailedError(`install ${path} failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`, { host: this.host, result });
    }
  }

  async get(path: string, options: { readonly become?: BecomeSpec } = {}): Promise<Buffer | undefined> {
    if (options.become !== undefined) return getAs(path, options.become, this.host);
    try {
      return await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new CommandFailedError(`cannot read ${path}: ${(error as Error).message}`, { host: this.host, cause: error });
    }
  }

  /**
   * Leaving (the run's end, Ctrl-C after its grace): each command runs in a process group of its
   * own (so the terminal's Ctrl-C does not reach it), and nothing started here may run on
   * unattended, so every group still running is killed. One started through sudo as root cannot
   * be killed by a controller that is not root (sudo does not pass SIGKILL on).
   */
  async close(): Promise<void> {
    for (const kill of [...this.running]) kill();
    this.running.clear();
  }
}

/** Exit status of the become read for "no such file" (cat's own failures exit 1), as over ssh. */
const GET_MISSING_EXIT = 97;

/** Reads a file as the become user. */
async function getAs(path: string, become: BecomeSpec, host: string): Promise<Buffer | undefined> {
  const result = await runLocalRaw(sh`test -e ${path} || exit ${GET_MISSING_EXIT}; exec cat -- ${path}`, { become }, Number.POSITIVE_INFINITY);
  if (result.exitCode === GET_MISSING_EXIT) return undefined;
  if (result.exitCode !== 0) throw new CommandFailedError(`cannot read ${path} as ${become.user ?? 'root'}: ${result.stderr.toString('utf8').trim()}`, { host });
  return result.stdout;
}
