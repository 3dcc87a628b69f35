// Ctrl-C during a rollout: the running command finishes within --grace, nothing new starts, the
// recap is printed and the exit code is 130; a second Ctrl-C leaves at once.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_INTERRUPTED } from '../../../src/errors.js';
import type { JsonEvent } from '../../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../../helpers/fleet.js';
import { hostFile, hostLock } from './fault-fleet.js';

const HOSTS = ['sim01', 'sim02'];
const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'beastie.js');

/** Run beastie; `onEvent` may send signals to it. */
function runInterrupted(args: readonly string[], onEvent: (event: JsonEvent, kill: (signal: NodeJS.Signals) => void) => void) {
  return new Promise<{ exitCode: number; events: JsonEvent[]; stderr: string; sinceSignalMs: number }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: join(import.meta.dirname, '..', '..', '..'), env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const events: JsonEvent[] = [];
    let buffered = '';
    let stderr = '';
    let signalledAt = 0;
    const kill = (signal: NodeJS.Signals) => {
      signalledAt ||= Date.now();
      child.kill(signal);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines.filter((l) => l.startsWith('{'))) {
        const event = JSON.parse(line) as JsonEvent;
        events.push(event);
        onEvent(event, kill);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? -1, events, stderr, sinceSignalMs: Date.now() - signalledAt });
    });
  });
}

describe('Ctrl-C', () => {
  let fleet: TestFleet;
  let work: string;
  const args = () => ['play', 'test/e2e/faults/fixtures/rollout.yml', '-i', fleet.inventory, '--json', '--retry-file', join(work, 'rollout.retry'), '-e', '{"slow_seconds": 3}'];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'beastie-interrupt-'));
    fleet = await startFleet({ hosts: 2, profile: 'current' });
  }, 300_000);
  beforeEach(async () => {
    for (const host of HOSTS) expect((await fleet.ssh(host, 'rm -f /etc/rollout-stage /etc/rollout-done')).exitCode).toBe(0);
  });
  afterAll(async () => {
    await fleet?.down();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('once: the running command finishes, nothing new starts, recap and exit 130', async () => {
    const run = await runInterrupted([...args(), '--grace', '20'], (event, kill) => {
      if (event.event === 'task_start' && event['task'] === 'slow step') kill('SIGINT');
    });
    expect(run.exitCode, run.stderr).toBe(EXIT_INTERRUPTED);
    expect(String(run.events.find((e) => e.event === 'warning')?.['msg'])).toMatch(/^interrupted \(Ctrl-C\): no new task or batch starts; commands already running get 20 s to finish/);
    const slow = run.events.filter((e) => e.event === 'task_result' && e['task'] === 'slow step');
    expect(slow.map((e) => [e['host'], e['status']])).toEqual(expect.arrayContaining(HOSTS.map((h) => [h, 'changed'])));
    expect(run.events.some((e) => e.event === 'task_start' && e['task'] === 'done marker')).toBe(false);
    expect(run.events.at(-1)).toMatchObject({ event: 'recap', exitCode: EXIT_INTERRUPTED });
    expect(await readFile(join(work, 'rollout.retry'), 'utf8')).toBe('sim01\nsim02\n');
    for (const host of HOSTS) {
      expect(await hostFile(fleet, host, '/etc/rollout-stage'), host).toBe('stage 1\n');
      expect(await hostFile(fleet, host, '/etc/rollout-done'), host).toBeUndefined();
      expect(await hostLock(fleet, host), host).toBeUndefined();
    }
  }, 120_000);

  it('twice: leaves at once with 130, saying what may be left behind', async () => {
    const run = await runInterrupted([...args(), '--grace', '60'], (event, kill) => {
      // The second Ctrl-C once beastie has said it took the first (two signals sent at once may arrive as one).
      if (event.event === 'task_start' && event['task'] === 'slow step') kill('SIGINT');
      if (event.event === 'warning' && String(event['msg']).startsWith('interrupted (Ctrl-C)')) kill('SIGINT');
    });
    expect(run.exitCode).toBe(EXIT_INTERRUPTED);
    expect(run.sinceSignalMs).toBeLessThan(2_000);
    expect(run.stderr).toContain('beastie: aborted by a second Ctrl-C');
    for (const host of HOSTS) {
      expect(await hostFile(fleet, host, '/etc/rollout-done'), host).toBeUndefined();
      // The lock stays behind, naming a process that is gone: the next run reports it as stale.
      expect(await hostLock(fleet, host), host).toMatch(/^owner=/);
      await rm(join(fleet.dir, 'hosts', host, 'run', 'beastie.lock'));
    }
  }, 120_000);
});
