import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import reboot, { applyReboot, planReboot, rebootCommand, type Clock } from '../../modules/reboot.js';
import type { Command } from '../../src/command/command.js';
import { UnreachableError } from '../../src/errors.js';
import type { Fact } from '../../src/facts/fact.js';
import type { ApplyContext } from '../../src/module-api/module.js';
import { runLocalCommand } from '../../src/transport/local.js';
import type { CommandResult } from '../../src/transport/transport.js';
import { waitFor } from '../helpers/wait-for.js';

const params = (p: Record<string, unknown> = {}) => reboot.params.parse(p);

/** A host that reboots when asked: boot times read in order, connection drops as scripted. */
function fakeHost(script: { boottimes: (number | undefined)[]; drops?: number; testExit?: number[] }) {
  let time = 0;
  const clock: Clock = { now: () => time, sleep: async (ms) => void (time += ms) };
  const ran: string[] = [];
  const events: string[] = [];
  let drops = script.drops ?? 0;
  const testExit = [...(script.testExit ?? [0])];
  const result = (command: Command, exitCode = 0): CommandResult => ({ command: command.display, exitCode, stdout: '', stderr: exitCode === 0 ? '' : 'no', durationMs: 1 });
  const context: ApplyContext = {
    host: 'h',
    vars: {},
    put: async () => undefined,
    async facts<const F extends readonly Fact<unknown>[]>(...facts: F) {
      events.push('boottime');
      return facts.map(() => script.boottimes.shift()) as never;
    },
    async run(command) {
      ran.push(command.text);
      if (command.text.includes('shutdown')) return result(command);
      return result(command, testExit.shift() ?? 0);
    },
    async waitForConnection(options) {
      events.push(`wait ${options.timeoutMs}`);
      time += 2000;
      if (drops > 0) {
        drops--;
        throw new UnreachableError('refused', 'connection refused');
      }
    },
    invalidateFacts: () => void events.push('invalidate'),
    progress: () => undefined,
  };
  return { context, clock, ran, events, now: () => time };
}

describe('reboot plan', () => {
  it('is always a change, recording the boot time', () => {
    expect(planReboot(params(), { boottime: 1715699000.5 }).steps[0]).toMatchObject({ kind: 'change', summary: 'reboot', diff: { before: '1715699000\n' } });
    expect(planReboot(params(), { boottime: undefined }).failure).toMatch(/cannot read kern.boottime/);
  });

  it('detaches shutdown -r now after pre_reboot_delay, with msg as one word, and returns at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beastie-reboot-'));
    const saved = process.env['PATH'];
    try {
      await writeFile(join(dir, 'shutdown'), `#!/bin/sh\nprintf '%s|' "$@" > ${dir}/args\n`, { mode: 0o755 });
      process.env['PATH'] = `${dir}:${saved ?? ''}`;
      const command = rebootCommand(params({ pre_reboot_delay: 1, msg: "it's time" }));
      const started = Date.now();
      const result = await runLocalCommand(command);
      expect(result.exitCode).toBe(0);
      expect(Date.now() - started).toBeLessThan(900);
      const args = await waitFor('the detached shutdown to run', () => readFile(join(dir, 'args'), 'utf8').catch(() => undefined));
      expect(args).toBe("-r|now|it's time|");
    } finally {
      process.env['PATH'] = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('reboot apply', () => {
  it('waits while the host still answers with the old boot time, then succeeds on a new one', async () => {
    const host = fakeHost({ boottimes: [100, 100, 200], drops: 1 });
    const outcome = await applyReboot(host.context, params(), 100, host.clock);
    expect(outcome).toMatchObject({ changed: true, values: { rebooted: true } });
    expect(host.ran).toEqual([rebootCommand(params()).text, 'whoami']);
    // Old boot time twice (not down yet), a refused connection, then the new one.
    expect(host.events.filter((e) => e === 'boottime')).toHaveLength(3);
  });

  it('runs test_command after post_reboot_delay and retries it until it passes', async () => {
    const host = fakeHost({ boottimes: [200, 200], testExit: [1, 0] });
    const outcome = await applyReboot(host.context, params({ post_reboot_delay: 3, test_command: 'service sshd status' }), 100, host.clock);
    expect(outcome.changed).toBe(true);
    expect(outcome.failure).toBeUndefined();
    expect(host.ran.slice(1)).toEqual(['service sshd status', 'service sshd status']);
  });

  it('fails after reboot_timeout when the boot time never changes, saying so', async () => {
    const host = fakeHost({ boottimes: Array.from({ length: 100 }, () => 100) });
    const outcome = await applyReboot(host.context, params({ reboot_timeout: 30 }), 100, host.clock);
    expect(outcome.failure).toMatch(/did not come back rebooted within 30 s: kern.boottime is still 100/);
    expect(host.now()).toBeGreaterThanOrEqual(30_000);
  });

  it('fails at once when shutdown itself fails', async () => {
    const host = fakeHost({ boottimes: [] });
    host.context.run = async (command) => ({ command: command.display, exitCode: 1, stdout: '', stderr: 'shutdown: NOT super-user', durationMs: 1 });
    expect((await applyReboot(host.context, params(), 100, host.clock)).failure).toMatch(/NOT super-user/);
  });
});
