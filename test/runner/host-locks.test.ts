// The run's host locks (src/runner/host-locks.ts): taken once per host at its batch's first
// contact; a host another run holds leaves the play unreachable, saying who holds it and what to
// do; a lock that cannot be taken is a warning, not a failure. The lock commands run under the
// local /bin/sh against a temporary lock file per host (no SSH).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnreachableError } from '../../src/errors.js';
import { LOCK_PATH, lockText, type LockRecord } from '../../src/lock/host-lock.js';
import type { RunEvent } from '../../src/output/events.js';
import { HostLocks, LOCK_TASK, newLockRecord, pidAlive } from '../../src/runner/host-locks.js';
import { RunHost } from '../../src/runner/run-host.js';
import { runLocalCommand } from '../../src/transport/local.js';
import type { Transport } from '../../src/transport/transport.js';
import { play } from '../fixtures/runner/ast.js';

const self: LockRecord = { owner: 'ops', pid: 4242, controller: 'laptop', started: '2026-11-25T10:00:00.000Z', run: 'run-1' };
const other: LockRecord = { ...self, run: 'run-2', pid: 7 };
const thePlay = play([], { name: 'locks' });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-locks-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A host whose commands run locally with LOCK_PATH pointed at its own file; `answer` replaces the shell. */
function lockedHost(name: string, answer?: () => Promise<{ exitCode: number; stdout: string; stderr: string }>) {
  const lock = join(dir, `${name}.lock`);
  const sent: string[] = [];
  const transport: Transport = {
    host: name,
    run: async (command) => {
      sent.push(command.text);
      if (answer !== undefined) return { command: command.display, durationMs: 0, ...(await answer()) };
      return runLocalCommand({ text: command.text.replaceAll(LOCK_PATH, lock), display: command.display });
    },
    put: () => Promise.reject(new Error('unused')),
    get: () => Promise.reject(new Error('unused')),
    close: () => Promise.resolve(),
  };
  return { host: new RunHost(name, () => transport, pino({ enabled: false })), lock, sent };
}

/** The events, and a sink for them. */
function collector() {
  const events: RunEvent[] = [];
  return { events, emit: (event: RunEvent) => void events.push(event) };
}

describe('host locks', () => {
  it('a host another live run holds leaves the play unreachable (host-locked, who and what to do); the others take theirs', async () => {
    const free = lockedHost('h1');
    const held = lockedHost('h2');
    await writeFile(held.lock, lockText(other));
    const { events, emit } = collector();
    const locks = new HostLocks({ self, isAlive: () => true }, false);
    await locks.enterBatch(thePlay, [free.host, held.host], emit);
    expect(await readFile(free.lock, 'utf8')).toBe(lockText(self));
    expect(await readFile(held.lock, 'utf8')).toBe(lockText(other));
    expect(free.host.status).toBe('active');
    expect(held.host.status).toBe('unreachable');
    expect(events.map((e) => e.event)).toEqual(['task_start', 'host_unreachable', 'task_result']);
    expect(events[0]).toMatchObject({ task: LOCK_TASK, hosts: ['h2'], play: 'locks' });
    expect(events[1]).toMatchObject({ host: 'h2', reason: 'host-locked', msg: expect.stringMatching(/held by another run: .*pid 7/) });
    expect(events[1]).toMatchObject({ msg: expect.stringMatching(/wait for that run to finish/) });
    expect(events[2]).toMatchObject({ host: 'h2', status: 'unreachable', task: LOCK_TASK });
  });

  it('a stale lock is refused with the flag to use, and taken over with it (a warning says whose)', async () => {
    const stale = { ...other, pid: 1 };
    const refused = lockedHost('h1');
    await writeFile(refused.lock, lockText(stale));
    const first = collector();
    await new HostLocks({ self, isAlive: () => false }, false).enterBatch(thePlay, [refused.host], first.emit);
    expect(refused.host.status).toBe('unreachable');
    expect(first.events[1]).toMatchObject({ msg: expect.stringMatching(/held by a run that is gone.*--break-stale-locks/s) });

    const taken = lockedHost('h2');
    await writeFile(taken.lock, lockText(stale));
    const second = collector();
    await new HostLocks({ self, isAlive: () => false }, true).enterBatch(thePlay, [taken.host], second.emit);
    expect(taken.host.status).toBe('active');
    expect(await readFile(taken.lock, 'utf8')).toBe(lockText(self));
    expect(second.events).toEqual([{ event: 'warning', host: 'h2', msg: expect.stringMatching(/^took over the stale host lock of .*pid 1.*--break-stale-locks/) }]);
  });

  it('tries each host once per run, and never a host that no longer takes tasks', async () => {
    const once = lockedHost('h1');
    const failed = lockedHost('h2');
    failed.host.fail();
    const { events, emit } = collector();
    const locks = new HostLocks({ self, isAlive: () => true }, false);
    await locks.enterBatch(thePlay, [once.host, failed.host], emit);
    await locks.enterBatch(thePlay, [once.host], emit);
    expect(once.sent).toHaveLength(1);
    expect(failed.sent).toEqual([]);
    expect(events).toEqual([]);
  });

  it('a host that does not answer is lost as unreachable with its own reason', async () => {
    const down = lockedHost('h1', () => Promise.reject(new UnreachableError('refused', 'connect to h1 port 22: Connection refused', { host: 'h1' })));
    const { events, emit } = collector();
    await new HostLocks({ self, isAlive: () => true }, false).enterBatch(thePlay, [down.host], emit);
    expect(down.host.status).toBe('unreachable');
    expect(events[1]).toMatchObject({ event: 'host_unreachable', reason: 'refused', msg: expect.stringMatching(/Connection refused/) });
  });

  it('a lock that cannot be taken is a warning: the host runs without it, and nothing is released at the end', async () => {
    const broken = lockedHost('h1', async () => ({ exitCode: 1, stdout: '', stderr: 'ln: /var/run/x: Read-only file system' }));
    const { events, emit } = collector();
    const locks = new HostLocks({ self, isAlive: () => true }, false);
    await locks.enterBatch(thePlay, [broken.host], emit);
    expect(broken.host.status).toBe('active');
    expect(events).toEqual([{ event: 'warning', host: 'h1', msg: expect.stringMatching(/could not take the host lock .*exit 1: ln: .*Read-only file system.*running without it/) }]);
    await locks.releaseAll(emit);
    expect(broken.sent).toHaveLength(1);
  });

  it('releaseAll removes every lock this run holds; one it cannot remove is a warning', async () => {
    let release: 'shell' | 'fails' = 'shell';
    const h1 = lockedHost('h1');
    const lock2 = join(dir, 'h2.lock');
    const h2 = lockedHost('h2', async () => {
      if (release === 'fails') throw new Error('connection reset');
      return runLocalCommand({ text: h2.sent.at(-1)?.replaceAll(LOCK_PATH, lock2) ?? 'false', display: 'lock' });
    });
    const { events, emit } = collector();
    const locks = new HostLocks({ self, isAlive: () => true }, false);
    await locks.enterBatch(thePlay, [h1.host, h2.host], emit);
    expect(await readFile(lock2, 'utf8')).toBe(lockText(self));
    release = 'fails';
    await locks.releaseAll(emit);
    await expect(readFile(h1.lock, 'utf8')).rejects.toThrow(/ENOENT/);
    expect(events).toEqual([{ event: 'warning', host: 'h2', msg: expect.stringMatching(/could not release the host lock .*connection reset; the next run will report it as stale/) }]);
    // Released once: a second call sends nothing.
    const sent = h1.sent.length;
    await locks.releaseAll(emit);
    expect(h1.sent).toHaveLength(sent);
  });
});

describe('lock identity', () => {
  it('names this process and a fresh run id', () => {
    const record = newLockRecord(new Date('2026-12-02T10:00:00Z'));
    expect(record).toMatchObject({ pid: process.pid, started: '2026-12-02T10:00:00.000Z' });
    expect(record.run).not.toBe(newLockRecord().run);
  });

  it('tells a running process from a gone one', () => {
    expect(pidAlive(process.pid)).toBe(true);
    // Above the kernel's pid_max (4194304 at most on Linux): never a running process.
    expect(pidAlive(2 ** 22 + 1)).toBe(false);
  });
});
