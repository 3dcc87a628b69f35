// reboot: restart the host and wait until it is back — proven by a new kern.boottime, not by the
// connection alone (a host that never went down answers too). The one generic module that
// waits on the world, so it has its own apply.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { sh, userShell } from '../src/command/command.js';
import { UnreachableError } from '../src/errors.js';
import { boottimeFact } from '../src/facts/boottime.js';
import { defineModule, type ApplyContext, type ApplyOutcome, type Plan } from '../src/module/module.js';

const seconds = z.number().int().nonnegative();

const params = z.strictObject({
  reboot_timeout: seconds.default(600).describe('Seconds to wait for the host to come back with a new kern.boottime and pass test_command.'),
  connect_timeout: seconds
    .optional()
    .describe('Accepted for Ansible playbooks; the per-connection timeout comes from the host\'s connection settings (ansible_ssh_timeout).'),
  pre_reboot_delay: seconds.default(0).describe('Seconds the host waits before shutting down.'),
  post_reboot_delay: seconds.default(0).describe('Seconds to wait after the host is back, before test_command.'),
  msg: z.string().default('Reboot initiated by beastie').describe('Message shutdown(8) shows to logged-in users.'),
  test_command: z.string().default('whoami').describe('A shell command that must succeed on the rebooted host.'),
});

type Params = z.output<typeof params>;

/** kern.boottime before the reboot. */
export interface RebootFacts {
  readonly boottime: number | undefined;
}

/** A reboot is always a change; without a readable kern.boottime it cannot be proven, so it fails. */
export function planReboot(p: Params, facts: RebootFacts): Plan {
  if (facts.boottime === undefined) {
    return { steps: [], failure: 'cannot read kern.boottime (sysctl -n kern.boottime), so a reboot could not be confirmed' };
  }
  return {
    steps: [
      {
        kind: 'change',
        summary: 'reboot',
        actions: [{ kind: 'run', command: rebootCommand(p) }],
        diff: { header: 'kern.boottime', before: `${Math.floor(facts.boottime)}\n`, after: '(new boot)\n' },
      },
    ],
  };
}

/**
 * shutdown -r now, detached (nohup, every descriptor redirected) so the command's channel closes
 * at once and cleanly instead of being cut by the shutdown.
 */
export function rebootCommand(p: Params): ReturnType<typeof sh> {
  const inner = sh`sleep ${p.pre_reboot_delay}; shutdown -r now ${p.msg}`;
  return sh`nohup /bin/sh -c ${inner.text} >/dev/null 2>&1 </dev/null &`;
}

/** What the apply loop needs from the clock, so tests can drive it without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = { now: () => Date.now(), sleep: (ms) => sleep(ms) };

/** Reboot, then wait for a new kern.boottime and a passing test_command within reboot_timeout. */
export async function applyReboot(context: ApplyContext, p: Params, before: number, clock: Clock = realClock): Promise<ApplyOutcome> {
  const started = clock.now();
  const deadline = started + p.reboot_timeout * 1000;
  const result = await context.run(rebootCommand(p));
  if (result.exitCode !== 0) {
    return { changed: false, failure: `${result.command} exited ${result.exitCode}: ${result.stderr.trim() || result.stdout.trim()}` };
  }
  context.progress('rebooting');
  let last = 'the host did not go down';
  for (;;) {
    const left = deadline - clock.now();
    if (left <= 0) break;
    try {
      await context.waitForConnection({ timeoutMs: left, delayMs: 1000 });
      context.invalidateFacts();
      const [boottime] = await context.facts(boottimeFact);
      if (boottime !== undefined && boottime !== before) {
        context.progress('back up; running test_command');
        if (p.post_reboot_delay > 0) await clock.sleep(p.post_reboot_delay * 1000);
        const test = await context.run(userShell(p.test_command));
        if (test.exitCode === 0) {
          return { changed: true, values: { rebooted: true, elapsed: Math.round((clock.now() - started) / 1000) } };
        }
        last = `test_command '${p.test_command}' exited ${test.exitCode}: ${test.stderr.trim() || test.stdout.trim()}`;
      } else {
        last = `kern.boottime is still ${before}: the host has not rebooted yet`;
      }
    } catch (error) {
      if (!(error instanceof UnreachableError)) throw error;
      if (error.reason === 'host-key-changed') {
        return { changed: true, failure: `the host came back with a different host key, so it was refused: ${error.describe()}`, values: { rebooted: false } };
      }
      last = error.message;
    }
    await clock.sleep(Math.min(1000, Math.max(0, deadline - clock.now())));
  }
  return { changed: true, failure: `the host did not come back rebooted within ${p.reboot_timeout} s: ${last}`, values: { rebooted: false } };
}

export default defineModule({
  name: 'reboot',
  summary: 'Reboot the host and wait until it is back with a new kern.boottime',
  description:
    "Ansible's reboot. Records kern.boottime, runs `shutdown -r now` detached (after pre_reboot_delay) so " +
    'the command returns cleanly, then reconnects until kern.boottime has changed and test_command ' +
    'succeeds, within reboot_timeout; a host that answers with the old boot time has not rebooted yet. ' +
    'Always changed; in --check nothing happens. Differences from Ansible: connect_timeout is taken from ' +
    'the connection settings; no reboot_command, search_paths or boot_time_command.',
  params,
  example: `- name: Boot the patched kernel
  reboot:
    reboot_timeout: 900`,
  async observe(host) {
    const [boottime] = await host.facts(boottimeFact);
    return { boottime };
  },
  plan({ params: p, facts }) {
    return planReboot(p, facts);
  },
  async apply(context, { params: p, facts }) {
    return applyReboot(context, p, facts.boottime ?? 0);
  },
});
