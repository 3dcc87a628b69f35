// async/poll: the job runs detached on the host, so it survives the SSH connection dropping under
// it and the controller being killed; the next run attaches to it instead of starting it again.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hostPaths } from '../../../sim/infra/fleet-layout.js';
import { EXIT_OK } from '../../../src/errors.js';
import { runBeastie, taskResults, type CliRun } from '../../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../../helpers/fleet.js';
import { waitFor } from '../../helpers/wait-for.js';
import { hostFile, hostProcesses } from './fault-fleet.js';

const explain = (run: CliRun) => `exit ${run.exitCode}\n${run.stderr}\n${run.stdout.slice(-4000)}`;
const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'beastie.js');

describe('async/poll', () => {
  let fleet: TestFleet;
  const args = (...extra: string[]) => ['play', 'test/e2e/faults/fixtures/async.yml', '-i', fleet.inventory, '--json', '--retry-file', join(fleet.dir, 'async.retry'), ...extra];

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 1, profile: 'current' });
  }, 300_000);
  beforeEach(async () => {
    expect((await fleet.ssh('sim01', 'rm -f /etc/async-starts /etc/async-done /etc/async-after /etc/async-release')).exitCode).toBe(0);
  });
  afterAll(async () => {
    await fleet?.down();
  });
  /** Let the job go on past its wait (test/e2e/faults/fixtures/async.yml). */
  const release = async () => expect((await fleet.ssh('sim01', 'touch /etc/async-release')).exitCode).toBe(0);

  it('survives the connection dropping under it: polling reconnects, the job finishes once', async () => {
    const running = runBeastie(args(), { timeoutMs: 120_000 });
    await waitFor('the job to start', async () => (await hostFile(fleet, 'sim01', '/etc/async-starts')) !== undefined, { timeoutMs: 60_000 });
    // Kill the SSH sessions (not the listener, not the job): the connection drops mid-poll.
    const listener = Number((await readFile(hostPaths(fleet.dir, 'sim01').sshdPid, 'utf8')).trim());
    const sessions = (await hostProcesses(fleet, 'sim01', 'sshd')).length;
    expect(sessions).toBeGreaterThan(1);
    const killed = spawn('/bin/sh', ['-c', `for p in $(pgrep -x sshd); do [ "$p" = ${listener} ] && continue; [ "$(readlink /proc/$p/ns/mnt)" = "$(readlink /proc/${listener}/ns/mnt)" ] && kill -KILL $p; done; true`]);
    await new Promise((resolve) => killed.on('close', resolve));
    await release();
    const run = await running;
    expect(run.exitCode, explain(run)).toBe(EXIT_OK);
    const result = taskResults(run, 'sim01').find((e) => e['task'] === 'long job');
    expect(result).toMatchObject({ status: 'changed', rc: 0 });
    expect(String(result?.['stdout'])).toBe('step 1\nstep 2\nstep 3\nstep 4\nstep 5\nstep 6');
    // Whether the loss shows as an error of a poll or as a reconnect before the next one depends on
    // when ssh2 notices it; either way the job was neither lost nor started twice.
    expect(await hostFile(fleet, 'sim01', '/etc/async-starts')).toBe('started\n');
    expect(await hostFile(fleet, 'sim01', '/etc/async-done')).toBe('finished\n');
    expect(await hostFile(fleet, 'sim01', '/etc/async-after')).toBe('after\n');
  }, 120_000);

  it('survives the controller being killed: the next run attaches to the running job', async () => {
    const first = spawn(process.execPath, [bin, ...args()], { cwd: join(import.meta.dirname, '..', '..', '..'), stdio: 'ignore' });
    await waitFor('the job to start', async () => (await hostFile(fleet, 'sim01', '/etc/async-starts')) !== undefined, { timeoutMs: 60_000 });
    first.kill('SIGKILL');
    await new Promise((resolve) => first.on('close', resolve));
    // The job waits for its release, so it still runs however long the second run takes to reach it.
    let seen = '';
    const running = runBeastie(args('--break-stale-locks'), { timeoutMs: 120_000, onStdout: (soFar) => (seen = soFar) });
    try {
      await waitFor('the second run to attach to the running job', () => seen.includes('attached to the detached job still running'), { timeoutMs: 100_000 });
    } finally {
      await release();
    }
    const run = await running;
    expect(run.exitCode, explain(run)).toBe(EXIT_OK);
    expect(await hostFile(fleet, 'sim01', '/etc/async-starts')).toBe('started\n');
    expect(await hostFile(fleet, 'sim01', '/etc/async-done')).toBe('finished\n');
    expect(await hostFile(fleet, 'sim01', '/etc/async-after')).toBe('after\n');
  }, 120_000);
});
