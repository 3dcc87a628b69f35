// serial: [1, "25%"] on 20 hosts: a failed canary leaves the 19 other hosts untouched (no file,
// no module, no lock), the events and the retry file say which hosts were never touched; a
// failure in a later batch stops the play after that batch (max_fail_percentage: 0).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_TASK_FAILED } from '../../../src/errors.js';
import { recapOf, runBeastie, taskResults, type CliRun } from '../../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../../helpers/fleet.js';
import { hostFile, hostLock, moduleLoaded } from './fault-fleet.js';

const HOSTS = Array.from({ length: 20 }, (_, i) => `sim${String(i + 1).padStart(2, '0')}`);
const explain = (run: CliRun) => `exit ${run.exitCode}\n${run.stderr}\n${run.stdout.slice(-4000)}`;

describe('canary rollout on 20 hosts', () => {
  let fleet: TestFleet;
  let work: string;
  const retryFile = () => join(work, 'canary.retry');
  const play = (playbook: string, badHosts: readonly string[]) =>
    runBeastie(['play', `test/e2e/faults/fixtures/${playbook}`, '-i', fleet.inventory, '--json', '--retry-file', retryFile(), '-e', JSON.stringify({ bad_hosts: badHosts })], {
      timeoutMs: 300_000,
    });

  /** What a host looks like: untouched, or how far the rollout got on it. */
  async function stateOf(host: string): Promise<string> {
    const conf = await hostFile(fleet, host, '/etc/rollout.conf');
    const done = await hostFile(fleet, host, '/etc/rollout-done');
    const nmdm = await moduleLoaded(fleet, host, 'nmdm');
    const lock = await hostLock(fleet, host);
    if (lock !== undefined) return 'locked';
    if (conf === undefined && done === undefined && !nmdm) return 'untouched';
    if (conf === 'v2\n' && done === 'done\n' && nmdm) return 'done';
    if (conf === 'v2\n' && done === undefined && nmdm) return 'stopped at the health check';
    return `inconsistent: conf=${JSON.stringify(conf)} done=${JSON.stringify(done)} nmdm=${nmdm}`;
  }
  const states = async () => Object.fromEntries(await Promise.all(HOSTS.map(async (host) => [host, await stateOf(host)] as const)));

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'beastie-canary-'));
    fleet = await startFleet({ hosts: 20, profile: 'bare' });
  }, 600_000);
  beforeEach(async () => {
    await Promise.all(
      HOSTS.map(async (host) => {
        const reset = await fleet.ssh(host, 'rm -f /etc/rollout.conf /etc/rollout-done; kldunload nmdm 2>/dev/null; true');
        expect(reset.exitCode, reset.stderr).toBe(0);
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await fleet?.down();
    if (work) await rm(work, { recursive: true, force: true });
  });

  for (const playbook of ['canary.yml', 'canary-no-budget.yml']) {
    it(`${playbook}: the canary fails, nothing else is touched`, async () => {
      const run = await play(playbook, ['sim01']);
      expect(run.exitCode, explain(run)).toBe(EXIT_TASK_FAILED);
      expect(await states()).toEqual({ ...Object.fromEntries(HOSTS.map((h) => [h, 'untouched'])), sim01: 'stopped at the health check' });
      expect(run.events.filter((e) => e.event === 'batch_start')).toEqual([{ event: 'batch_start', play: 'canary rollout', batch: 1, hosts: ['sim01'] }]);
      expect(new Set(taskResults(run).map((e) => e['host']))).toEqual(new Set(['sim01']));
      expect(taskResults(run, 'sim01').find((e) => e['status'] === 'failed')).toMatchObject({ task: 'health check', msg: 'health check failed on sim01' });
      expect(run.events.find((e) => e.event === 'play_end')?.['untouched']).toEqual(HOSTS.slice(1));
      const recap = recapOf(run);
      expect(recap['sim01']?.failed).toBe(1);
      for (const host of HOSTS.slice(1)) expect(recap[host], host).toEqual({ ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 });
      expect((await readFile(retryFile(), 'utf8')).trim().split('\n')).toEqual(HOSTS);
    }, 300_000);
  }

  it('the canary passes, a host of the 25% batch fails: the play stops at that task, as Ansible does', async () => {
    const run = await play('canary.yml', ['sim04']);
    expect(run.exitCode, explain(run)).toBe(EXIT_TASK_FAILED);
    const batches = run.events.filter((e) => e.event === 'batch_start').map((e) => e['hosts']);
    expect(batches).toEqual([['sim01'], ['sim02', 'sim03', 'sim04', 'sim05', 'sim06']]);
    const expected = Object.fromEntries(HOSTS.map((h) => [h, 'untouched']));
    expected['sim01'] = 'done';
    // max_fail_percentage breaks the play after the failing task: the whole batch stops there.
    for (const host of ['sim02', 'sim03', 'sim04', 'sim05', 'sim06']) expected[host] = 'stopped at the health check';
    expect(await states()).toEqual(expected);
    expect(run.events.find((e) => e.event === 'play_end')?.['untouched']).toEqual(HOSTS.slice(6));
    expect(recapOf(run)['sim04']?.failed).toBe(1);
    expect(recapOf(run)['sim05']?.failed).toBe(0);
    expect(run.events.find((e) => e.event === 'play_end')?.['unfinished']).toEqual(['sim02', 'sim03', 'sim05', 'sim06']);
    expect((await readFile(retryFile(), 'utf8')).trim().split('\n')).toEqual(['sim04', 'sim02', 'sim03', 'sim05', 'sim06', ...HOSTS.slice(6)]);
  }, 300_000);
});
