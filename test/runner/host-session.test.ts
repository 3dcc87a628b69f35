import { describe, expect, it } from 'vitest';
import { sh, type Command } from '../../src/command/command.js';
import { UnreachableError } from '../../src/errors.js';
import { defineFact } from '../../src/facts/fact.js';
import { HostSession, waitForConnection } from '../../src/runner/host-session.js';
import { LocalTransport } from '../../src/transport/local.js';
import type { CommandResult, PutOptions, RunOptions, Transport } from '../../src/transport/transport.js';

/** A transport that records what it is asked and answers from `answer`. */
function recording(answer: (command: Command) => CommandResult | Error = (command) => ({ command: command.display, exitCode: 0, stdout: '', stderr: '', durationMs: 1 })) {
  const calls: { kind: string; what: string; become?: string; timeoutMs?: number }[] = [];
  let closes = 0;
  const transport: Transport = {
    host: 'h1',
    async run(command: Command, options: RunOptions = {}) {
      calls.push({ kind: 'run', what: command.text, ...(options.become === undefined ? {} : { become: options.become.method }), ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
      const result = answer(command);
      if (result instanceof Error) throw result;
      return result;
    },
    async put(path: string, _content: string | Buffer, options: PutOptions = {}) {
      calls.push({ kind: 'put', what: `${path} ${options.mode?.toString(8) ?? ''}`, ...(options.become === undefined ? {} : { become: options.become.method }) });
    },
    async get() {
      return undefined;
    },
    async close() {
      closes++;
    },
  };
  return { transport, calls, closes: () => closes };
}

describe('HostSession', () => {
  it('applies with the task\'s become: commands and file writes alike (ApplyContext.put)', async () => {
    const { transport, calls } = recording();
    const session = new HostSession(transport, { become: { method: 'doas' }, timeoutMs: 5000 });
    const context = session.applyContext({}, () => undefined);
    await context.run(sh`true`);
    await context.put('/etc/x.conf', 'x=1\n', { mode: 0o600 });
    expect(calls).toEqual([
      { kind: 'run', what: 'true', become: 'doas', timeoutMs: 5000 },
      { kind: 'put', what: '/etc/x.conf 600', become: 'doas' },
    ]);
  });

  it('with() and through() keep the one fact cache; invalidating forgets it and tells the host\'s other sessions', async () => {
    let siblings = 0;
    const session = new HostSession(new LocalTransport('h1'), {}, () => siblings++);
    // A fresh value per read: the nanoseconds of the read's own clock.
    const fact = defineFact('now', sh`date +%s%N`, (o) => o.stdout.trim());
    const timed = session.with({ timeoutMs: 10 });
    const wrapped = session.through((inner) => inner);
    expect(timed.facts).toBe(session.facts);
    expect(wrapped.facts).toBe(session.facts);
    const [first] = await session.hostContext({}).facts(fact);
    const [cached] = await timed.hostContext({}).facts(fact);
    expect(cached).toBe(first);
    wrapped.invalidateFacts();
    expect(siblings).toBe(1);
    const [again] = await session.hostContext({}).facts(fact);
    expect(again).not.toBe(first);
  });

  it('waitForConnection: drops the connection, retries while the host refuses, returns once it answers', async () => {
    let refusals = 2;
    const { transport, calls, closes } = recording((command) =>
      refusals-- > 0 ? new UnreachableError('refused', 'connection refused') : { command: command.display, exitCode: 0, stdout: '', stderr: '', durationMs: 1 },
    );
    const result = await waitForConnection(transport, { timeoutMs: 10_000, delayMs: 1 });
    expect(result.exitCode).toBe(0);
    expect(calls.map((call) => call.what)).toEqual(['true', 'true', 'true']);
    expect(closes()).toBe(3);
  });

  it('waitForConnection: a changed host key is refused at once, a host that never answers after the timeout', async () => {
    const changed = recording(() => new UnreachableError('host-key-changed', 'REMOTE HOST IDENTIFICATION HAS CHANGED'));
    await expect(waitForConnection(changed.transport, { timeoutMs: 60_000, delayMs: 1 })).rejects.toMatchObject({ reason: 'host-key-changed' });
    expect(changed.calls).toHaveLength(1);
    const silent = recording(() => new UnreachableError('refused', 'connection refused'));
    await expect(waitForConnection(silent.transport, { timeoutMs: 50, delayMs: 1 })).rejects.toMatchObject({
      reason: 'timeout',
      message: expect.stringContaining('last error: connection refused'),
    });
  });
});
