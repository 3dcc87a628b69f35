// sshd of one host killed before the run, in the middle of a task, and in the middle of a file
// upload: that host is unreachable, the others finish, no file on it is half-written, the recap,
// the exit code and the retry file say so, and `--limit @RETRY` after a power cycle finishes it.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_UNREACHABLE } from '../../../src/errors.js';
import { recapOf, runBeastie, taskResults, type CliRun } from '../../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../../helpers/fleet.js';
import { waitFor } from '../../helpers/wait-for.js';
import { hostDir, hostFile, hostLock, hostProcesses, killSshd, moduleLoaded, powerCycle } from './fault-fleet.js';
import { TEMP_DIR_PREFIX } from '../../../src/transport/install-file.js';

const PLAYBOOK = 'test/e2e/faults/fixtures/rollout.yml';
const HOSTS = ['sim01', 'sim02', 'sim03'];
const explain = (run: CliRun) => `exit ${run.exitCode}\n${run.stderr}\n${run.stdout.slice(-4000)}`;

describe('sshd of one host killed', () => {
  let fleet: TestFleet;
  let work: string;
  const retryFile = () => join(work, 'rollout.retry');
  const play = (...extra: string[]) =>
    runBeastie(['play', PLAYBOOK, '-i', fleet.inventory, '--json', '--retry-file', retryFile(), '--log-file', join(work, 'run.log'), ...extra], { timeoutMs: 300_000 });

  /** Every host but `broken` finished; `broken` has neither the final marker nor a temp file. */
  async function expectOthersFinished(broken: string): Promise<void> {
    for (const host of HOSTS.filter((h) => h !== broken)) {
      expect(await hostFile(fleet, host, '/etc/rollout-done'), host).toBe('done\n');
      expect(await moduleLoaded(fleet, host, 'nmdm'), host).toBe(true);
      expect(await hostLock(fleet, host), `${host} lock released`).toBeUndefined();
    }
    expect(await hostFile(fleet, broken, '/etc/rollout-done')).toBeUndefined();
  }

  /** The unreachable host's recap, events and retry file; then a power cycle and the retry run finish it. */
  async function expectRetryFinishes(run: CliRun, broken: string, extra: readonly string[] = []): Promise<CliRun> {
    expect(run.exitCode, explain(run)).toBe(EXIT_UNREACHABLE);
    const recap = recapOf(run);
    expect(recap[broken]?.unreachable).toBe(1);
    for (const host of HOSTS.filter((h) => h !== broken)) expect(recap[host], host).toMatchObject({ failed: 0, unreachable: 0 });
    const event = run.events.find((e) => e.event === 'host_unreachable');
    expect(event).toMatchObject({ host: broken });
    expect(String(event?.['msg'])).toMatch(/refused|connection lost|connection-lost/);
    expect(await readFile(retryFile(), 'utf8')).toBe(`${broken}\n`);
    expect(run.events.some((e) => e.event === 'warning' && String(e['msg']).includes(`--limit @`))).toBe(true);
    await powerCycle(fleet, broken);
    const retry = await play('--limit', `@${retryFile()}`, ...extra);
    expect(retry.exitCode, explain(retry)).toBe(EXIT_OK);
    expect(Object.keys(recapOf(retry))).toEqual([broken]);
    expect(await hostFile(fleet, broken, '/etc/rollout-done')).toBe('done\n');
    expect(await moduleLoaded(fleet, broken, 'nmdm')).toBe(true);
    await expect(readFile(retryFile(), 'utf8')).rejects.toThrow(/ENOENT/);
    return retry;
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'beastie-faults-'));
    fleet = await startFleet({ hosts: 3, profile: 'current' });
  }, 300_000);
  beforeEach(async () => {
    // Each case starts from hosts without the rollout: no markers, nmdm unloaded.
    for (const host of HOSTS) {
      const reset = await fleet.ssh(host, 'rm -f /etc/rollout-stage /etc/rollout-done; kldunload nmdm 2>/dev/null; true');
      expect(reset.exitCode, reset.stderr).toBe(0);
    }
  });
  afterAll(async () => {
    await fleet?.down();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('before the run: unreachable at its first contact, the others finish, the retry run finishes it', async () => {
    await killSshd(fleet, 'sim02');
    const run = await play();
    const results = taskResults(run, 'sim02');
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'unreachable', task: 'take the host lock (/var/run/beastie.lock)' });
    await expectOthersFinished('sim02');
    expect(await hostFile(fleet, 'sim02', '/etc/rollout-stage')).toBeUndefined();
    expect(await moduleLoaded(fleet, 'sim02', 'nmdm')).toBe(false);
    await expectRetryFinishes(run, 'sim02');
  }, 300_000);

  it('mid-task: unreachable in the task it was running, the later tasks never ran on it', async () => {
    const running = play('-e', '{"slow_seconds": 10}');
    // Kill sshd once the slow step's sleep runs on sim03 (10 s: the window the poll must hit).
    await waitFor('sim03 to run the slow step', async () => (await hostProcesses(fleet, 'sim03', 'sleep 10')).length > 0, { timeoutMs: 60_000 });
    await killSshd(fleet, 'sim03');
    const run = await running;
    const failedTask = taskResults(run, 'sim03').find((e) => e['status'] === 'unreachable');
    expect(failedTask?.['task'], explain(run)).toBe('slow step');
    expect(taskResults(run, 'sim03').some((e) => e['task'] === 'done marker')).toBe(false);
    await expectOthersFinished('sim03');
    // The run could not release the lock of the host it lost, but the power cycle's boot emptied
    // /var/run (rc.d/cleanvar, docs/freebsd/host.md): the retry has no stale lock to take over.
    const retry = await expectRetryFinishes(run, 'sim03');
    expect(retry.events.some((e) => e.event === 'warning' && e['host'] === 'sim03' && /stale host lock/.test(String(e['msg'])))).toBe(false);
  }, 300_000);

  it('mid-upload: the old file stays whole, the retry run replaces it', async () => {
    const big = join(work, 'big.bin');
    const content = Buffer.alloc(48 * 1024 * 1024, 'beastie ');
    await writeFile(big, content);
    const digest = createHash('sha256').update(content).digest('hex');
    const old = await fleet.ssh('sim01', 'printf "old\\n" > /usr/local/etc/big.bin');
    expect(old.exitCode).toBe(0);
    const running = play('-e', JSON.stringify({ big_src: big }));
    await waitFor('the upload to sim01 to start', async () => (await hostDir(fleet, 'sim01', '/usr/local/etc')).some((name) => name.startsWith(TEMP_DIR_PREFIX)), { timeoutMs: 120_000, intervalMs: 10 });
    await killSshd(fleet, 'sim01');
    const run = await running;
    expect(taskResults(run, 'sim01').find((e) => e['status'] === 'unreachable')?.['task'], explain(run)).toBe('big file');
    expect(await hostFile(fleet, 'sim01', '/usr/local/etc/big.bin')).toBe('old\n');
    await expectOthersFinished('sim01');
    for (const host of ['sim02', 'sim03']) {
      const sum = await fleet.ssh(host, 'sha256sum /usr/local/etc/big.bin');
      expect(sum.stdout.split(' ')[0], host).toBe(digest);
    }
    await expectRetryFinishes(run, 'sim01', ['-e', JSON.stringify({ big_src: big })]);
    const sum = await fleet.ssh('sim01', 'sha256sum /usr/local/etc/big.bin');
    expect(sum.stdout.split(' ')[0]).toBe(digest);
  }, 300_000);
});
