import { describe, expect, it } from 'vitest';
import ping, { planPing } from '../../modules/ping.js';
import type { Clock } from '../../modules/reboot.js';
import wait_for_connection, { planWaitForConnection, waitForHost } from '../../modules/wait_for_connection.js';
import { UnreachableError } from '../../src/errors.js';
import type { Fact } from '../../src/facts/fact.js';
import type { HostContext } from '../../src/module-api/module.js';
import { runLocal } from './helpers/three-way.js';

const params = (p: Record<string, unknown> = {}) => wait_for_connection.params.parse(p);

function fakeHost(failures: number) {
  let time = 0;
  let left = failures;
  const clock: Clock = { now: () => time, sleep: async (ms) => void (time += ms) };
  const host: HostContext = {
    host: 'h',
    vars: {},
    async facts<const F extends readonly Fact<unknown>[]>(...facts: F) {
      time += 100;
      if (left-- > 0) throw new UnreachableError('refused', 'connect ECONNREFUSED 127.0.2.1:2222');
      return facts.map(() => true) as never;
    },
  };
  return { host, clock, now: () => time };
}

describe('wait_for_connection', () => {
  it('retries every `sleep` seconds after `delay` until the host answers', async () => {
    const fake = fakeHost(3);
    const wait = await waitForHost(fake.host, params({ delay: 5, sleep: 2 }), fake.clock);
    expect(wait).toEqual({ reached: true, elapsed: 11.4 });
    expect(planWaitForConnection(params(), wait)).toMatchObject({ steps: [{ kind: 'noop', reason: 'the host answered after 11 s' }] });
  });

  it('fails after timeout with the last connection error', async () => {
    const fake = fakeHost(1000);
    const wait = await waitForHost(fake.host, params({ timeout: 10, sleep: 1 }), fake.clock);
    expect(wait.reached).toBe(false);
    expect(fake.now()).toBeLessThan(12_000);
    expect(planWaitForConnection(params({ timeout: 10 }), wait).failure).toBe('timed out waiting for connection after 10 s: connect ECONNREFUSED 127.0.2.1:2222');
  });

  it('is ok (never changed) on the local connection, also in --check', async () => {
    expect((await runLocal(wait_for_connection, { timeout: 5 })).status).toBe('ok');
    expect((await runLocal(wait_for_connection, { timeout: 5 }, { check: true })).status).toBe('ok');
  });
});

describe('ping', () => {
  it('returns pong on the local connection, never changed', async () => {
    expect(await runLocal(ping, {})).toMatchObject({ status: 'ok', values: { ping: 'pong' } });
    expect(await runLocal(ping, { data: 'hi' })).toMatchObject({ status: 'ok', values: { ping: 'hi' } });
  });

  it("fails for data 'crash', and when true did not run", () => {
    expect(planPing('crash', true).failure).toMatch(/boom/);
    expect(planPing('pong', false).failure).toMatch(/did not run/);
  });
});
