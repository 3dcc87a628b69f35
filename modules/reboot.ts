// reboot: restart the host and wait until it is back — proven by a new kern.boottime, not by the
// connection alone (a host that never went down answers too). The one generic module that
// waits on the world, so it has its own apply.
import { z } from 'zod';
import { sh, type Command } from '../src/command/command.js';
import { CommandFailedError, UnreachableError } from '../src/errors.js';
import { boottimeFact } from '../src/facts/boottime.js';
import { defineModule, type ApplyContext, type ApplyOutcome, type Plan } from '../src/module-api/module.js';
import { detachedReboot, rebootHost, type Clock } from '../src/module-api/reboot-host.js';

export type { Clock } from '../src/module-api/reboot-host.js';

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

/** shutdown -r now with the message, detached after pre_reboot_delay (see detachedReboot). */
export function rebootCommand(p: Params): Command {
  return detachedReboot(sh`shutdown -r now ${p.msg}`, p.pre_reboot_delay);
}

/** Reboot through the shared rebootHost, and say in the task's result how it went. */
export async function applyReboot(context: ApplyContext, p: Params, before: number, clock?: Clock): Promise<ApplyOutcome> {
  try {
    const done = await rebootHost(context, {
      rebootTimeoutMs: p.reboot_timeout * 1000,
      sendCommand: rebootCommand(p),
      before,
      postRebootDelayMs: p.post_reboot_delay * 1000,
      testCommand: p.test_command,
      ...(clock === undefined ? {} : { clock }),
    });
    return { changed: true, values: { rebooted: true, elapsed: Math.round(done.elapsedMs / 1000) } };
  } catch (error) {
    if (error instanceof CommandFailedError) return { changed: false, failure: error.message };
    if (!(error instanceof UnreachableError)) throw error;
    if (error.reason === 'host-key-changed') {
      return { changed: true, failure: `the host came back with a different host key, so it was refused: ${error.describe()}`, values: { rebooted: false } };
    }
    return { changed: true, failure: error.message, values: { rebooted: false } };
  }
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
  needs: () => [boottimeFact],
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
