import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRunLogger } from '../../src/log/run-logger.js';
import { play, task } from '../fixtures/runner/ast.js';
import { localInventory, runPlays, statuses } from '../fixtures/runner/harness.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-sessions-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sessions: jail, become, logging', () => {
  it('runs a jail: task through jexec on its host, the jail name rendered per host', async () => {
    const run = await runPlays([play([task('t_cmd', { cmd: 'vm list' }, { name: 'in jail', jail: '{{ jail_name }}' })])], localInventory({ h1: { jail_name: 'bhyve' } }), {
      record: true,
    });
    expect(run.transports.runs.map((r) => r.command)).toEqual([`jexec bhyve /bin/sh -c 'LC_ALL=C; export LC_ALL; vm list'`]);
    expect(run.reporter.of('task_result')[0]).toMatchObject({ status: 'changed', jail: 'bhyve' });
  });

  it('a looped task in a jail names the jail on each item, rendered with the item', async () => {
    const run = await runPlays([play([task('t_cmd', { cmd: 'vm list' }, { name: 'each jail', jail: '{{ item }}', loop: ['bhyve', 'web'] })])], localInventory({ h1: {} }), {
      record: true,
    });
    expect(run.transports.runs.map((r) => r.command.split(' ').slice(0, 2).join(' '))).toEqual(['jexec bhyve', 'jexec web']);
    expect(run.reporter.of('item_result').map((e) => [e.item, e.jail])).toEqual([
      ['bhyve', 'bhyve'],
      ['web', 'web'],
    ]);
  });

  it('become: task keyword, play keyword, and inventory variables that win over keywords', async () => {
    const run = await runPlays(
      [
        play(
          [
            task('t_cmd', { cmd: 'id' }, { name: 'play become' }),
            task('t_cmd', { cmd: 'id' }, { name: 'task off', become: false }),
            task('t_cmd', { cmd: 'id' }, { name: 'task user', becomeUser: 'operator', becomeMethod: 'su' }),
          ],
          { become: true, becomeMethod: 'doas' },
        ),
      ],
      localInventory({ h1: {}, h2: { ansible_become_method: 'sudo', ansible_become_password: 'pw' } }),
      { record: true },
    );
    const by = (host: string) => run.transports.runs.filter((r) => r.host === host).map((r) => r.options.become);
    expect(by('h1')).toEqual([{ method: 'doas', user: undefined }, undefined, { method: 'su', user: 'operator' }]);
    expect(by('h2')).toEqual([
      { method: 'sudo', user: undefined, password: 'pw' },
      undefined,
      { method: 'sudo', user: 'operator', password: 'pw' },
    ]);
  });

  it('renders a templated become_user (the value as rendered, quoted later by become.ts)', async () => {
    const run = await runPlays(
      [play([task('t_cmd', { cmd: 'id' }, { name: 'x', become: true, becomeUser: '{{ who }}' })], { vars: { who: 'operator; touch /tmp/pwned' } })],
      localInventory({ h1: {} }),
      { record: true },
    );
    expect(run.transports.runs[0]?.options.become).toEqual({ method: 'sudo', user: 'operator; touch /tmp/pwned' });
  });

  it('--ask-become-pass overrides the inventory password', async () => {
    const run = await runPlays([play([task('t_cmd', { cmd: 'id' }, { name: 'x', become: true })])], localInventory({ h1: { ansible_become_pass: 'inv' } }), {
      record: true,
      becomePassword: 'asked',
    });
    expect(run.transports.runs[0]?.options.become).toEqual({ method: 'sudo', user: undefined, password: 'asked' });
  });

  it('logs every command with host, task, duration and exit code; no_log and passwords are redacted', async () => {
    const file = join(dir, 'run.log');
    const log = createRunLogger(file);
    await runPlays(
      [
        play([
          task('t_cmd', { cmd: 'echo visible; exit 3' }, { name: 'shown', ignoreErrors: true }),
          task('t_cmd', { cmd: 'echo topsecret' }, { name: 'hidden', noLog: true }),
          task('t_cmd', { cmd: 'true' }, { name: 'with become', become: true, vars: { ansible_become_password: 'hunter2' } }),
        ]),
      ],
      localInventory({ h1: {} }),
      { logger: log.logger, becomePassword: 'hunter2' },
    ).catch(() => undefined);
    log.close();
    const text = await readFile(file, 'utf8');
    const records = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const commands = records.filter((r) => r['msg'] === 'command' || r['msg'] === 'command error');
    expect(commands[0]).toMatchObject({ host: 'h1', task: 'shown', command: 'echo visible; exit 3', exitCode: 3, stdout: 'visible\n' });
    expect(typeof commands[0]?.['durationMs']).toBe('number');
    expect(commands[1]).toMatchObject({ host: 'h1', task: 'hidden', command: '***', stdout: '***' });
    expect(text).not.toContain('topsecret');
    expect(text).not.toContain('hunter2');
  });
});

describe('failure policies', () => {
  it('any_errors_fatal stops the play for every host of the batch', async () => {
    const run = await runPlays(
      [play([task('t_cmd', { cmd: 'exit {{ code }}' }, { name: 'check' }), task('t_debug', { msg: 'x' }, { name: 'next' })], { anyErrorsFatal: true })],
      localInventory({ h1: { code: 1 }, h2: { code: 0 } }),
    );
    expect(statuses(run, 'check')).toEqual({ h1: 'failed', h2: 'changed' });
    expect(statuses(run, 'next')).toEqual({});
    expect(run.exitCode).toBe(2);
  });
});
