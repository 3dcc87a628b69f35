// The `local` connection: commands run on the controller through /bin/sh, files are written
// atomically beside their target. Used for `ansible_connection: local`, `delegate_to: localhost`
// and the module tests.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { sh, type Command } from '../command/command.js';
import type { CommandResult, PutOptions, RunOptions, Transport } from './transport.js';

/** Runs one /bin/sh command locally with LC_ALL=C; the same result shape as over SSH. */
export function runLocalCommand(command: Command, options: RunOptions = {}): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command.text], {
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onOutput?.('stdout', chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      options.onOutput?.('stderr', chunk);
    });
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({
        command: command.display,
        exitCode: code ?? (signal ? 128 + 9 : 1),
        stdout,
        stderr,
        durationMs: performance.now() - started,
        ...(timedOut ? { timedOut: true } : {}),
      });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

/** A transport for the controller itself. */
export class LocalTransport implements Transport {
  constructor(readonly host: string = 'localhost') {}

  run(command: Command, options: RunOptions = {}): Promise<CommandResult> {
    return runLocalCommand(command, options);
  }

  async put(path: string, content: string | Buffer, options: PutOptions = {}): Promise<void> {
    const temporary = join(dirname(path), `.${basename(path)}.beastie-${randomBytes(4).toString('hex')}`);
    try {
      await writeFile(temporary, content, { mode: options.mode ?? 0o644 });
      if (options.mode !== undefined) await chmod(temporary, options.mode);
      if (options.owner !== undefined || options.group !== undefined) {
        const owner = `${options.owner ?? ''}${options.group === undefined ? '' : `:${options.group}`}`;
        const result = await runLocalCommand(sh`chown ${owner} ${temporary}`);
        if (result.exitCode !== 0) throw new Error(`chown ${owner} ${path}: ${result.stderr.trim()}`);
      }
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(path: string): Promise<Buffer | undefined> {
    try {
      return await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async close(): Promise<void> {}
}
