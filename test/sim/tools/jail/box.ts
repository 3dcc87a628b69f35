// Runs a scenario of shell steps on a throwaway simulated host (sandbox.sh: one mount
// namespace over a profile layer, host and jail tools at /usr/local/freebsd) and collects what
// each step printed. Jails live only as long as the namespace, so a scenario is one sandbox call.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';

const run = promisify(execFile);
const SANDBOX = join(import.meta.dirname, 'sandbox.sh');

/** What one step printed and how it exited. */
export interface StepResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** One named step: a shell command run on the simulated host. */
export interface Step {
  readonly name: string;
  readonly command: string;
}

/** A sandboxed host kept across scenarios (its upper dirs persist; mounts do not). */
export interface Box {
  readonly dir: string;
  /** Runs the steps in order in one namespace; returns each step's result by name. */
  scenario(steps: readonly Step[]): Promise<Record<string, StepResult>>;
  remove(): Promise<void>;
}

/** Builds the shell text: every step's stdout, stderr and status go to files under OUT. */
function render(steps: readonly Step[], out: string): string {
  const lines = steps.map(
    (step, index) =>
      `( ${step.command}\n) >'${out}/${index}.out' 2>'${out}/${index}.err' </dev/null; echo $? >'${out}/${index}.rc'`,
  );
  return lines.join('\n');
}

/** A new box for PROFILE (seed, current, novtx, bare). */
export async function makeBox(profile: string): Promise<Box> {
  const dir = await mkdtemp(join(tmpdir(), 'beastie-jailbox-'));
  let runs = 0;
  return {
    dir,
    async scenario(steps) {
      const out = join(dir, `out${runs++}`);
      await run('mkdir', ['-p', out]);
      await run(SANDBOX, [join(dir, 'box'), profile, render(steps, out)], { maxBuffer: 1 << 24 });
      const results: Record<string, StepResult> = {};
      for (const [index, step] of steps.entries()) {
        const [stdout, stderr, rc] = await Promise.all(
          ['out', 'err', 'rc'].map((ext) => readFile(join(out, `${index}.${ext}`), 'utf8')),
        );
        results[step.name] = { stdout: stdout ?? '', stderr: stderr ?? '', code: Number((rc ?? '').trim()) };
      }
      return results;
    },
    async remove() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A box of PROFILE for the enclosing describe block: made and `steps` run in it in beforeAll
 * (within `timeoutMs`), removed in afterAll. The record it returns holds each step's result by
 * name once beforeAll has run.
 */
export function scenarioBox(profile: string, steps: readonly Step[], timeoutMs: number): Readonly<Record<string, StepResult>> {
  const results: Record<string, StepResult> = {};
  let box: Box | undefined;
  beforeAll(async () => {
    box = await makeBox(profile);
    Object.assign(results, await box.scenario(steps));
  }, timeoutMs);
  afterAll(async () => box?.remove());
  return results;
}

/** Shorthand for a step. */
export function step(name: string, command: string): Step {
  return { name, command };
}
