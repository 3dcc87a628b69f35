import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sh, type Command } from '../../src/command/command.js';
import { jobAt, startJobCommand } from '../../src/command/detached-job.js';
import { UnreachableError } from '../../src/errors.js';
import { awaitJob, type JobWait } from '../../src/transport/detached-transport.js';
import { LocalTransport } from '../../src/transport/local.js';
import type { CommandResult } from '../../src/transport/transport.js';
import { waitFor } from '../helpers/wait-for.js';

const paths = jobAt('/var/db/beastie/async/test');

/** A host whose status command answers from a script: a string is its stdout, an error is thrown. */
function scripted(answers: (string | Error)[], overrides: Partial<JobWait> = {}) {
  const log: string[] = [];
  const wait: JobWait = {
    async run(command: Command): Promise<CommandResult> {
      log.push(`run ${command.text.includes(paths.rc) ? 'status' : command.text}`);
      const answer = answers.shift() ?? 'running\n';
      if (answer instanceof Error) throw answer;
      return { command: command.display, exitCode: 0, stdout: answer, stderr: '', durationMs: 1 };
    },
    deadline: Date.now() + 60_000,
    pollMs: 1,
    firstCheckMs: 0,
    progress: (last) => log.push(`progress ${last}`),
    lost: (error) => log.push(`lost ${error.reason}`),
    reconnect: async (timeoutMs) => {
      log.push(`reconnect ${timeoutMs > 0 ? 'with time left' : 'late'}`);
    },
    ...overrides,
  };
  return { wait, log };
}

describe('awaitJob: the one polling loop of detached jobs', () => {
  it('reports progress with the log\'s last line until the job finishes, then its exit status', async () => {
    const { wait, log } = scripted(['running\n>>> stage 1\n', 'running\n  >>> stage 2  \n', 'finished 3\n>>> done\n']);
    expect(await awaitJob(paths, wait)).toEqual({ state: 'finished', exitCode: 3 });
    expect(log).toEqual(['run status', 'progress >>> stage 1', 'run status', 'progress >>> stage 2', 'run status']);
  });

  it('says gone when the job has neither an exit status nor a process (killed, rebooted)', async () => {
    const { wait } = scripted(['gone\n']);
    expect(await awaitJob(paths, wait)).toEqual({ state: 'gone' });
  });

  it('gives up at the deadline while the job still runs, and leaves the job alone', async () => {
    const { wait, log } = scripted(['running\nbusy\n'], { deadline: Date.now() - 1 });
    expect(await awaitJob(paths, wait)).toEqual({ state: 'timeout' });
    expect(log).toEqual(['run status']);
  });

  it('waits out a dropped connection and checks again at once', async () => {
    const { wait, log } = scripted([new UnreachableError('refused', 'connection refused'), 'finished 0\n']);
    expect(await awaitJob(paths, wait)).toEqual({ state: 'finished', exitCode: 0 });
    expect(log).toEqual(['run status', 'lost refused', 'reconnect with time left', 'run status']);
  });

  it('lets a dropped connection after the deadline, and any other error, through', async () => {
    const late = scripted([new UnreachableError('refused', 'connection refused')], { deadline: Date.now() - 1 });
    await expect(awaitJob(paths, late.wait)).rejects.toBeInstanceOf(UnreachableError);
    const broken = scripted([new Error('bug')]);
    await expect(awaitJob(paths, broken.wait)).rejects.toThrow('bug');
    expect(broken.log).not.toContain('lost refused');
  });
});

describe('startJobCommand on a real /bin/sh (the controller\'s)', () => {
  it('starts a job whose script is longer than one exec argument may be, and records its pid, log and exit status', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beastie-job-'));
    try {
      const job = jobAt(join(dir, 'job'));
      // Over 128 KiB (Linux's MAX_ARG_STRLEN): before, `nohup /bin/sh -c SCRIPT` failed with E2BIG.
      const patch = 'line of a patch with a quote \' and a ! mark\n'.repeat(3200);
      const started = await new LocalTransport().run(startJobCommand(job, sh`printf %s ${patch} | wc -c; exit 4`));
      expect(started).toMatchObject({ exitCode: 0, stdout: 'started\n' });
      const rc = await waitFor('the job to finish', () => readFile(job.rc, 'utf8').catch(() => undefined));
      expect(rc).toBe('4\n');
      expect((await readFile(job.log, 'utf8')).trim()).toBe(String(patch.length));
      expect(Number(await readFile(job.pid, 'utf8'))).toBeGreaterThan(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
