// One host across the run (src/runner/run-host.ts): its status transitions, the failed host
// rescue/always take back, and its sessions (opened on first use, one per jail and become
// identity, facts forgotten together). No host is contacted: the transport runs /bin/sh here.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { sh } from '../../src/command/command.js';
import { defineFact } from '../../src/facts/fact.js';
import { RunHost, type HostStatus } from '../../src/runner/run-host.js';
import { JailTransport } from '../../src/transport/jail.js';
import { runLocalCommand } from '../../src/transport/local.js';
import type { Transport } from '../../src/transport/transport.js';

const logger = pino({ enabled: false });

/** A host whose transport runs commands with the local /bin/sh (become ignored); counts opens and commands. */
function countingHost(name = 'h1') {
  const counts = { opened: 0, commands: 0 };
  const transport: Transport = {
    host: name,
    run: (command) => ((counts.commands += 1), runLocalCommand(command)),
    put: () => Promise.reject(new Error('unused')),
    get: () => Promise.reject(new Error('unused')),
    close: () => Promise.resolve(),
  };
  const host = new RunHost(name, () => ((counts.opened += 1), transport), logger);
  return { host, counts };
}

/** A host brought to `status` through the transitions a run uses. */
function hostIn(status: HostStatus): RunHost {
  const { host } = countingHost();
  if (status === 'failed') host.fail();
  if (status === 'unreachable') host.lose();
  if (status === 'ended') host.end();
  return host;
}

const statuses: readonly HostStatus[] = ['active', 'failed', 'unreachable', 'ended'];
type Transition = 'fail' | 'lose' | 'end' | 'clearErrors' | 'nextPlay';
const after = (status: HostStatus, transition: Transition): HostStatus => {
  const host = hostIn(status);
  host[transition]();
  return host.status;
};

describe('run host status', () => {
  it('moves only as the transitions allow; unreachable is final', () => {
    const table = Object.fromEntries(statuses.map((status) => [status, Object.fromEntries((['fail', 'lose', 'end', 'clearErrors', 'nextPlay'] as const).map((t) => [t, after(status, t)]))]));
    expect(table).toEqual({
      active: { fail: 'failed', lose: 'unreachable', end: 'ended', clearErrors: 'active', nextPlay: 'active' },
      failed: { fail: 'failed', lose: 'unreachable', end: 'failed', clearErrors: 'ended', nextPlay: 'failed' },
      unreachable: { fail: 'unreachable', lose: 'unreachable', end: 'unreachable', clearErrors: 'unreachable', nextPlay: 'unreachable' },
      ended: { fail: 'failed', lose: 'unreachable', end: 'ended', clearErrors: 'ended', nextPlay: 'active' },
    });
    expect(statuses.filter((status) => hostIn(status).active)).toEqual(['active']);
  });

  it('rescue takes a failed host back for good; always restores the failure afterwards', async () => {
    const rescued = hostIn('failed');
    expect(await rescued.takenBack(async () => rescued.status, false)).toBe('active');
    expect(rescued.status).toBe('active');
    const always = hostIn('failed');
    expect(await always.takenBack(async () => always.active, true)).toBe(true);
    expect(always.status).toBe('failed');
  });

  it('always keeps what its own tasks did to the host, and restores the failure when they throw', async () => {
    const ended = hostIn('failed');
    await ended.takenBack(async () => ended.end(), true);
    expect(ended.status).toBe('ended');
    const lost = hostIn('failed');
    await lost.takenBack(async () => lost.lose(), true);
    expect(lost.status).toBe('unreachable');
    const threw = hostIn('failed');
    await expect(threw.takenBack(() => Promise.reject(new Error('boom')), true)).rejects.toThrow('boom');
    expect(threw.status).toBe('failed');
  });

  it('a host that has not failed runs the work as it stands', async () => {
    for (const status of ['active', 'unreachable', 'ended'] as const) {
      const host = hostIn(status);
      expect(await host.takenBack(async () => host.status, true)).toBe(status);
      expect(host.status).toBe(status);
    }
  });
});

describe('run host sessions', () => {
  const fact = defineFact('test:echo', sh`echo hi`, (output) => output.stdout.trim());

  it('open the transport on first use only, once', () => {
    const { host, counts } = countingHost();
    expect(counts.opened).toBe(0);
    const sessions = host.sessions();
    expect(host.sessions()).toBe(sessions);
    expect(counts.opened).toBe(1);
  });

  it('are one per jail and become identity; become without a user is root', () => {
    const sessions = countingHost().host.sessions();
    const plain = sessions.get({ jail: undefined, become: undefined });
    expect(sessions.get({ jail: undefined, become: undefined })).toBe(plain);
    expect(sessions.get({ jail: undefined, become: { method: 'sudo' } })).toBe(sessions.get({ jail: undefined, become: { method: 'sudo', user: 'root' } }));
    expect(sessions.get({ jail: undefined, become: { method: 'sudo', user: 'www' } })).not.toBe(sessions.get({ jail: undefined, become: { method: 'sudo' } }));
    expect(sessions.get({ jail: undefined, become: { method: 'doas' } })).not.toBe(sessions.get({ jail: undefined, become: { method: 'sudo' } }));
    const jailed = sessions.get({ jail: 'web', become: undefined });
    expect(jailed.transport).toBeInstanceOf(JailTransport);
    expect((jailed.transport as JailTransport).jail).toBe('web');
    expect(plain.transport).not.toBeInstanceOf(JailTransport);
    expect(sessions.get({ jail: undefined, become: { method: 'su' } }).runOptions).toEqual({ become: { method: 'su' } });
  });

  it('keep facts per session, and a change through one forgets the facts of all', async () => {
    const { host, counts } = countingHost();
    const plain = host.sessions().get({ jail: undefined, become: undefined });
    const root = host.sessions().get({ jail: undefined, become: { method: 'sudo' } });
    expect(await plain.facts.read(fact)).toEqual(['hi']);
    expect(await root.facts.read(fact)).toEqual(['hi']);
    expect(await root.facts.read(fact)).toEqual(['hi']);
    expect(counts.commands).toBe(2);
    plain.invalidateFacts();
    await root.facts.read(fact);
    await plain.facts.read(fact);
    expect(counts.commands).toBe(4);
  });
});
