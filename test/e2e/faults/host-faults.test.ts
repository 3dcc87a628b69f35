// Faults of one host on a 2-host fleet: a slow reboot and one that never comes back, a host key
// that changed across the reboot, a hanging command (timeout:), megabytes of output, a full disk
// on upload, and a host locked by another live run. Each checks every host's state afterwards.
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPaths } from '../../../sim/infra/fleet-layout.js';
import { readHolderRecord } from '../../../sim/infra/holder.js';
import { EXIT_OK, EXIT_TASK_FAILED, EXIT_UNREACHABLE } from '../../../src/errors.js';
import { recapOf, runBeastie, taskResults, type CliRun } from '../../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../../helpers/fleet.js';
import { waitFor } from '../../helpers/wait-for.js';
import { hostDir, hostFile, hostLock, hostProcesses, lockPath, powerCycle } from './fault-fleet.js';

const explain = (run: CliRun) => `exit ${run.exitCode}\n${run.stderr}\n${run.stdout.slice(-4000)}`;

describe('faults of one host', () => {
  let fleet: TestFleet;
  let work: string;
  const play = (playbook: string, ...extra: string[]) =>
    runBeastie(['play', `test/e2e/faults/fixtures/${playbook}`, '-i', fleet.inventory, '--json', '--retry-file', join(work, 'faults.retry'), '--log-file', join(work, 'run.log'), ...extra], {
      timeoutMs: 300_000,
    });
  const boottime = async (host: string) => hostFile(fleet, host, '/var/sim/run/boottime');

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'beastie-host-faults-'));
    // Every reboot keeps the host down 5 s: slow enough to need the waiting, quick enough for a test.
    fleet = await startFleet({ hosts: 2, profile: 'current', rebootDownSeconds: 5 });
  }, 300_000);
  afterAll(async () => {
    await fleet?.down();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('one host comes back slowly, the other never: the slow one succeeds, the hung one fails alone', async () => {
    const before = { sim01: await boottime('sim01'), sim02: await boottime('sim02') };
    await writeFile(await fleet.hostPath('sim02', '/var/sim/control/hang-kernels'), 'kernel\n');
    const started = Date.now();
    const run = await play('reboot.yml', '-e', '{"reboot_timeout": 20}');
    expect(run.exitCode, explain(run)).toBe(EXIT_TASK_FAILED);
    expect(recapOf(run)['sim01']).toMatchObject({ changed: 2, failed: 0 });
    expect(await boottime('sim01')).not.toBe(before.sim01);
    expect(await hostFile(fleet, 'sim01', '/etc/rebooted')).toBe('back\n');
    const failed = taskResults(run, 'sim02').find((e) => e['status'] === 'failed');
    expect(failed?.['task']).toBe('reboot');
    expect(String(failed?.['msg'])).toMatch(/^the host did not come back rebooted within 20 s/);
    expect(await hostFile(fleet, 'sim02', '/etc/rebooted')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(60_000);
    // The hung host, once its console is fixed, is still in the retry file.
    expect(await readFile(join(work, 'faults.retry'), 'utf8')).toBe('sim02\n');
    await rm(await fleet.hostPath('sim02', '/var/sim/control/hang-kernels'));
    await powerCycle(fleet, 'sim02');
    // The run could not release the lock of the host that stayed down, but the boot that brought
    // it back emptied /var/run (rc.d/cleanvar, docs/freebsd/host.md): the retry finds no lock to
    // take over and needs no --break-stale-locks.
    expect(await hostLock(fleet, 'sim02')).toBeUndefined();
    const retry = await play('reboot.yml', '--limit', `@${join(work, 'faults.retry')}`);
    expect(retry.exitCode, explain(retry)).toBe(EXIT_OK);
    expect(retry.events.some((e) => e.event === 'warning' && e['host'] === 'sim02' && /stale host lock/.test(String(e['msg'])))).toBe(false);
    expect(await hostFile(fleet, 'sim02', '/etc/rebooted')).toBe('back\n');
    expect(await hostLock(fleet, 'sim02')).toBeUndefined();
  }, 300_000);

  it('a host key that changed across the reboot is refused, with the reason', async () => {
    const keyFile = hostPaths(fleet.dir, 'sim01').hostKey;
    const saved = join(work, 'saved_host_key');
    await copyFile(keyFile, saved);
    const fresh = join(work, 'new_host_key');
    const keygen = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', fresh]);
    expect(keygen.status, String(keygen.stderr)).toBe(0);
    await rm(await fleet.hostPath('sim01', '/etc/rebooted'), { force: true });
    try {
      const run = await play('hostkey.yml', '--limit', 'sim01', '-e', JSON.stringify({ new_host_key: fresh, host_key_file: keyFile }));
      expect(run.exitCode, explain(run)).toBe(EXIT_TASK_FAILED);
      const failed = taskResults(run, 'sim01').find((e) => e['status'] === 'failed');
      expect(failed?.['task']).toBe('reboot');
      expect(String(failed?.['msg'])).toMatch(/^the host came back with a different host key, so it was refused: .*REMOTE HOST IDENTIFICATION HAS CHANGED!/s);
      // Refused as soon as the host answers, not after reboot_timeout (15 s).
      expect(Number(failed?.['durationMs'])).toBeLessThan(14_000);
      expect(await hostFile(fleet, 'sim01', '/etc/rebooted')).toBeUndefined();
      // The run could not reach the host again to release its lock: the next run sees it stale.
      expect(await hostLock(fleet, 'sim01')).toMatch(/^owner=.*\npid=\d+\n/);
    } finally {
      await copyFile(saved, keyFile);
      await rm(lockPath(fleet, 'sim01'), { force: true });
      // sshd loaded the new key when it started after the reboot: start it again with the old one.
      await powerCycle(fleet, 'sim01');
    }
  }, 300_000);

  it('a hanging command is killed by timeout:, megabytes of output are capped (the log has them all)', async () => {
    const upload = join(work, 'upload.bin');
    await writeFile(upload, 'z'.repeat(1000));
    const started = Date.now();
    const run = await play('commands.yml', '-e', JSON.stringify({ upload_src: upload }));
    expect(run.exitCode, explain(run)).toBe(EXIT_OK);
    expect(Date.now() - started).toBeLessThan(60_000);
    for (const host of ['sim01', 'sim02']) {
      const hang = taskResults(run, host).find((e) => e['task'] === 'hangs');
      expect(hang, host).toMatchObject({ status: 'failed', ignored: true });
      expect(String(hang?.['msg'])).toMatch(/timeout/);
      // timeout(1) on the host kills the command's process group a second after the task gave up.
      await waitFor(`${host}: the hanging command to be killed`, async () => (await hostProcesses(fleet, host, 'sleep 300')).length === 0, { timeoutMs: 5_000, intervalMs: 100 });
      const big = taskResults(run, host).find((e) => e['task'] === 'prints megabytes');
      const stdout = String(big?.['stdout']);
      expect(stdout.startsWith('x'.repeat(1024 * 1024))).toBe(true);
      expect(stdout).toMatch(/\[beastie: output truncated: only the first 1048576 bytes are kept in memory, 3951424 more were dropped; the run log \(--log-file\) has all of it\]$/);
      expect(await hostFile(fleet, host, '/etc/upload.bin')).toBe('z'.repeat(1000));
    }
    // The log holds every byte of the big output, as `output` records of that task.
    const records = (await readFile(join(work, 'run.log'), 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; host?: string; task?: string; stream?: string; text?: string });
    const logged = records.filter((r) => r.msg === 'output' && r.host === 'sim01' && r.task === 'prints megabytes' && r.stream === 'stdout');
    expect(logged.reduce((sum, r) => sum + (r.text?.length ?? 0), 0)).toBe(5_000_000);
  }, 300_000);

  it('a full disk on upload: a clear error, the old file intact, no temporary file left', async () => {
    const holder = await readHolderRecord(hostPaths(fleet.dir, 'sim02').holder);
    if (!holder) throw new Error('sim02 has no holder');
    const mount = (args: string[]) => spawnSync('nsenter', ['--target', String(holder.pid), '--mount', ...args], { encoding: 'utf8' });
    const mkdir = await fleet.ssh('sim02', 'mkdir -p /var/small');
    expect(mkdir.exitCode).toBe(0);
    // A 256 KiB tmpfs inside sim02's own mount namespace: a small filesystem on that host only.
    expect(mount(['mount', '-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', '/var/small']).status).toBe(0);
    try {
      expect((await fleet.ssh('sim02', 'printf "old\\n" > /var/small/conf.bin')).exitCode).toBe(0);
      expect((await fleet.ssh('sim01', 'mkdir -p /var/small && printf "old\\n" > /var/small/conf.bin')).exitCode).toBe(0);
      const upload = join(work, 'conf.bin');
      await writeFile(upload, Buffer.alloc(1024 * 1024, 'c'));
      const run = await play('commands.yml', '-e', JSON.stringify({ upload_src: upload, upload_dest: '/var/small/conf.bin' }));
      expect(run.exitCode, explain(run)).toBe(EXIT_TASK_FAILED);
      const failed = taskResults(run, 'sim02').find((e) => e['status'] === 'failed' && e['task'] === 'upload');
      expect(String(failed?.['msg'])).toMatch(/cannot write \/var\/small\/conf\.bin: the filesystem \/var\/small is full \(\d+ KiB free, the file needs 1024 KiB\); \/var\/small\/conf\.bin was left as it was/);
      expect(String(failed?.['msg'])).toContain('free space on /var/small on the host');
      expect(await hostFile(fleet, 'sim02', '/var/small/conf.bin')).toBe('old\n');
      expect(await hostDir(fleet, 'sim02', '/var/small')).toEqual(['conf.bin']);
      expect((await readFile(await fleet.hostPath('sim01', '/var/small/conf.bin'))).length).toBe(1024 * 1024);
      expect(recapOf(run)['sim01']?.failed).toBe(0);
    } finally {
      mount(['umount', '/var/small']);
    }
  }, 300_000);

  it('a host locked by another live run is refused, saying by whom; the other host runs', async () => {
    // A live run: this test process itself, on this controller.
    const lock = `owner=someone\npid=${process.pid}\ncontroller=${hostname()}\nstarted=2026-01-01T00:00:00.000Z\nrun=other-run\n`;
    await writeFile(lockPath(fleet, 'sim01'), lock);
    const upload = join(work, 'upload.bin');
    try {
      const run = await play('commands.yml', '--break-stale-locks', '-e', JSON.stringify({ upload_src: upload }));
      expect(run.exitCode, explain(run)).toBe(EXIT_UNREACHABLE);
      const refused = run.events.find((e) => e.event === 'host_unreachable');
      expect(refused).toMatchObject({ host: 'sim01', reason: 'host-locked' });
      expect(String(refused?.['msg'])).toContain(`/var/run/beastie.lock is held by another run: someone (pid ${process.pid} on ${hostname()}, since 2026-01-01T00:00:00.000Z)`);
      expect(taskResults(run, 'sim01')).toHaveLength(1);
      expect(await hostLock(fleet, 'sim01')).toBe(lock);
      expect(recapOf(run)['sim02']).toMatchObject({ failed: 0, unreachable: 0 });
      expect(await hostLock(fleet, 'sim02')).toBeUndefined();
    } finally {
      await rm(lockPath(fleet, 'sim01'), { force: true });
    }
  }, 300_000);
});
