// One round trip per host per play (issue 13): the facts every task declares are read before the
// first task, in one command per host; after a change, what the tasks still to come read goes in
// the same command as the change. Counted on the local transport, which runs the real commands.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Command } from '../../src/command/command.js';
import { acquireCommand, LOCK_PATH, lockText, releaseCommand, type LockRecord } from '../../src/lock/host-lock.js';
import { HostLocks } from '../../src/runner/host-locks.js';
import { LocalTransport, runLocalCommand } from '../../src/transport/local.js';
import type { CommandResult, ConnectionSettings, RunOptions, Transport, TransportFactory } from '../../src/transport/transport.js';
import { handler, play, task } from '../fixtures/runner/ast.js';
import { localInventory, runPlays, statuses } from '../fixtures/runner/harness.js';

/** Local transports that count the commands each host runs. */
class CountingTransports implements TransportFactory {
  readonly runs = new Map<string, number>();
  open(settings: ConnectionSettings): Transport {
    const inner = new LocalTransport(settings.host);
    const runs = this.runs;
    return {
      host: settings.host,
      run: (command: Command, options?: RunOptions): Promise<CommandResult> => {
        runs.set(settings.host, (runs.get(settings.host) ?? 0) + 1);
        return inner.run(command, options);
      },
      put: (path, content, options) => inner.put(path, content, options),
      get: (path, options) => inner.get(path, options),
      close: () => inner.close(),
    };
  }
  async closeAll(): Promise<void> {}
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-ahead-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function tasks() {
  return [
    task('lineinfile', { path: join(dir, 'rc.conf'), regexp: '^a=', line: 'a="1"', create: true }, { name: 'a' }),
    task('lineinfile', { path: join(dir, 'rc.conf'), regexp: '^b=', line: 'b="2"' }, { name: 'b' }),
    task('file', { path: join(dir, 'etc'), state: 'directory', mode: '0755' }, { name: 'dir' }),
    task('copy', { dest: join(dir, 'etc', 'motd'), content: 'hi\n', mode: '0644' }, { name: 'motd' }),
    task('lineinfile', { path: join(dir, '{{ item }}.conf'), line: 'x=1', create: true }, { name: 'loop', loop: ['l1', 'l2'] }),
    task('command', { cmd: `touch ${join(dir, 'done')}`, creates: join(dir, 'done') }, { name: 'once' }),
  ];
}

describe('read ahead', () => {
  it('a no-change run reads every task of the play in ONE command per host', async () => {
    const inventory = localInventory({ h1: {}, h2: {} });
    await runPlays([play(tasks())], inventory);
    const counting = new CountingTransports();
    const again = await runPlays([play(tasks())], inventory, { transports: counting });
    for (const name of ['a', 'b', 'dir', 'motd', 'loop', 'once']) expect(statuses(again, name), name).toEqual({ h1: 'ok', h2: 'ok' });
    expect(Object.fromEntries(counting.runs)).toEqual({ h1: 1, h2: 1 });
  });

  it("a command's run carries the reads of the tasks after it, and its output stays its own", async () => {
    const plays = () => [
      play([
        task('lineinfile', { path: join(dir, 'a.conf'), line: 'a=1', create: true }, { name: 'before' }),
        task('command', { cmd: 'echo checked' }, { name: 'check' }),
        task('lineinfile', { path: join(dir, 'b.conf'), line: 'b=1', create: true }, { name: 'after' }),
      ]),
    ];
    const inventory = localInventory({ h1: {} });
    await runPlays(plays(), inventory);
    const counting = new CountingTransports();
    const again = await runPlays(plays(), inventory, { transports: counting });
    for (const name of ['before', 'after']) expect(statuses(again, name), name).toEqual({ h1: 'ok' });
    // The read ahead, then the command with the later tasks' reads: not a third command for them.
    expect(Object.fromEntries(counting.runs)).toEqual({ h1: 2 });
    expect(again.reporter.of('task_result').find((e) => e.task === 'check')).toMatchObject({ stdout: 'checked' });
  });

  it('a first run costs at most 1 + 2 per change, and every change is verified', async () => {
    const counting = new CountingTransports();
    const run = await runPlays([play(tasks())], localInventory({ h1: {} }), { transports: counting });
    const results = run.reporter.of('task_result').filter((e) => e.host === 'h1');
    const changes = results.filter((e) => e.status === 'changed').length;
    expect(results.map((e) => e.status)).toEqual(['changed', 'changed', 'changed', 'changed', 'changed', 'changed']);
    expect(counting.runs.get('h1') ?? 0).toBeLessThanOrEqual(1 + 2 * changes);
    expect(run.exitCode).toBe(0);
  });

  it('a task whose params use a registered result reads when it runs, with what the host holds by then', async () => {
    await writeFile(join(dir, 'name'), 'later\n');
    const plays = [
      play([
        task('command', { cmd: `cat ${join(dir, 'name')}` }, { name: 'read', register: 'seen' }),
        task('lineinfile', { path: `${dir}/{{ seen.stdout }}.conf`, line: 'x=1', create: true }, { name: 'write' }),
      ]),
    ];
    const counting = new CountingTransports();
    const run = await runPlays(plays, localInventory({ h1: {} }), { transports: counting });
    expect(statuses(run, 'write')).toEqual({ h1: 'changed' });
    const again = await runPlays(plays, localInventory({ h1: {} }));
    expect(statuses(again, 'write')).toEqual({ h1: 'ok' });
  });

  it('a change is seen by a later task that reads the same file (the facts were read again after it)', async () => {
    const path = join(dir, 'shared.conf');
    const plays = [
      play([
        task('lineinfile', { path, line: 'first=1', create: true }, { name: 'first' }),
        task('lineinfile', { path, line: 'first=1' }, { name: 'same line again' }),
      ]),
    ];
    const run = await runPlays(plays, localInventory({ h1: {} }));
    expect(statuses(run, 'first')).toEqual({ h1: 'changed' });
    expect(statuses(run, 'same line again')).toEqual({ h1: 'ok' });
  });
});

/** Local transports whose host lock is a file of the test's directory (one per host), counting commands. */
class LockingTransports extends CountingTransports {
  /** Run after a host's Nth command (1-based): another run working on the host in between. */
  readonly between = new Map<string, { readonly after: number; readonly act: (lock: string) => Promise<void> }>();
  override open(settings: ConnectionSettings): Transport {
    const inner = super.open(settings);
    const lock = join(dir, `${settings.host}.lock`);
    const between = this.between.get(settings.host);
    let count = 0;
    return {
      ...inner,
      run: async (command: Command, options?: RunOptions): Promise<CommandResult> => {
        const result = await inner.run({ text: command.text.replaceAll(LOCK_PATH, lock), display: command.display }, options);
        count += 1;
        if (between?.after === count) await between.act(lock);
        return result;
      },
    };
  }
}

const self: LockRecord = { owner: 'ops', pid: 4242, controller: 'laptop', started: '2026-12-02T07:00:00.000Z', run: 'this-run' };
const other: LockRecord = { ...self, pid: 7, run: 'other-run' };
const locks = () => new HostLocks({ self, isAlive: () => true }, false);
const sshInventory = () => localInventory({ h1: { ansible_connection: 'ssh' } });
/** After the read ahead gave the lock back (the host's first command): another run takes it and gives it back. */
const anotherRunInBetween = {
  after: 1,
  act: async (lock: string) => {
    await shell(acquireCommand(other).text.replaceAll(LOCK_PATH, lock));
    await shell(releaseCommand(other).text.replaceAll(LOCK_PATH, lock));
  },
};
const shell = (text: string) => runLocalCommand({ text, display: text });

describe('the host lock, given back by the last command of a no-change run', () => {
  const plays = () => [
    play([
      task('lineinfile', { path: join(dir, 'a.conf'), line: 'a=1', create: true }, { name: 'before' }),
      task('command', { cmd: 'echo checked' }, { name: 'check', changedWhen: ['false'] }),
      task('copy', { dest: join(dir, 'motd'), content: 'hi\n' }, { name: 'after' }),
    ]),
  ];

  it('costs no command of its own: the read ahead and the command each give it back', async () => {
    const first = new LockingTransports();
    const converge = await runPlays(plays(), sshInventory(), { transports: first, hostLocks: locks() });
    expect(converge.exitCode).toBe(0);
    expect(statuses(converge, 'after')).toEqual({ h1: 'changed' });
    const counting = new LockingTransports();
    const again = await runPlays(plays(), sshInventory(), { transports: counting, hostLocks: locks() });
    for (const name of ['before', 'check', 'after']) expect(statuses(again, name), name).toEqual({ h1: 'ok' });
    // Lock + reads + release, then the command (its retake in front) + the later reads + release.
    expect(Object.fromEntries(counting.runs)).toEqual({ h1: 2 });
    expect(again.reporter.of('task_result').find((e) => e.task === 'check')).toMatchObject({ stdout: 'checked' });
    await expect(readFile(join(dir, 'h1.lock'), 'utf8')).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(dir, 'h1.lock.last'), 'utf8')).toBe(lockText(self));
  });

  it('is taken back before a change, and kept to the end once the host changed', async () => {
    const counting = new LockingTransports();
    // The read ahead gave the lock back; the first change (a file write) takes it back in a command of its own.
    const seen: string[] = [];
    counting.between.set('h1', { after: 2, act: async (lock) => void seen.push(await readFile(lock, 'utf8').catch(() => 'absent')) });
    const run = await runPlays(plays(), sshInventory(), { transports: counting, hostLocks: locks() });
    expect(run.exitCode).toBe(0);
    expect(run.reporter.of('task_result').map((e) => e.status)).toEqual(['changed', 'ok', 'changed']);
    expect(seen).toEqual([lockText(self)]);
    // The end of the run removed it.
    await expect(readFile(join(dir, 'h1.lock'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('when another run held the host in between, this run loses it and changes nothing', async () => {
    const counting = new LockingTransports();
    counting.between.set('h1', anotherRunInBetween);
    const run = await runPlays(plays(), sshInventory(), { transports: counting, hostLocks: locks() });
    expect(run.reporter.of('host_unreachable')).toEqual([
      expect.objectContaining({ host: 'h1', reason: 'host-locked', msg: expect.stringContaining('another run held /var/run/beastie.lock after this run had read the host (ops (pid 7 on laptop') }),
    ]);
    await expect(readFile(join(dir, 'a.conf'), 'utf8')).rejects.toThrow(/ENOENT/);
    await expect(readFile(join(dir, 'h1.lock'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('a task with its own remote_user (a second connection) takes the lock back too: another run in between, and it changes nothing', async () => {
    const counting = new LockingTransports();
    counting.between.set('h1', anotherRunInBetween);
    const target = join(dir, 'deploy.conf');
    const run = await runPlays([play([task('lineinfile', { path: target, line: 'a=1', create: true }, { name: 'as deploy', remoteUser: 'deploy' })])], sshInventory(), {
      transports: counting,
      hostLocks: locks(),
    });
    // Before, the lease lived on the play's connection only: the second one wrote with no lock.
    expect(run.reporter.of('host_unreachable')).toEqual([expect.objectContaining({ host: 'h1', reason: 'host-locked' })]);
    await expect(readFile(target, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('when another run holds it now, the command behind the retake does not run', async () => {
    await writeFile(join(dir, 'a.conf'), 'a=1\n');
    const counting = new LockingTransports();
    counting.between.set('h1', { after: 1, act: (lock) => writeFile(lock, lockText(other)) });
    const marker = join(dir, 'ran');
    const run = await runPlays([play([task('command', { cmd: `touch ${marker}`, creates: marker }, { name: 'once' })])], sshInventory(), { transports: counting, hostLocks: locks() });
    expect(run.reporter.of('host_unreachable')).toEqual([
      expect.objectContaining({ host: 'h1', reason: 'host-locked', msg: expect.stringContaining('was taken by another run after this run had read the host: ops (pid 7') }),
    ]);
    await expect(readFile(marker, 'utf8')).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(dir, 'h1.lock'), 'utf8')).toBe(lockText(other));
  });
});

/**
 * A fake kldstat(8) and kldload(8) on PATH for the local transport: the loaded modules are lines of
 * a file, and every kldstat run is counted in another (the count is the test's, not the host's).
 */
async function fakeKld(): Promise<{ readonly runs: () => Promise<number>; readonly restore: () => void }> {
  const bin = join(dir, 'bin');
  const state = join(dir, 'kld.state');
  const runs = join(dir, 'kldstat.runs');
  await mkdir(bin);
  await writeFile(state, 'kernel\n');
  await writeFile(
    join(bin, 'kldstat'),
    `#!/bin/sh\necho run >> '${runs}'\n[ "$1" = -m ] || exit 2\nif grep -qx "$2" '${state}'; then printf 'Id  Refs Name\\n  5    1 %s\\n' "$2"; else echo "kldstat: can't find module $2: No such file or directory" >&2; exit 1; fi\n`,
    { mode: 0o755 },
  );
  await writeFile(join(bin, 'kldload'), `#!/bin/sh\necho "$1" >> '${state}'\n`, { mode: 0o755 });
  const path = process.env['PATH'];
  process.env['PATH'] = `${bin}:${path ?? ''}`;
  return {
    runs: async () => (await readFile(runs, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '').length,
    restore: () => void (process.env['PATH'] = path),
  };
}

describe('a read-only program (command: kldstat) run ahead', () => {
  let kld: Awaited<ReturnType<typeof fakeKld>>;
  beforeEach(async () => {
    kld = await fakeKld();
  });
  afterEach(() => kld.restore());

  const kldstat = (overrides: Parameters<typeof task>[2] = {}) =>
    task('command', { cmd: 'kldstat -m zfs' }, { name: 'kld check', register: 'kld', changedWhen: ['false'], failedWhen: ['false'], ...overrides });
  const around = (middle: ReturnType<typeof task>[]) => [
    play([
      task('lineinfile', { path: join(dir, 'a.conf'), line: 'a=1', create: true }, { name: 'before' }),
      ...middle,
      task('copy', { dest: join(dir, 'motd'), content: 'hi\n' }, { name: 'after' }),
      task('lineinfile', { path: join(dir, 'seen.conf'), line: 'seen=1', create: true }, { name: 'uses the result', when: ['kld.rc == 1'] }),
    ]),
  ];

  it('a no-change run is ONE command per host: the program ran in it, its result is the task’s at its turn', async () => {
    const inventory = localInventory({ h1: {}, h2: {} });
    await runPlays(around([kldstat()]), inventory);
    const before = await kld.runs();
    const counting = new CountingTransports();
    const again = await runPlays(around([kldstat()]), inventory, { transports: counting });
    for (const name of ['before', 'kld check', 'after', 'uses the result']) expect(statuses(again, name), name).toEqual({ h1: 'ok', h2: 'ok' });
    expect(Object.fromEntries(counting.runs)).toEqual({ h1: 1, h2: 1 });
    // Once per host, not again at its turn.
    expect((await kld.runs()) - before).toBe(2);
    const result = again.reporter.of('task_result').find((e) => e.task === 'kld check' && e.host === 'h1');
    expect(result).toMatchObject({ rc: 1, stdout: '', stderr: "kldstat: can't find module zfs: No such file or directory" });
    // The events keep the play's order: the task is shown at its turn, between its neighbours.
    expect(again.reporter.of('task_result').filter((e) => e.host === 'h1').map((e) => e.task)).toEqual(['before', 'kld check', 'after', 'uses the result']);
  });

  it('a change earlier in the play is seen: the program runs again after it (in the change’s own command)', async () => {
    const plays = () => around([task('command', { cmd: 'kldload zfs' }, { name: 'load' }), kldstat()]);
    const counting = new CountingTransports();
    const run = await runPlays(plays(), localInventory({ h1: {} }), { transports: counting });
    expect(statuses(run, 'load')).toEqual({ h1: 'changed' });
    expect(run.reporter.of('task_result').find((e) => e.task === 'kld check')).toMatchObject({ rc: 0, stdout: 'Id  Refs Name\n  5    1 zfs' });
    expect(statuses(run, 'uses the result')).toEqual({ h1: 'skipped' });
  });

  it('a change on another host is seen too (here both hosts are the same machine, as a jail host and its hypervisor share a kernel)', async () => {
    const plays = [play([task('command', { cmd: 'kldload zfs' }, { name: 'load on h2', when: ["inventory_hostname == 'h2'"] }), kldstat()])];
    const run = await runPlays(plays, localInventory({ h1: {}, h2: {} }));
    expect(statuses(run, 'load on h2')).toEqual({ h1: 'skipped', h2: 'changed' });
    const seen = Object.fromEntries(run.reporter.of('task_result').filter((e) => e.task === 'kld check').map((e) => [e.host, e.rc]));
    expect(seen).toEqual({ h1: 0, h2: 0 });
  });

  it('a handler that changes the host before post_tasks is seen by a post_tasks program', async () => {
    const plays = [
      play([task('lineinfile', { path: join(dir, 'a.conf'), line: 'a=1', create: true }, { name: 'before', notify: ['load zfs'] })], {
        handlers: [handler('command', { cmd: 'kldload zfs' }, 'load zfs')],
        postTasks: [kldstat()],
      }),
    ];
    const run = await runPlays(plays, localInventory({ h1: {} }));
    expect(statuses(run, 'load zfs')).toEqual({ h1: 'changed' });
    expect(run.reporter.of('task_result').find((e) => e.task === 'kld check')).toMatchObject({ rc: 0 });
  });

  it('--check runs no program ahead (nor at its turn, as Ansible)', async () => {
    const run = await runPlays([play([task('lineinfile', { path: join(dir, 'a.conf'), line: 'a=1', create: true }, { name: 'before' }), kldstat()])], localInventory({ h1: {} }), { check: true });
    expect(run.exitCode).toBe(0);
    expect(statuses(run, 'kld check')).toEqual({ h1: 'ok' });
    expect(await kld.runs()).toBe(0);
  });

  it('no_log, environment and until keep the program at its turn', async () => {
    for (const overrides of [{ noLog: true }, { environment: { LANG: 'C' } }, { until: 'kld.rc == 1', retries: 1 }] as const) {
      const inventory = localInventory({ h1: {} });
      await runPlays(around([kldstat(overrides)]), inventory);
      const counting = new CountingTransports();
      await runPlays(around([kldstat(overrides)]), inventory, { transports: counting });
      // Not in the first command: at its turn, in a command of its own (with environment:, the later reads in one more).
      expect(counting.runs.get('h1') ?? 0, JSON.stringify(overrides)).toBeGreaterThanOrEqual(2);
    }
  });

  it('the same program twice: the second task runs it again (a recorded run serves one task)', async () => {
    const inventory = localInventory({ h1: {} });
    const twice = () => around([kldstat(), kldstat({ name: 'kld again' })]);
    await runPlays(twice(), inventory);
    const before = await kld.runs();
    await runPlays(twice(), inventory);
    expect((await kld.runs()) - before).toBe(2);
  });
});
