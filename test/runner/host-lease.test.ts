// A lock given back early and taken back before a change (src/runner/host-lease.ts): what the end
// of the run must still remove. A retake whose answer never came (the connection dropped while
// the change ran) may have put the lock back on the host, so the run must not forget it.
import { describe, expect, it } from 'vitest';
import { sh, type Command } from '../../src/command/command.js';
import { UnreachableError } from '../../src/errors.js';
import { RETAKE_REFUSED_EXIT, type LockRecord } from '../../src/lock/host-lock.js';
import { HostLease } from '../../src/runner/host-lease.js';
import type { CommandResult, Transport } from '../../src/transport/transport.js';

const self: LockRecord = { owner: 'root', pid: 4242, controller: 'laptop', started: '2026-12-02T12:00:00.000Z', run: 'run-a' };

/** A transport whose every command gets `answer(command)`; it records what was sent. */
function transport(answer: (command: Command) => CommandResult | 'drop'): Transport & { sent: string[] } {
  const sent: string[] = [];
  return {
    host: 'sim01',
    sent,
    run: async (command) => {
      sent.push(command.text);
      const result = answer(command);
      if (result === 'drop') throw new UnreachableError('connection-lost', 'the connection dropped', { host: 'sim01' });
      return result;
    },
    put: async () => {},
    get: async () => undefined,
    close: async () => {},
  };
}

const ok = (stdout = ''): CommandResult => ({ command: '', exitCode: 0, stdout, stderr: '', durationMs: 1 });

/** A lease whose lock was given back by the first read. */
function givenBack(t: Transport): HostLease {
  const lease = new HostLease(t, self);
  lease.gaveBack(true);
  return lease;
}

describe('HostLease', () => {
  it('is held until the read that carried the give-back ran it to its end', () => {
    const lease = new HostLease(transport(() => ok()), self);
    expect(lease.giveBack()).toBeDefined();
    lease.gaveBack(false);
    expect([lease.held, lease.mayBeHeld]).toEqual([true, true]);
    lease.gaveBack(true);
    expect([lease.held, lease.mayBeHeld]).toEqual([false, false]);
  });

  it('keeps a guarded change whose answer never came as a lock the end of the run removes', () => {
    const lease = givenBack(transport(() => ok()));
    const guarded = lease.guard(sh`touch /etc/x`);
    expect(guarded.text).toContain('touch /etc/x');
    // The connection dropped: guarded(result) is never called.
    expect(lease.held).toBe(false);
    expect(lease.mayBeHeld).toBe(true);
  });

  it('keeps a retake whose answer never came as a lock the end of the run removes', async () => {
    const lease = givenBack(transport(() => 'drop'));
    await expect(lease.retake()).rejects.toBeInstanceOf(UnreachableError);
    expect(lease.mayBeHeld).toBe(true);
  });

  it('holds the lock again after a retake that got it back', async () => {
    const t = transport(() => ok());
    const lease = givenBack(t);
    await lease.retake();
    expect(t.sent).toHaveLength(1);
    expect([lease.held, lease.mayBeHeld]).toEqual([true, true]);
  });

  it('forgets the lock after a refused retake: it is another run’s, not this one’s to remove', async () => {
    const t = transport((command) => {
      // The retake announces its nonce (the controller's word, then the host's part) and refuses with it.
      const nonce = `${/beastie_nonce_([0-9a-f]+)/.exec(command.text)?.[1]}0123456789abcdef`;
      return { ...ok(`@@beastie-lock ${nonce}@@\n${nonce} held\nowner=alice\npid=7\ncontroller=desk\nstarted=2026-12-02T12:01:00.000Z\nrun=run-b\n`), exitCode: RETAKE_REFUSED_EXIT };
    });
    const lease = givenBack(t);
    await expect(lease.retake()).rejects.toMatchObject({ reason: 'host-locked' });
    expect(lease.mayBeHeld).toBe(false);
  });
});
