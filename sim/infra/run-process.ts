// Runs a local process to completion and reports it the same way whether it succeeded or not
// (command, exit code, stdout, stderr, duration), as execa does.
import { spawn } from 'node:child_process';
import { SimError } from './sim-error.js';

/** The outcome of one finished process; `exitCode` is null when a signal ended it. */
export interface ProcessResult {
  readonly command: readonly string[];
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

/** How to run it: a clean environment by default, and a deadline after which it is killed. */
export interface RunOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly host?: string;
}

/** The `host` of an error's context, left out when the options name none. */
function hostOf(options: RunOptions): { readonly host?: string } {
  return options.host === undefined ? {} : { host: options.host };
}

/** The environment sim processes start with: nothing inherited but a plain PATH (and TZ). */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };
  if (process.env['TZ'] !== undefined) env['TZ'] = process.env['TZ'];
  return { ...env, ...extra };
}

/** Run `argv` and resolve with its result, whatever its exit code; rejects only if it cannot start. */
export function runProcess(argv: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new SimError('empty command', hostOf(options));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: options.env ?? cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer =
      options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(new SimError(`cannot start ${file}: ${error.message}`, { ...hostOf(options), command: argv, cause: error }));
    });
    child.on('close', (exitCode, signal) => {
      if (timer) clearTimeout(timer);
      resolve({
        command: argv,
        exitCode,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs: Date.now() - started,
      });
    });
  });
}

/** Run `argv` and reject with a {@link SimError} naming the host, command, exit code and stderr unless it exits 0. */
export async function runChecked(argv: readonly string[], what: string, options: RunOptions = {}): Promise<ProcessResult> {
  const result = await runProcess(argv, options);
  if (result.exitCode !== 0) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited ${String(result.exitCode)}`;
    throw new SimError(`${what}: ${argv[0] ?? ''} ${how}`, {
      ...hostOf(options),
      command: argv,
      exitCode: result.exitCode,
      stderr: result.stderr || result.stdout,
    });
  }
  return result;
}
