// no_log covers every path a task's text can take (README.md here: "a playbook author" writing
// no_log, "a host" dropping the connection): the JSON events, the run log and the HTML report of
// a real `beastie play` on a simulated host never hold the secret — not when the connection drops
// mid-task, not in async progress or the async job's files on the host, not when a later task
// shows a no_log task's registered result, and not when set_fact copies a password variable.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPaths } from '../../sim/infra/fleet-layout.js';
import { runBeastie, taskResults, type CliRun } from '../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { waitFor } from '../helpers/wait-for.js';

const SECRET = 'nolog-Secret-7f3a91';
const PASSWORD = 'become-Password-c4e2';

let fleet: TestFleet;
let dir: string;

beforeAll(async () => {
  fleet = await startFleet({ hosts: 1 });
  dir = await mkdtemp(join(tmpdir(), 'beastie-no-log-'));
}, 300_000);
afterAll(async () => {
  await fleet?.down();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** Run a playbook with --json, a run log and an HTML report; returns the run and the text of all three. */
async function play(name: string, yaml: string, during?: () => Promise<void>): Promise<{ run: CliRun; everything: string }> {
  const playbook = join(dir, `${name}.yml`);
  const log = join(dir, `${name}.log`);
  const report = join(dir, `${name}.html`);
  await writeFile(playbook, yaml);
  const running = runBeastie(['play', playbook, '-i', fleet.inventory, '--json', '--log-file', log, '--report', report, '--retry-file', join(dir, `${name}.retry`)], { timeoutMs: 120_000 });
  await during?.();
  const run = await running;
  const everything = [run.stdout, run.stderr, await readFile(log, 'utf8'), await readFile(report, 'utf8')].join('\n');
  return { run, everything };
}

/** Run a command on the host as root; its output. */
async function onHost(command: string): Promise<string> {
  const result = await fleet.ssh(fleet.hosts[0]!, command);
  if (result.exitCode !== 0) throw new Error(`${command}: exit ${result.exitCode}: ${result.stderr}`);
  return result.stdout;
}

/** SIGKILL every SSH session of the host (not its listener): the connection drops as a cut cable would. */
async function dropSessions(): Promise<void> {
  const listener = Number((await readFile(hostPaths(fleet.dir, fleet.hosts[0]!.name).sshdPid, 'utf8')).trim());
  const killed = spawn('/bin/sh', ['-c', `for p in $(pgrep -x sshd); do [ "$p" = ${listener} ] && continue; [ "$(readlink /proc/$p/ns/mnt)" = "$(readlink /proc/${listener}/ns/mnt)" ] && kill -KILL $p; done; true`]);
  await new Promise((resolve) => killed.on('close', resolve));
}

describe('no_log', () => {
  it('hides the task when the connection drops under it: nothing of it in events, the run log or the report', async () => {
    await onHost('rm -f /etc/nolog-started');
    const { run, everything } = await play(
      'dropped',
      `- hosts: all
  gather_facts: false
  vars:
    secret: ${SECRET}
  tasks:
    - name: secret work
      shell: "echo {{ secret }} > /dev/null; touch /etc/nolog-started; sleep 60"
      no_log: true
`,
      async () => {
        await waitFor('the no_log task to start', async () => (await fleet.ssh(fleet.hosts[0]!, 'test -f /etc/nolog-started')).exitCode === 0, { timeoutMs: 60_000 });
        await dropSessions();
      },
    );
    // The drop happened mid-task (the test exercised it) and the operator still learns why.
    expect(taskResults(run).map((e) => [e['task'], e['status']])).toEqual([['secret work', 'unreachable']]);
    expect(run.events.find((e) => e.event === 'host_unreachable')).toMatchObject({ reason: 'connection-lost' });
    expect(everything).not.toContain(SECRET);
  }, 120_000);

  it('hides async output in progress events, keeps the job log 0600 in a 0700 directory, and removes it once collected', async () => {
    let modes = '';
    const { run, everything } = await play(
      'async',
      `- hosts: all
  gather_facts: false
  vars:
    secret: ${SECRET}
  tasks:
    - name: secret job
      shell: "echo {{ secret }}; touch /etc/nolog-async; for i in 1 2 3 4; do echo {{ secret }} $i; sleep 1; done"
      async: 60
      poll: 1
      no_log: true
`,
      async () => {
        modes = await waitFor('the async job to write its log', async () => {
          const seen = await fleet.ssh(fleet.hosts[0]!, 'test -f /etc/nolog-async && stat -c "%a %n" /var/db/beastie/async/*/log /var/db/beastie/async/*/');
          return seen.exitCode === 0 ? seen.stdout : undefined;
        }, { timeoutMs: 60_000 });
      },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect(modes).toMatch(/^600 \/var\/db\/beastie\/async\/[0-9a-f]{16}\/log\n700 \/var\/db\/beastie\/async\/[0-9a-f]{16}\/\n$/);
    expect(run.events.filter((e) => e.event === 'task_progress').length).toBeGreaterThan(1);
    expect(everything).not.toContain(SECRET);
    expect(await onHost('ls -A /var/db/beastie/async')).toBe('');
  }, 120_000);

  it('censors a no_log result shown by a later task, and a password variable copied by set_fact, by value', async () => {
    const { run, everything } = await play(
      'copies',
      `- hosts: all
  gather_facts: false
  vars:
    ansible_become_password: ${PASSWORD}
  tasks:
    - name: read the secret
      command: echo ${SECRET}
      register: found
      no_log: true
    - name: show it
      debug:
        var: found.stdout
    - name: copy the password
      set_fact:
        copied: "{{ ansible_become_password }}"
    - name: use the copy
      command: echo "token {{ copied }} and {{ found.stdout }}"
`,
    );
    expect(run.exitCode, run.stderr).toBe(0);
    // The tasks ran with the real values; only what is shown is censored.
    expect(taskResults(run).find((e) => e['task'] === 'use the copy')).toMatchObject({ stdout: 'token *** and ***' });
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(PASSWORD);
  }, 120_000);
});
