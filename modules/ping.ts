// ping: the host runs a command (`true`) — the connection and the shell work. Returns pong.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { connectionAliveFact } from '../src/facts/connection-alive.js';
import { defineModule, type Plan } from '../src/module-api/module.js';

const params = z.strictObject({
  data: z.string().default('pong').describe("Returned as `ping`; 'crash' makes the task fail, as in Ansible."),
});

/** ok with `ping: DATA` when the host ran `true`. */
export function planPing(data: string, alive: boolean): Plan {
  if (!alive) return { steps: [], failure: 'the host did not run `true` successfully' };
  if (data === 'crash') return { steps: [], failure: 'boom (ping data: crash)' };
  return { steps: [{ kind: 'noop', reason: data }], values: { ping: data } };
}

export default defineModule({
  name: 'ping',
  summary: 'Check that the host runs commands; returns pong',
  description: 'Runs `true` through /bin/sh on the host (never cached) and returns `ping: pong`. Never changed. An unreachable host is reported as unreachable.',
  params,
  example: `- name: Every host answers
  ping:`,
  async observe(host) {
    const [alive] = await host.facts(connectionAliveFact(randomBytes(6).toString('hex')));
    return alive;
  },
  plan({ params: p, facts }) {
    return planPing(p.data, facts);
  },
});
