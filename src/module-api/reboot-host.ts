// Rebooting a host and knowing it really rebooted: record kern.boottime, send the reboot
// detached so the channel closes cleanly, wait for SSH to come back, and succeed only once
// kern.boottime has changed (docs/freebsd/host.md) and an optional test command passes. The one
// mechanism behind the reboot module, pptdev and kernel_patch.
import { setTimeout as sleep } from 'node:timers/promises';
import { sh, userShell, type Command } from '../command/command.js';
import { CommandFailedError, UnreachableError } from '../errors.js';
import { boottimeFact } from '../facts/boottime.js';
import type { ApplyContext } from './module.js';
import { exitedText } from '../text/exit-text.js';

/** What the waiting loop needs from the clock, so tests can drive it without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = { now: () => Date.now(), sleep: (ms) => sleep(ms) };

/**
 * `command` run detached after `delaySeconds` (nohup, every descriptor redirected), so the
 * channel that sends it closes at once and cleanly instead of being cut by the shutdown.
 */
export function detachedReboot(command: Command, delaySeconds: number): Command {
  const inner = sh`sleep ${delaySeconds}; ${command}`;
  return sh`nohup /bin/sh -c ${inner.text} >/dev/null 2>&1 </dev/null &`;
}

export interface RebootOptions {
  /** Give up when the host has not come back rebooted after this long. */
  readonly rebootTimeoutMs: number;
  /** The whole command that reboots, already detached; default `shutdown -r now` after a second. */
  readonly sendCommand?: Command;
  /** kern.boottime before the reboot, when the caller has read it already. */
  readonly before?: number;
  /** Wait this long once the host is back, before the test command. */
  readonly postRebootDelayMs?: number;
  /** A command that must succeed on the rebooted host (the reboot module's test_command). */
  readonly testCommand?: string;
  /** What to say while waiting. */
  readonly reason?: string;
  readonly clock?: Clock;
}

export interface RebootResult {
  /** kern.boottime before and after, in seconds since the epoch (microseconds as the fraction). */
  readonly before: number;
  readonly after: number;
  readonly elapsedMs: number;
}

async function readBoottime(context: ApplyContext): Promise<number | undefined> {
  context.invalidateFacts();
  const [boottime] = await context.facts(boottimeFact);
  return boottime;
}

/**
 * Reboot and wait. Throws CommandFailedError when the reboot command itself fails, and
 * UnreachableError when the host does not come back rebooted within the timeout (the message
 * says what was seen last) or comes back with a changed host key (at once); the caller reports
 * that host failed, and the others go on.
 */
export async function rebootHost(context: ApplyContext, options: RebootOptions): Promise<RebootResult> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  const deadline = started + options.rebootTimeoutMs;
  const before = options.before ?? (await readBoottime(context));
  if (before === undefined) {
    throw new UnreachableError('protocol', 'cannot read kern.boottime before rebooting (sysctl -n kern.boottime)', { host: context.host });
  }
  const sent = await context.run(options.sendCommand ?? detachedReboot(sh`shutdown -r now`, 1));
  if (sent.exitCode !== 0) {
    throw new CommandFailedError(exitedText(sent.command, sent), { host: context.host });
  }
  context.progress(`rebooting${options.reason ? ` (${options.reason})` : ''}`);
  let last = 'the host did not go down';
  for (;;) {
    const left = deadline - clock.now();
    if (left <= 0) break;
    context.progress(`waiting for the host to come back (${Math.round((clock.now() - started) / 1000)} s)`);
    try {
      await context.waitForConnection({ timeoutMs: left, delayMs: 1000 });
      const after = await readBoottime(context);
      if (after !== undefined && after !== before) {
        if (options.testCommand === undefined) return { before, after, elapsedMs: clock.now() - started };
        context.progress('back up; running the test command');
        if ((options.postRebootDelayMs ?? 0) > 0) await clock.sleep(options.postRebootDelayMs ?? 0);
        const test = await context.run(userShell(options.testCommand));
        if (test.exitCode === 0) return { before, after, elapsedMs: clock.now() - started };
        last = exitedText(`test_command '${options.testCommand}'`, test);
      } else {
        last = `kern.boottime is still ${before}: the host has not rebooted yet`;
      }
    } catch (error) {
      // A changed host key is refused at once, with ssh's own words, not after the timeout; so is
      // a host lock another run took while the host was down.
      if (!(error instanceof UnreachableError) || error.reason === 'host-key-changed' || error.reason === 'host-locked') throw error;
      last = error.message;
    }
    await clock.sleep(Math.min(1000, Math.max(0, deadline - clock.now())));
  }
  throw new UnreachableError('timeout', `the host did not come back rebooted within ${Math.round(options.rebootTimeoutMs / 1000)} s: ${last}`, {
    host: context.host,
    fix: 'look at its console; a kernel booted once with nextboot falls back to the old one at the next power cycle (on UFS and on 13.0+ ZFS; a 12.x loader cannot reset /boot/nextboot.conf on ZFS, so there the same kernel boots again)',
  });
}
