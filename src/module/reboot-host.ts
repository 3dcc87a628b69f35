// Rebooting a host and knowing it really rebooted: record kern.boottime, send the reboot
// detached so the channel closes cleanly, wait for SSH to come back, and succeed only once
// kern.boottime has changed (REFERENCE §1.3). Used by the reboot module, pptdev and kernel_patch.
import { setTimeout as sleep } from 'node:timers/promises';
import { sh, type Command } from '../command/command.js';
import { boottimeFact } from '../facts/boottime.js';
import { UnreachableError } from '../errors.js';
import type { ApplyContext } from './module.js';

export interface RebootOptions {
  /** Give up when the host has not come back with a new boottime after this long. */
  readonly rebootTimeoutMs: number;
  /** The first reconnection attempt waits this long after the reboot was sent. */
  readonly postRebootDelayMs?: number;
  /** The command that reboots; default `shutdown -r now`. */
  readonly rebootCommand?: Command;
  /** What to say while waiting. */
  readonly reason?: string;
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
 * Reboot and wait. Throws UnreachableError when the host does not come back with a new
 * kern.boottime within the timeout; the caller reports that host failed, the others go on.
 */
export async function rebootHost(context: ApplyContext, options: RebootOptions): Promise<RebootResult> {
  const started = Date.now();
  const before = await readBoottime(context);
  if (before === undefined) {
    throw new UnreachableError('protocol', 'cannot read kern.boottime before rebooting (sysctl -n kern.boottime)', { host: context.host });
  }
  const reboot = options.rebootCommand ?? sh`shutdown -r now`;
  context.progress(`rebooting${options.reason ? ` (${options.reason})` : ''}`);
  // Detached, after a second, so this channel closes cleanly before sshd goes away.
  await context.run(sh`nohup /bin/sh -c ${`sleep 1; ${reboot.text}`} >/dev/null 2>&1 &`);
  await sleep(options.postRebootDelayMs ?? 1500);
  for (;;) {
    const left = options.rebootTimeoutMs - (Date.now() - started);
    if (left <= 0) break;
    context.progress(`waiting for the host to come back (${Math.round((Date.now() - started) / 1000)} s)`);
    try {
      await context.waitForConnection({ timeoutMs: left, delayMs: 1000 });
    } catch (error) {
      // A changed host key is refused at once, with ssh's own words, not after the timeout.
      if (error instanceof UnreachableError && error.reason === 'host-key-changed') throw error;
      if (error instanceof UnreachableError) break;
      throw error;
    }
    const after = await readBoottime(context).catch(() => undefined);
    if (after !== undefined && after !== before) {
      context.invalidateFacts();
      return { before, after, elapsedMs: Date.now() - started };
    }
    // Still the old boot: the host has not gone down yet. Look again shortly.
    await sleep(1000);
  }
  throw new UnreachableError(
    'timeout',
    `the host did not come back with a new kern.boottime within ${Math.round(options.rebootTimeoutMs / 1000)} s of the reboot`,
    { host: context.host, fix: 'look at its console; a kernel booted once with nextboot falls back to the old one at the next power cycle' },
  );
}
