// wait_for_connection: wait until the host runs commands again (after a reboot done elsewhere,
// a jail or VM that is starting). Waiting changes nothing, so it happens while observing —
// also in --check, as Ansible's does — and the task is ok or failed, never changed.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { UnreachableError } from '../src/errors.js';
import { connectionAliveFact } from '../src/facts/connection-alive.js';
import { defineModule, type HostContext, type Plan } from '../src/module-api/module.js';
import type { Clock } from './reboot.js';

const seconds = z.number().nonnegative();

const params = z.strictObject({
  timeout: seconds.default(600).describe('Seconds to keep trying.'),
  delay: seconds.default(0).describe('Seconds to wait before the first try.'),
  sleep: seconds.default(1).describe('Seconds between tries.'),
  connect_timeout: seconds.optional().describe("Accepted for Ansible playbooks; the per-connection timeout comes from the host's connection settings."),
});

type Params = z.output<typeof params>;

/** Whether the host answered, after how long, and the last error otherwise. */
export type ConnectionWait = { readonly reached: true; readonly elapsed: number } | { readonly reached: false; readonly elapsed: number; readonly error: string };

/** Try `true` on the host until it answers or `timeout` passes. */
export async function waitForHost(host: HostContext, p: Params, clock: Clock = { now: () => Date.now(), sleep: (ms) => sleep(ms) }): Promise<ConnectionWait> {
  const started = clock.now();
  if (p.delay > 0) await clock.sleep(p.delay * 1000);
  let error = 'no attempt was made';
  for (;;) {
    try {
      const [alive] = await host.facts(connectionAliveFact(randomBytes(6).toString('hex')));
      if (alive) return { reached: true, elapsed: (clock.now() - started) / 1000 };
      error = '`true` did not succeed on the host';
    } catch (caught) {
      // Another run holding the host lock now will not give it back while we wait.
      if (!(caught instanceof UnreachableError) || caught.reason === 'host-locked') throw caught;
      error = caught.message;
    }
    const elapsed = clock.now() - started;
    if (elapsed >= p.timeout * 1000) return { reached: false, elapsed: elapsed / 1000, error };
    await clock.sleep(Math.min(p.sleep * 1000, p.timeout * 1000 - elapsed));
  }
}

/** ok when the host answered; failed with the last error when it did not. */
export function planWaitForConnection(p: Params, wait: ConnectionWait): Plan {
  const elapsed = Math.round(wait.elapsed);
  if (wait.reached) return { steps: [{ kind: 'noop', reason: `the host answered after ${elapsed} s` }], values: { elapsed } };
  return { steps: [], failure: `timed out waiting for connection after ${p.timeout} s: ${wait.error}`, values: { elapsed } };
}

export default defineModule({
  name: 'wait_for_connection',
  summary: 'Wait until the host runs commands again',
  description:
    "Ansible's wait_for_connection: tries `true` on the host every `sleep` seconds after `delay`, for up to " +
    '`timeout` seconds, reconnecting as needed. Never changed; fails with the last connection error on ' +
    'timeout. Runs in --check too, as in Ansible.',
  params,
  example: `- name: The host is back
  wait_for_connection:
    delay: 10
    timeout: 300`,
  async observe(host, p) {
    return waitForHost(host, p);
  },
  plan({ params: p, facts }) {
    return planWaitForConnection(p, facts);
  },
});
