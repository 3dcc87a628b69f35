// Runs the real command line (`node bin/beastie.js …`) as a user would, and reads its --json events.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** One JSON Lines event from `beastie play --json`. */
export type JsonEvent = { readonly event: string } & Record<string, unknown>;

export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Parsed --json events (empty without --json). */
  readonly events: readonly JsonEvent[];
}

const bin = join(import.meta.dirname, '..', '..', 'bin', 'beastie.js');

export interface RunOptions {
  readonly timeoutMs?: number;
  readonly cwd?: string;
  /** Called with all of stdout so far each time more arrives (to act while the run goes on). */
  readonly onStdout?: (soFar: string) => void;
}

/** Run beastie with `args`; resolves whatever the exit code. */
export function runBeastie(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd ?? join(import.meta.dirname, '..', '..'),
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(stdout);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const events = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as JsonEvent];
          } catch {
            return [];
          }
        });
      resolve({ exitCode: code ?? -1, stdout, stderr, events });
    });
  });
}

/** The recap event's per-host counts. */
export function recapOf(run: CliRun): Record<string, { ok: number; changed: number; failed: number; skipped: number; unreachable: number }> {
  const recap = run.events.find((e) => e.event === 'recap');
  if (!recap) throw new Error(`no recap event; exit ${run.exitCode}\nstderr:\n${run.stderr}\nstdout:\n${run.stdout.slice(-3000)}`);
  return recap['hosts'] as Record<string, { ok: number; changed: number; failed: number; skipped: number; unreachable: number }>;
}

/** task_result events, optionally of one host. */
export function taskResults(run: CliRun, host?: string): JsonEvent[] {
  return run.events.filter((e) => e.event === 'task_result' && (host === undefined || e['host'] === host));
}
