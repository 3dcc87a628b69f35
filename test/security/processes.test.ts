// What a run leaves running (README.md here: "another user of the controller" stopping a run,
// "a host" running what it was told): SIGTERM and SIGHUP stop a run as Ctrl-C does — recap, host
// lock released, exit 130 — and the command running on the host is killed with its children once
// the grace is over; an async job that overruns its `async:` is killed with its whole process
// group. The simulated hosts share the test's pid space, so the test sees the hosts' processes.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_INTERRUPTED } from '../../src/errors.js';
import { type JsonEvent } from '../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { waitFor } from '../helpers/wait-for.js';
import { hostLock } from '../e2e/faults/fault-fleet.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'beastie.js');
const run = promisify(execFile);

let fleet: TestFleet;
let dir: string;
/** Seconds no other test sleeps: the processes of this file are found by them. */
const markers: number[] = [];

beforeAll(async () => {
  fleet = await startFleet({ hosts: 1 });
  dir = await mkdtemp(join(tmpdir(), 'beastie-processes-'));
}, 300_000);
afterAll(async () => {
  // What a failed test left running: only this file's own sleeps, by pid.
  for (const marker of markers) for (const pid of await sleeping(marker)) process.kill(pid, 'SIGKILL');
  await fleet?.down();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** A sleep length of this test's own. */
function marker(): number {
  const value = 7_000_000 + Math.floor(Math.random() * 1_000_000);
  markers.push(value);
  return value;
}

/** Pids of `sleep SECONDS` processes (on any host: they share the pid space). */
async function sleeping(seconds: number): Promise<number[]> {
  const found = await run('pgrep', ['-f', `^sleep ${seconds}$`]).catch(() => ({ stdout: '' }));
  return found.stdout.split('\n').filter((line) => line !== '').map(Number);
}

/** Start `beastie play` on a playbook; returns the child and its exit with the JSON events. */
async function start(name: string, yaml: string, ...extra: string[]) {
  const playbook = join(dir, `${name}.yml`);
  await writeFile(playbook, yaml);
  const child = spawn(process.execPath, [bin, 'play', playbook, '-i', fleet.inventory, '--json', '--retry-file', join(dir, `${name}.retry`), ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ended = new Promise<{ code: number | null; signal: string | null; events: JsonEvent[]; stderr: string }>((resolve) =>
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stderr,
        events: stdout
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as JsonEvent),
      }),
    ),
  );
  return { child, ended };
}

describe('processes', () => {
  it.each(['SIGTERM', 'SIGHUP'] as const)('%s stops the run as Ctrl-C does and kills the command running on the host', async (signal) => {
    const seconds = marker();
    const { child, ended } = await start(
      `signal-${signal}`,
      `- hosts: all
  gather_facts: false
  tasks:
    - name: long command
      shell: "sleep ${seconds} & sleep ${seconds}"
    - name: never reached
      command: "true"
`,
      '--grace',
      '1',
    );
    // Both sleeps run (the shell's own child and its background one) and the host is locked.
    await waitFor('the command to run on the host', async () => (await sleeping(seconds)).length === 2, { timeoutMs: 60_000 });
    expect(await hostLock(fleet, fleet.hosts[0]!.name)).toBeDefined();
    child.kill(signal);
    const end = await ended;
    expect(end.signal, end.stderr).toBeNull();
    expect(end.code, end.stderr).toBe(EXIT_INTERRUPTED);
    expect(end.events.some((e) => e.event === 'warning' && String(e['msg']).startsWith(`interrupted (${signal})`))).toBe(true);
    expect(end.events.at(-1)?.event).toBe('recap');
    expect(end.events.filter((e) => e.event === 'task_result').map((e) => e['task'])).not.toContain('never reached');
    expect(await hostLock(fleet, fleet.hosts[0]!.name)).toBeUndefined();
    await waitFor('the command and its child to be gone from the host', async () => (await sleeping(seconds)).length === 0, { timeoutMs: 15_000 });
  }, 120_000);

  it('SIGTERM kills the command of an ansible_connection: local host too, with its children', async () => {
    const seconds = marker();
    const inventory = join(dir, 'local-inventory.yml');
    await writeFile(inventory, 'all:\n  hosts:\n    here:\n      ansible_connection: local\n');
    const { child, ended } = await start(
      'local-signal',
      `- hosts: here
  gather_facts: false
  tasks:
    - name: long local command
      shell: "sleep ${seconds} & sleep ${seconds}"
`,
      '--grace',
      '1',
      '-i',
      inventory,
    );
    // Each local command runs in a process group of its own, which no terminal signal reaches.
    await waitFor('the command to run on the controller', async () => (await sleeping(seconds)).length === 2, { timeoutMs: 60_000 });
    child.kill('SIGTERM');
    const end = await ended;
    expect(end.code, end.stderr).toBe(EXIT_INTERRUPTED);
    await waitFor('the command and its child to be gone from the controller', async () => (await sleeping(seconds)).length === 0, { timeoutMs: 15_000 });
  }, 120_000);

  it('a beastie killed with SIGKILL leaves no root child of a local become command running', async () => {
    // No handler runs on SIGKILL, and the command's process group of its own keeps terminal
    // signals from it: before, the become command (root, through sudo) ran on for good.
    const seconds = marker();
    const inventory = join(dir, 'local-become-inventory.yml');
    await writeFile(inventory, 'all:\n  hosts:\n    here:\n      ansible_connection: local\n');
    const { child, ended } = await start(
      'local-kill',
      `- hosts: here
  gather_facts: false
  tasks:
    - name: long local command as root
      become: true
      become_method: sudo
      shell: "sleep ${seconds} & sleep ${seconds}"
`,
      '-i',
      inventory,
    );
    await waitFor('the command to run on the controller', async () => (await sleeping(seconds)).length === 2, { timeoutMs: 60_000 });
    const owners = await run('ps', ['-o', 'user=', '-p', (await sleeping(seconds)).join(',')]);
    expect(owners.stdout.trim().split(/\s+/)).toEqual(['root', 'root']);
    child.kill('SIGKILL');
    const end = await ended;
    expect(end.signal).toBe('SIGKILL');
    await waitFor('the command and its child to be gone from the controller', async () => (await sleeping(seconds)).length === 0, { timeoutMs: 15_000 });
  }, 120_000);

  it('kills the whole process group of an async job that overruns its async: on the ssh path', async () => {
    const seconds = marker();
    const { ended } = await start(
      'async-timeout',
      `- hosts: all
  gather_facts: false
  tasks:
    - name: overrunning job
      shell: "sleep ${seconds} & sleep ${seconds}"
      async: 3
      poll: 1
`,
    );
    const end = await ended;
    const result = end.events.find((e) => e.event === 'task_result' && e['task'] === 'overrunning job');
    expect(result, end.stderr).toMatchObject({ status: 'failed' });
    expect(String(result?.['stderr'])).toMatch(/did not finish within async: 3 s and was killed/);
    await waitFor('the job and its child to be gone from the host', async () => (await sleeping(seconds)).length === 0, { timeoutMs: 15_000 });
  }, 120_000);

  it('takes the host lock again once a rebooted host is back (cleanvar emptied /var/run), and releases it at the end', async () => {
    const { ended } = await start(
      'reboot-lock',
      `- hosts: all
  gather_facts: false
  tasks:
    - name: reboot mid-run
      reboot:
        reboot_timeout: 120
    - name: read the lock
      command: cat /var/run/beastie.lock
`,
    );
    const end = await ended;
    const read = end.events.find((e) => e.event === 'task_result' && e['task'] === 'read the lock');
    expect(read, end.stderr).toMatchObject({ status: 'changed' });
    const run = /^run=(.+)$/m.exec(String(read?.['stdout']))?.[1];
    expect(run, String(read?.['stdout'])).toBeDefined();
    expect(end.code, end.stderr).toBe(0);
    expect(await hostLock(fleet, fleet.hosts[0]!.name)).toBeUndefined();
  }, 180_000);
});
