import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Command } from '../../src/command/command.js';
import {
  acquireCommand,
  judgeLock,
  LOCK_PATH,
  lockText,
  parseLockRecord,
  releaseCommand,
  afterRetake,
  retakeCommand,
  retakeRefusal,
  takeHostLock,
  type LockRecord,
} from '../../src/lock/host-lock.js';
import { runLocalCommand } from '../../src/transport/local.js';
import type { ReconnectHook, Transport } from '../../src/transport/transport.js';
import { pino } from 'pino';
import { HostLocks } from '../../src/runner/host-locks.js';
import { RunHost } from '../../src/runner/run-host.js';
import type { Play } from '../../src/playbook/types.js';
import type { RunEvent } from '../../src/output/events.js';

const self: LockRecord = { owner: 'ops', pid: 4242, controller: 'laptop', started: '2026-11-25T10:00:00.000Z', run: 'run-1' };

describe('lock records', () => {
  it('round-trip through the lock text', () => {
    expect(lockText(self)).toBe('owner=ops\npid=4242\ncontroller=laptop\nstarted=2026-11-25T10:00:00.000Z\nrun=run-1\n');
    expect(parseLockRecord(lockText(self))).toEqual(self);
    expect(parseLockRecord('garbage')).toBeUndefined();
  });

  it('are ours, stale (this controller, process gone) or live', () => {
    const judge = (alive: boolean) => ({ self, isAlive: () => alive });
    expect(judgeLock(self, judge(false))).toBe('ours');
    expect(judgeLock({ ...self, run: 'old', pid: 1 }, judge(false))).toBe('stale');
    expect(judgeLock({ ...self, run: 'old', pid: 1 }, judge(true))).toBe('live');
    expect(judgeLock({ ...self, run: 'old', controller: 'other-laptop' }, judge(false))).toBe('live');
  });
});

describe('lock commands under /bin/sh', () => {
  let dir: string;
  let lock: string;
  // The commands name LOCK_PATH as an argument: point it at a temporary file.
  const transport: Transport = {
    host: 'test',
    run: (command: Command) => runLocalCommand({ text: command.text.replaceAll(LOCK_PATH, lock), display: command.display }),
    put: () => Promise.reject(new Error('unused')),
    get: () => Promise.reject(new Error('unused')),
    close: () => Promise.resolve(),
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beastie-lock-'));
    lock = join(dir, 'beastie.lock');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('acquire creates the lock once; a second run is told who holds it', async () => {
    expect((await transport.run(acquireCommand(self))).stdout).toBe('acquired\n');
    expect(await readFile(lock, 'utf8')).toBe(lockText(self));
    const other = { ...self, run: 'run-2', pid: 7 };
    expect((await transport.run(acquireCommand(other))).stdout).toBe(`held\n${lockText(self)}`);
    expect(await takeHostLock(transport, { self: other, isAlive: () => true }, true)).toMatchObject({ kind: 'refused', state: 'live', holder: self });
  });

  it('a stale lock is refused without the flag and taken over with it', async () => {
    const stale = { ...self, run: 'dead', pid: 1 };
    await writeFile(lock, lockText(stale));
    const judge = { self, isAlive: () => false };
    expect(await takeHostLock(transport, judge, false)).toMatchObject({ kind: 'refused', state: 'stale' });
    expect(await takeHostLock(transport, judge, true)).toEqual({ kind: 'took-over', stale });
    expect(await readFile(lock, 'utf8')).toBe(lockText(self));
  });

  it('release removes only our own lock', async () => {
    const other = { ...self, run: 'run-2' };
    await writeFile(lock, lockText(other));
    await transport.run(releaseCommand(self));
    expect(await readFile(lock, 'utf8')).toBe(lockText(other));
    await writeFile(lock, lockText(self));
    await transport.run(releaseCommand(self));
    await expect(readFile(lock, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('runs no program but ln and rm: the subshell and the line test are the shell\'s own', async () => {
    // Every program the commands could name, as a wrapper that logs its name and runs the real one.
    const bin = join(dir, 'bin');
    const log = join(dir, 'programs');
    await mkdir(bin);
    for (const program of ['ln', 'rm', 'cat', 'grep', 'sh', 'mv', 'od', 'tr', 'head', 'dd']) {
      await writeFile(join(bin, program), `#!/bin/sh\necho ${program} >>${log}\nPATH=${process.env['PATH'] ?? ''} exec ${program} "$@"\n`, { mode: 0o755 });
    }
    const programsOf = async (command: Command): Promise<string[]> => {
      await rm(log, { force: true });
      const result = await transport.run({ text: `PATH=${bin}; ${command.text}`, display: command.display });
      expect(result.exitCode, result.stderr).toBe(0);
      return (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');
    };
    expect(await programsOf(acquireCommand(self))).toEqual(['ln', 'rm', 'ln']);
    expect(await programsOf(releaseCommand({ ...self, run: 'run-2' }))).toEqual([]);
    expect(await programsOf(releaseCommand(self))).toEqual(['rm']);
    await expect(readFile(lock, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('is taken back only if no other run held the host since this run gave it back', async () => {
    const word = 'a1b2c3d4e5f6';
    const retake = async () => retakeRefusal(await transport.run(retakeCommand(self, word)), word);
    expect((await transport.run(acquireCommand(self))).stdout).toBe('acquired\n');
    // Still ours: nothing to do.
    expect(await retake()).toBeUndefined();
    await transport.run(releaseCommand(self));
    expect(await readFile(`${lock}.last`, 'utf8')).toBe(lockText(self));
    expect(await retake()).toBeUndefined();
    expect(await readFile(lock, 'utf8')).toBe(lockText(self));
    // Another run took the host after we gave it back, and still holds it.
    await transport.run(releaseCommand(self));
    const other = { ...self, run: 'run-2', pid: 7 };
    await transport.run(acquireCommand(other));
    expect(await retake()).toEqual({ state: 'held', holder: other, text: lockText(other) });
    // It gave it back too: the host is not as we read it, and the lock stays free.
    await transport.run(releaseCommand(other));
    expect(await retake()).toEqual({ state: 'changed', holder: other, text: lockText(other) });
    await expect(readFile(lock, 'utf8')).rejects.toThrow(/ENOENT/);
    // A boot emptied /var/run: no record of who held it, so not ours to take back either.
    await rm(`${lock}.last`);
    expect(await retake()).toMatchObject({ state: 'changed', holder: undefined });
    // A command's own exit 75 is not a refusal: only the nonce's line is.
    expect(retakeRefusal({ exitCode: 75, stdout: 'held\n' }, word)).toBeUndefined();
  });

  it("never takes a guarded command's own output for a refusal: the retake's nonce is made on the host and announced first", async () => {
    // The command runs after the retake got the lock back, prints a refusal line with every nonce
    // it can know (the controller's word and any hex word of its command line, which ps shows, and
    // the old per-run mark) and exits 75 as a refusal does. Before (session 13), the mark was the
    // controller's nonce in the command line: this output was read as `held`, and the run lost the host.
    const word = 'a1b2c3d4e5f6';
    await transport.run(acquireCommand(self));
    await transport.run(releaseCommand(self));
    const forgeAll = (text: string) => [...new Set(text.match(/[0-9a-f]{12,}|@@beastie-lock-[0-9a-f]+@@/g) ?? [])].map((w) => `${w} held\\n@@beastie-lock ${w}@@\\n${w} held\\n`).join('');
    const base = retakeCommand(self, word).text;
    const command = `${base} && { printf '${forgeAll(base)}'; printf 'owner=mallory\\n'; exit 75; }`;
    const result = await transport.run({ text: command, display: 'forge' });
    expect(result.exitCode).toBe(75);
    expect(retakeRefusal(result, word)).toBeUndefined();
    // The lock is ours again, and the announcement's nonce holds a part no command line showed.
    expect(await readFile(lock, 'utf8')).toBe(lockText(self));
    const announced = /^@@beastie-lock ([0-9a-f]+)@@\n/.exec(result.stdout)?.[1] ?? '';
    expect(announced).toMatch(new RegExp(`^${word}[0-9a-f]{16}$`));
    expect(command).not.toContain(announced.slice(word.length));
    expect(afterRetake(result, word).stdout.startsWith(`${word} held`)).toBe(true);
  });

  it('is taken again on every reconnection; a lock another run took meanwhile loses the host', async () => {
    let hook: ReconnectHook | undefined;
    const reconnecting: Transport = { ...transport, onReconnect: (given) => void (hook = given) };
    const host = new RunHost('test', () => reconnecting, pino({ level: 'silent' }));
    const locks = new HostLocks({ self, isAlive: () => true }, false);
    const events: RunEvent[] = [];
    // Only the refusal events read the play, and none is refused at the first contact here.
    await locks.enterBatch({ name: 'p' } as Play, [host], (event) => events.push(event));
    expect(await readFile(lock, 'utf8')).toBe(lockText(self));
    // The host rebooted: cleanvar removed the lock.
    await rm(lock);
    await hook?.((command) => transport.run(command));
    expect(await readFile(lock, 'utf8')).toBe(lockText(self));
    // Another run took it while the host was down: this run must not go on beside it.
    const other = { ...self, run: 'run-2', pid: 7 };
    await writeFile(lock, lockText(other));
    await expect(hook?.((command) => transport.run(command))).rejects.toMatchObject({ reason: 'host-locked', message: expect.stringMatching(/held after the host came back by another run/) });
    await locks.releaseAll((event) => events.push(event));
    expect(await readFile(lock, 'utf8')).toBe(lockText(other));
    expect(events).toEqual([]);
  });
});
