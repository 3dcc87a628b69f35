import { existsSync } from 'node:fs';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { block, handler, include, meta, play, task } from '../fixtures/runner/ast.js';
import { localInventory, runPlays, statuses } from '../fixtures/runner/harness.js';
import { waitFor } from '../helpers/wait-for.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-run-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const two = () => localInventory({ h1: { who: 'one' }, h2: { who: 'two' } });

describe('runPlaybook: variables, register, when, loop', () => {
  it('registers a result and uses it in a later when and template, per host', async () => {
    const out = join(dir, 'out');
    const run = await runPlays(
      [
        play([
          task('t_cmd', { cmd: 'echo {{ who }}' }, { name: 'echo', register: 'said' }),
          task('t_cmd', { cmd: `echo {{ said.stdout }} >> ${out}` }, { name: 'append', when: ["said.stdout == 'one'"] }),
        ]),
      ],
      two(),
    );
    expect(statuses(run, 'echo')).toEqual({ h1: 'changed', h2: 'changed' });
    expect(statuses(run, 'append')).toEqual({ h1: 'changed', h2: 'skipped' });
    expect(await readFile(out, 'utf8')).toBe('one\n');
    expect(run.exitCode).toBe(0);
    expect(run.recap["h2"]).toMatchObject({ ok: 1, changed: 1, skipped: 1 });
  });

  it('loops with loop_control, registers results: [...] and emits one item_result per item', async () => {
    const run = await runPlays(
      [
        play([
          task('t_cmd', { cmd: 'echo {{ n }}-{{ i }}' }, { name: 'each', loop: ['a', 'b', 'c'], loopControl: { loopVar: 'n', indexVar: 'i' }, register: 'r', when: ["n != 'b'"] }),
          task('t_debug', { msg: '{{ r.results }}' }, { name: 'show' }),
        ]),
      ],
      localInventory({ h1: {} }),
    );
    expect(run.reporter.of('item_result').map((e) => [e.item, e.status])).toEqual([
      ['a', 'changed'],
      ['b', 'skipped'],
      ['c', 'changed'],
    ]);
    const shown = run.reporter.of('task_result').find((e) => e.task === 'show');
    const results = (shown?.values?.['msg'] ?? []) as { item: string; stdout?: string; skipped?: boolean }[];
    expect(results.map((r) => [r.item, r.stdout ?? 'skipped'])).toEqual([
      ['a', 'a-0'],
      ['b', 'skipped'],
      ['c', 'c-2'],
    ]);
    expect(run.recap['h1']).toMatchObject({ ok: 2, changed: 1 });
  });

  it('follows precedence: extra vars over set_fact over task vars over play vars over inventory', async () => {
    const run = await runPlays(
      [
        play(
          [
            task('t_debug', { msg: '{{ a }} {{ b }} {{ c }} {{ d }}' }, { name: 'before', vars: { c: 'task' } }),
            task('t_set', { c: 'fact', d: 'fact' }, { name: 'set' }),
            task('t_debug', { msg: '{{ a }} {{ b }} {{ c }} {{ d }}' }, { name: 'after', vars: { c: 'task' } }),
          ],
          { vars: { a: 'play', b: 'play', c: 'play', d: 'play', derived: '{{ a }}!' } },
        ),
      ],
      localInventory({ h1: { a: 'inventory', b: 'inventory' } }),
      { extraVars: { d: 'extra' } },
    );
    const msg = (task: string) => run.reporter.of('task_result').find((e) => e.task === task)?.values?.['msg'];
    expect(msg('before')).toBe('play play task extra');
    expect(msg('after')).toBe('play play fact extra');
  });

  it('renders templated variables lazily against the host using them', async () => {
    const run = await runPlays(
      [play([task('t_debug', { msg: '{{ greeting }}' }, { name: 'greet' })], { vars: { greeting: 'hello {{ who }}' } })],
      two(),
    );
    const msgs = run.reporter.of('task_result').map((e) => [e.host, e.values?.['msg']]).sort();
    expect(msgs).toEqual([
      ['h1', 'hello one'],
      ['h2', 'hello two'],
    ]);
  });

  it('never renders what a host printed as a template (registered output is data)', async () => {
    const run = await runPlays(
      [
        play([
          task('t_cmd', { cmd: `printf '%s' '{{ "{{ 7 * 7 }}" }}'` }, { name: 'print', register: 'r' }),
          task('t_debug', { msg: '{{ r.stdout }}' }, { name: 'show' }),
        ]),
      ],
      localInventory({ h1: {} }),
    );
    expect(run.reporter.of('task_result').find((e) => e.task === 'show')?.values?.['msg']).toBe('{{ 7 * 7 }}');
  });

  it('fails the task (not the run) on an undefined variable, naming it and the task position', async () => {
    const t = task('t_debug', { msg: '{{ nope }}' }, { name: 'undefined' });
    const run = await runPlays([play([t])], localInventory({ h1: {} }));
    const result = run.reporter.of('task_result')[0];
    expect(result?.status).toBe('failed');
    expect(result?.msg).toContain('nope');
    expect(result?.msg).toContain(`site.yml:${t.paramsSource.line}`);
    expect(run.exitCode).toBe(2);
  });
});

describe('runPlaybook: changed_when, failed_when, ignore_errors, until', () => {
  it('applies changed_when and failed_when to the registered result', async () => {
    const run = await runPlays(
      [
        play([
          task('t_cmd', { cmd: 'echo ok' }, { name: 'quiet', register: 'r', changedWhen: ['false'] }),
          task('t_cmd', { cmd: 'exit 3' }, { name: 'tolerated', register: 'r2', failedWhen: ['r2.rc not in [0, 3]'] }),
          task('t_cmd', { cmd: 'echo bad' }, { name: 'judged', register: 'r3', failedWhen: ["'bad' in r3.stdout"], ignoreErrors: true }),
        ]),
      ],
      localInventory({ h1: {} }),
    );
    expect(statuses(run, 'quiet')).toEqual({ h1: 'ok' });
    // The command ran (changed, as Ansible's command reports) and failed_when accepted rc 3.
    expect(statuses(run, 'tolerated')).toEqual({ h1: 'changed' });
    expect(statuses(run, 'judged')).toEqual({ h1: 'failed' });
    expect(run.recap['h1']).toMatchObject({ ok: 3, changed: 1, ignored: 1, failed: 0 });
    expect(run.exitCode).toBe(0);
  });

  it('--check does not judge changed_when/failed_when on a command it did not run (as Ansible)', async () => {
    const marker = join(dir, 'never-written');
    const run = await runPlays(
      [play([task('t_cmd', { cmd: `echo copied > ${marker}` }, { name: 'copy', register: 'c', changedWhen: ['c.stdout != ""'], failedWhen: ['c.rc != 0'] })])],
      localInventory({ h1: {} }),
      { check: true },
    );
    expect(statuses(run, 'copy')).toEqual({ h1: 'changed' });
    expect(run.exitCode).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it('--check judges changed_when when it needs no output of the run: changed_when: false holds', async () => {
    const marker = join(dir, 'never-written-either');
    const run = await runPlays(
      [
        play([
          task('t_cmd', { cmd: `echo read > ${marker}` }, { name: 'read only', register: 'r', changedWhen: ['false'] }),
          task('t_cmd', { cmd: `echo read > ${marker}` }, { name: 'by a flag', changedWhen: ['would_change'] }),
          task('t_debug', { msg: '{{ r.changed }}' }, { name: 'registered' }),
        ], { vars: { would_change: true } }),
      ],
      localInventory({ h1: {} }),
      { check: true },
    );
    expect(statuses(run, 'read only')).toEqual({ h1: 'ok' });
    expect(statuses(run, 'by a flag')).toEqual({ h1: 'changed' });
    expect(run.reporter.of('task_result').find((e) => e.task === 'registered')?.values?.['msg']).toBe(false);
    expect(run.recap['h1']).toMatchObject({ ok: 3, changed: 1 });
    expect(existsSync(marker)).toBe(false);
  });

  it('retries until the condition holds, counting attempts', async () => {
    const counter = join(dir, 'count');
    const run = await runPlays(
      [
        play([
          task('t_cmd', { cmd: `echo x >> ${counter}; wc -l < ${counter}` }, { name: 'poll', register: 'r', until: 'r.stdout | int >= 3', retries: 5, delaySeconds: 0 }),
          task('t_debug', { msg: '{{ r.attempts }}' }, { name: 'attempts' }),
        ]),
      ],
      localInventory({ h1: {} }),
    );
    expect(statuses(run, 'poll')).toEqual({ h1: 'changed' });
    expect(run.reporter.of('task_result').find((e) => e.task === 'attempts')?.values?.['msg']).toBe(3);
    expect(run.reporter.of('task_progress').length).toBe(2);
  });

  it('fails when retries run out', async () => {
    const run = await runPlays([play([task('t_cmd', { cmd: 'echo 1' }, { name: 'never', register: 'r', until: "r.stdout == 'x'", retries: 1 })])], localInventory({ h1: {} }));
    const result = run.reporter.of('task_result')[0];
    expect(result?.status).toBe('failed');
    expect(result?.msg).toMatch(/retries exhausted.*2 attempts/);
  });

  it('fails a task that outlives its timeout', async () => {
    const started = Date.now();
    const run = await runPlays([play([task('t_cmd', { cmd: 'sleep 5' }, { name: 'slow', timeoutSeconds: 0.3 })])], localInventory({ h1: {} }));
    expect(run.reporter.of('task_result')[0]?.msg).toMatch(/timeout of 0.3 s/);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('runPlaybook: handlers', () => {
  it('runs a notified handler once at the end, only on hosts that notified it, by name or listen', async () => {
    const log = join(dir, 'handlers');
    const run = await runPlays(
      [
        play(
          [
            task('t_cmd', { cmd: 'true' }, { name: 'change', notify: ['restart'], when: ["inventory_hostname == 'h1'"] }),
            task('t_cmd', { cmd: 'true' }, { name: 'change again', notify: ['restart', 'topic'], when: ["inventory_hostname == 'h1'"] }),
            task('t_debug', { msg: 'last' }, { name: 'last task' }),
          ],
          {
            handlers: [
              handler('t_cmd', { cmd: `echo restart-{{ inventory_hostname }} >> ${log}` }, 'restart'),
              handler('t_cmd', { cmd: `echo listener-{{ inventory_hostname }} >> ${log}` }, 'on topic', ['topic']),
              handler('t_cmd', { cmd: `echo never >> ${log}` }, 'unused'),
            ],
          },
        ),
      ],
      two(),
    );
    expect(await readFile(log, 'utf8')).toBe('restart-h1\nlistener-h1\n');
    const order = run.reporter.of('task_start').map((e) => e.task);
    expect(order).toEqual(['change', 'change again', 'last task', 'restart', 'on topic']);
    expect(run.reporter.of('task_start').filter((e) => e.handler).every((e) => e.hosts.join() === 'h1')).toBe(true);
  });

  it('flushes handlers at meta: flush_handlers and does not run them again', async () => {
    const log = join(dir, 'h');
    await runPlays(
      [
        play(
          [
            task('t_cmd', { cmd: 'true' }, { name: 'change', notify: ['note'] }),
            meta('flush_handlers'),
            task('t_cmd', { cmd: `echo after >> ${log}` }, { name: 'after' }),
          ],
          { handlers: [handler('t_cmd', { cmd: `echo handler >> ${log}` }, 'note')] },
        ),
      ],
      localInventory({ h1: {} }),
    );
    expect(await readFile(log, 'utf8')).toBe('handler\nafter\n');
  });

  it('runs a meta task as a handler, under its RUNNING HANDLER header, on the hosts that notified it', async () => {
    const log = join(dir, 'after');
    const run = await runPlays(
      [
        play(
          [
            task('t_cmd', { cmd: 'true' }, { name: 'change', notify: ['stop here'], when: ["inventory_hostname == 'h1'"] }),
            meta('flush_handlers'),
            task('t_cmd', { cmd: `echo {{ inventory_hostname }} >> ${log}` }, { name: 'after' }),
          ],
          { handlers: [{ ...meta('end_host', { name: 'stop here' }), listen: [] }] },
        ),
      ],
      two(),
    );
    expect(await readFile(log, 'utf8')).toBe('h2\n');
    expect(run.reporter.of('task_start').filter((e) => e.handler).map((e) => [e.task, e.hosts.join()])).toEqual([['stop here', 'h1']]);
    expect(run.exitCode).toBe(0);
  });

  it('does not notify from an unchanged task', async () => {
    const path = join(dir, 'f');
    await writeFile(path, 'same');
    const run = await runPlays(
      [play([task('t_file', { path, text: 'same' }, { name: 'same', notify: ['h'] })], { handlers: [handler('t_debug', { msg: 'x' }, 'h')] })],
      localInventory({ h1: {} }),
    );
    expect(run.reporter.of('handler_notified')).toHaveLength(0);
  });
});

describe('runPlaybook: blocks', () => {
  it('runs rescue for the host that failed and always for both; rescued is not failed', async () => {
    const run = await runPlays(
      [
        play([
          block([task('t_cmd', { cmd: "test {{ inventory_hostname }} = h1 && exit 1 || true" }, { name: 'maybe fail' }), task('t_debug', { msg: 'x' }, { name: 'after fail' })], {
            rescue: [task('t_debug', { msg: 'rescued' }, { name: 'rescue' })],
            always: [task('t_debug', { msg: 'always' }, { name: 'always' })],
          }),
          task('t_debug', { msg: 'next' }, { name: 'next' }),
        ]),
      ],
      two(),
    );
    expect(statuses(run, 'maybe fail')).toEqual({ h1: 'failed', h2: 'changed' });
    expect(statuses(run, 'after fail')).toEqual({ h2: 'ok' });
    expect(statuses(run, 'rescue')).toEqual({ h1: 'ok' });
    expect(statuses(run, 'always')).toEqual({ h1: 'ok', h2: 'ok' });
    expect(statuses(run, 'next')).toEqual({ h1: 'ok', h2: 'ok' });
    expect(run.recap['h1']).toMatchObject({ failed: 0, rescued: 1 });
    expect(run.exitCode).toBe(0);
  });

  it('gives rescue ansible_failed_task and ansible_failed_result', async () => {
    const run = await runPlays(
      [play([block([task('t_fail', { msg: 'disk full' }, { name: 'write' })], { rescue: [task('t_debug', { msg: '{{ ansible_failed_task.name }}: {{ ansible_failed_result.msg }}' }, { name: 'explain' })] })])],
      localInventory({ h1: {} }),
    );
    expect(run.reporter.of('task_result').find((e) => e.task === 'explain')?.values?.['msg']).toBe('write: disk full');
  });

  it('runs always on a failed host without rescue, and the host then leaves the play', async () => {
    const run = await runPlays(
      [play([block([task('t_fail', {}, { name: 'boom' })], { always: [task('t_debug', { msg: 'a' }, { name: 'cleanup' })] }), task('t_debug', { msg: 'n' }, { name: 'next' })])],
      localInventory({ h1: {} }),
    );
    expect(statuses(run, 'cleanup')).toEqual({ h1: 'ok' });
    expect(statuses(run, 'next')).toEqual({});
    expect(run.exitCode).toBe(2);
  });

  it("passes a block's when and vars down to its tasks", async () => {
    const run = await runPlays(
      [play([block([task('t_debug', { msg: '{{ v }}' }, { name: 'inner' })], { when: ["inventory_hostname == 'h2'"], vars: { v: 'block var' } })])],
      two(),
    );
    expect(statuses(run, 'inner')).toEqual({ h1: 'skipped', h2: 'ok' });
    expect(run.reporter.of('task_result').find((e) => e.host === 'h2')?.values?.['msg']).toBe('block var');
  });
});

describe('runPlaybook: tags, check, start-at-task, run_once, include_tasks', () => {
  const tagged = () => [
    task('t_debug', { msg: 'a' }, { name: 'a', tags: ['one'] }),
    task('t_debug', { msg: 'b' }, { name: 'b', tags: ['two'] }),
    task('t_debug', { msg: 'c' }, { name: 'c', tags: ['always'] }),
    task('t_debug', { msg: 'd' }, { name: 'd', tags: ['never', 'debug'] }),
    task('t_debug', { msg: 'e' }, { name: 'e' }),
  ];
  const ran = async (tags: { only: string[]; skip: string[] }) =>
    (await runPlays([play(tagged())], localInventory({ h1: {} }), { tags })).reporter.of('task_start').map((e) => e.task);

  it('selects tasks by --tags and --skip-tags with always and never as Ansible', async () => {
    expect(await ran({ only: [], skip: [] })).toEqual(['a', 'b', 'c', 'e']);
    expect(await ran({ only: ['one'], skip: [] })).toEqual(['a', 'c']);
    expect(await ran({ only: ['debug'], skip: [] })).toEqual(['c', 'd']);
    expect(await ran({ only: [], skip: ['two', 'always'] })).toEqual(['a', 'e']);
    expect(await ran({ only: ['untagged'], skip: [] })).toEqual(['c', 'e']);
  });

  it('--check reports the change and writes nothing', async () => {
    const path = join(dir, 'f');
    const run = await runPlays([play([task('t_file', { path, text: 'new' }, { name: 'write' })])], localInventory({ h1: {} }), { check: true });
    expect(statuses(run, 'write')).toEqual({ h1: 'changed' });
    await expect(readFile(path, 'utf8')).rejects.toThrow();
    expect(run.reporter.of('task_result')[0]?.diff).toEqual([{ header: path, before: '', after: 'new' }]);
  });

  it('--start-at-task skips the tasks before the named one', async () => {
    const run = await runPlays([play(tagged())], localInventory({ h1: {} }), { startAtTask: 'b' });
    expect(run.reporter.of('task_start').map((e) => e.task)).toEqual(['b', 'c', 'e']);
  });

  it('run_once runs on the first host and registers the result on all', async () => {
    const run = await runPlays(
      [play([task('t_cmd', { cmd: 'echo {{ inventory_hostname }}' }, { name: 'once', runOnce: true, register: 'r' }), task('t_debug', { msg: '{{ r.stdout }}' }, { name: 'seen' })])],
      two(),
    );
    expect(statuses(run, 'once')).toEqual({ h1: 'changed' });
    expect(run.reporter.of('task_result').filter((e) => e.task === 'seen').map((e) => e.values?.['msg'])).toEqual(['h1', 'h1']);
  });

  it('include_tasks renders its file per host and passes tags of blocks', async () => {
    const run = await runPlays(
      [play([include('{{ who }}.yml', { vars: { extra: 'x' } })])],
      two(),
      {
        includes: {
          'one.yml': [task('t_debug', { msg: 'one {{ extra }}' }, { name: 'from one' })],
          'two.yml': [task('t_debug', { msg: 'two {{ extra }}' }, { name: 'from two' })],
        },
      },
    );
    expect(statuses(run, 'from one')).toEqual({ h1: 'ok' });
    expect(statuses(run, 'from two')).toEqual({ h2: 'ok' });
    expect(run.reporter.of('task_result').filter((e) => e.module === 't_debug').map((e) => e.values?.['msg'])).toEqual(['one x', 'two x']);
    // The include itself is a result per host, counted ok, as ansible-playbook shows `included: FILE for HOST`.
    expect(run.reporter.of('task_result').filter((e) => e.module === 'include_tasks').map((e) => [e.host, e.status, e.msg])).toEqual([
      ['h1', 'ok', 'one.yml'],
      ['h2', 'ok', 'two.yml'],
    ]);
    expect(run.recap['h1']).toMatchObject({ ok: 2 });
  });

  it('delegate_to: localhost runs on the controller with the host variables', async () => {
    const run = await runPlays([play([task('t_cmd', { cmd: 'echo {{ who }}' }, { name: 'local', delegateTo: 'localhost', register: 'r' })])], two());
    expect(run.reporter.of('task_result').map((e) => [e.host, e.delegatedTo, e.stdout]).sort()).toEqual([
      ['h1', 'localhost', 'one'],
      ['h2', 'localhost', 'two'],
    ]);
  });

  it("delegate_to any inventory host: its own connection, this host's variables; delegate_facts; an unknown name fails the task", async () => {
    const inventory = localInventory({ h1: { who: 'one' }, h2: { who: 'two' }, db1: { ansible_connection: 'ssh', ansible_host: '10.0.0.9' } });
    const run = await runPlays(
      [
        play(
          [
            task('t_cmd', { cmd: 'echo {{ who }}' }, { name: 'delegated', delegateTo: '{{ target }}' }),
            task('t_set', { seen: '{{ inventory_hostname }}' }, { name: 'facts', delegateTo: 'db1', delegateFacts: true, when: ["inventory_hostname == 'h1'"] }),
            task('t_set', { own: 'yes' }, { name: 'own facts', delegateTo: 'db1', when: ["inventory_hostname == 'h1'"] }),
            task('t_debug', { msg: "{{ hostvars['db1'].seen }} {{ seen | default('not here') }} {{ own }} {{ hostvars['db1'].own | default('not there') }}" }, { name: 'show', when: ["inventory_hostname == 'h1'"] }),
            task('t_cmd', { cmd: 'true' }, { name: 'nowhere', delegateTo: 'nope', when: ["inventory_hostname == 'h1'"] }),
          ],
          { hosts: 'h1:h2', vars: { target: 'db1' } },
        ),
      ],
      inventory,
      { record: true },
    );
    const delegated = run.transports.runs.filter((r) => r.command.includes('echo'));
    expect(delegated.map((r) => [r.host, r.command.match(/echo (\w+)/)?.[1]]).sort()).toEqual([
      ['db1', 'one'],
      ['db1', 'two'],
    ]);
    // db1 is outside the play: opened once, on first use, for both hosts' delegated tasks.
    expect(run.transports.opened.filter((name) => name === 'db1')).toEqual(['db1']);
    expect(run.reporter.of('task_result').filter((e) => e.task === 'delegated').map((e) => [e.host, e.delegatedTo]).sort()).toEqual([
      ['h1', 'db1'],
      ['h2', 'db1'],
    ]);
    expect(run.reporter.of('task_result').find((e) => e.task === 'show' && e.host === 'h1')?.values?.['msg']).toBe('h1 not here yes not there');
    const nowhere = run.reporter.of('task_result').find((e) => e.task === 'nowhere' && e.host === 'h1');
    expect(nowhere?.status).toBe('failed');
    expect(nowhere?.msg).toMatch(/^site\.yml:\d+:\d+: delegate_to: 'nope' is not a host of the inventory/);
  });

  it('no_log hides the output in events', async () => {
    const run = await runPlays([play([task('t_cmd', { cmd: 'echo secret' }, { name: 'hidden', noLog: true })])], localInventory({ h1: {} }));
    const event = run.reporter.of('task_result')[0];
    expect(JSON.stringify(event)).not.toContain('secret');
    expect(event?.msg).toMatch(/no_log/);
  });
});

describe('runPlaybook: strategies and unreachable hosts', () => {
  it('linear finishes each task on every host before the next; free lets a host run ahead', async () => {
    const tasks = () => [
      task('t_cmd', { cmd: "if [ {{ inventory_hostname }} = h1 ]; then sleep 0.6; fi" }, { name: 'first' }),
      task('t_debug', { msg: 'x' }, { name: 'second' }),
    ];
    const order = (run: Awaited<ReturnType<typeof runPlays>>) => run.reporter.of('task_result').map((e) => `${e.host}:${e.task}`);
    const linear = await runPlays([play(tasks())], two());
    expect(order(linear)).toEqual(['h2:first', 'h1:first', 'h1:second', 'h2:second']);
    const free = await runPlays([play(tasks(), { strategy: 'free' })], two());
    expect(order(free)).toEqual(['h2:first', 'h2:second', 'h1:first', 'h1:second']);
  });

  it('an unreachable host leaves the play, the others go on, exit 4; no later play touches it', async () => {
    const run = await runPlays(
      [play([task('t_cmd', { cmd: 'true' }, { name: 'one' }), task('t_cmd', { cmd: 'true' }, { name: 'two' })]), play([task('t_cmd', { cmd: 'true' }, { name: 'three' })])],
      two(),
      { down: ['h1'] },
    );
    expect(statuses(run, 'one')).toEqual({ h1: 'unreachable', h2: 'changed' });
    expect(statuses(run, 'two')).toEqual({ h2: 'changed' });
    expect(statuses(run, 'three')).toEqual({ h2: 'changed' });
    expect(run.recap['h1']).toMatchObject({ unreachable: 1, ok: 0 });
    expect(run.reporter.of('host_unreachable').map((e) => e.host)).toEqual(['h1']);
    expect(run.exitCode).toBe(4);
    expect(run.unreachableHosts).toEqual(['h1']);
  });

  it('a failure somewhere wins over an unreachable host: exit 2', async () => {
    const run = await runPlays([play([task('t_cmd', { cmd: 'exit {{ code }}' }, { name: 'x' })])], localInventory({ h1: { code: 1 }, h2: { code: 0 } }), { down: ['h2'] });
    expect(run.exitCode).toBe(2);
    expect(run.failedHosts).toEqual(['h1']);
  });

  it('serial runs the play batch by batch; max_fail_percentage stops later batches', async () => {
    const inventory = localInventory({ a: { code: 1 }, b: { code: 0 }, c: { code: 0 }, d: { code: 0 } });
    const run = await runPlays([play([task('t_cmd', { cmd: 'exit {{ code }}' }, { name: 'x' })], { serial: [1, '50%'], maxFailPercentage: 0 })], inventory);
    expect(run.reporter.of('batch_start').map((e) => e.hosts)).toEqual([['a']]);
    expect(run.reporter.of('play_end')[0]?.untouched).toEqual(['b', 'c', 'd']);
  });
});

describe('runPlaybook: warnings', () => {
  it('warns once about a {{ }} wrapper in when, and still evaluates it', async () => {
    const run = await runPlays([play([task('t_debug', { msg: 'x' }, { name: 'w', when: ['{{ who == "one" }}'] })])], two());
    expect(statuses(run, 'w')).toEqual({ h1: 'ok', h2: 'skipped' });
    const warnings = run.reporter.of('warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toContain('without {{ }}');
  });
});

describe('runPlaybook: interruption', () => {
  it('an abort (Ctrl-C) lets the running task finish, starts nothing more, and exits 130 with a recap', async () => {
    const controller = new AbortController();
    const started = join(dir, 'abort-started');
    const go = join(dir, 'abort-go');
    // The task runs until the test, having aborted, lets it finish: no race with the clock.
    const cmd = `touch ${started}; i=0; while [ ! -e ${go} ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done`;
    const runPromise = runPlays(
      [play([task('t_cmd', { cmd }, { name: 'running' }), task('t_debug', { msg: 'x' }, { name: 'never started' })])],
      localInventory({ h1: {} }),
      { signal: controller.signal },
    );
    await waitFor('the task to start', () => access(started).then(() => true, () => false));
    controller.abort();
    await writeFile(go, '');
    const run = await runPromise;
    expect(statuses(run, 'running')).toEqual({ h1: 'changed' });
    expect(statuses(run, 'never started')).toEqual({});
    expect(run.exitCode).toBe(130);
    expect(run.reporter.events.at(-1)?.event).toBe('recap');
  });
});

describe('runPlaybook: --forks', () => {
  it('never runs more hosts at once than --forks', async () => {
    const running = join(dir, 'running');
    const counts = join(dir, 'counts');
    // Each host waits (at most 2 s) for a second one to be running, so the overlap --forks allows
    // happens whatever the machine's load; a third would show as a count of 3.
    const cmd = `mkdir -p ${running}/{{ inventory_hostname }}; i=0; while [ $(ls ${running} | wc -l) -lt 2 ] && [ $i -lt 40 ]; do sleep 0.05; i=$((i+1)); done; ls ${running} | wc -l >> ${counts}; sleep 0.1; rmdir ${running}/{{ inventory_hostname }}`;
    const run = await runPlays([play([task('t_cmd', { cmd }, { name: 'busy' })])], localInventory({ a: {}, b: {}, c: {}, d: {}, e: {} }), { forks: 2 });
    expect(run.exitCode).toBe(0);
    const seen = (await readFile(counts, 'utf8')).trim().split('\n').map(Number);
    expect(seen).toHaveLength(5);
    expect(Math.max(...seen)).toBe(2);
  });

  it('throttle bounds one task below --forks', async () => {
    const running = join(dir, 'running');
    const counts = join(dir, 'counts');
    const cmd = `mkdir -p ${running}/{{ inventory_hostname }}; ls ${running} | wc -l >> ${counts}; sleep 0.2; rmdir ${running}/{{ inventory_hostname }}`;
    await runPlays([play([task('t_cmd', { cmd }, { name: 'one at a time', throttle: 1 })])], localInventory({ a: {}, b: {}, c: {} }), { forks: 10 });
    expect((await readFile(counts, 'utf8')).trim().split('\n').map(Number)).toEqual([1, 1, 1]);
  });
});

describe('runPlaybook: register', () => {
  it('changed_when sees this task result, not an earlier one registered under the same name', async () => {
    const run = await runPlays(
      [
        play([
          task('t_cmd', { cmd: 'echo first' }, { name: 'first', register: 'r' }),
          task('t_cmd', { cmd: 'echo second' }, { name: 'second', register: 'r', changedWhen: ["r.stdout == 'second'"] }),
        ]),
      ],
      localInventory({ h1: {} }),
    );
    expect(statuses(run, 'second')).toEqual({ h1: 'changed' });
  });
});

describe('runPlaybook: magic variables', () => {
  it('hostvars, groups, group_names and ansible_play_hosts', async () => {
    const run = await runPlays(
      [
        play([
          task('t_debug', { msg: "{{ hostvars['h2'].who }}" }, { name: 'other host', when: ["inventory_hostname == 'h1'", "hostvars['h2']['who'] == 'two'"] }),
          task('t_debug', { msg: '{{ group_names }} {{ groups.web }} {{ ansible_play_hosts }}' }, { name: 'groups', when: ["inventory_hostname == 'h1'"] }),
        ]),
      ],
      localInventory({ h1: { who: 'one' }, h2: { who: 'two' } }, { web: ['h1'] }),
    );
    const msg = (task: string) => run.reporter.of('task_result').find((e) => e.task === task && e.host === 'h1')?.values?.['msg'];
    expect(msg('other host')).toBe('two');
    // `all` lists `ungrouped` (h2) before other child groups, as Ansible's inventory does.
    expect(msg('groups')).toBe("['web'] ['h1'] ['h2', 'h1']");
  });
});

// Expected values as ansible-playbook 2.14 printed them for the same plays (local connection).
describe('runPlaybook: hostvars and the run magic variables, as Ansible has them', () => {
  const inventory = () => localInventory({ h1: { who: 'one' }, h2: { who: 'two' }, out: { who: 'outside', derived: '{{ who }}!' } }, { web: ['h1', 'h2'], db: ['out'] });

  it('hostvars holds every inventory host (in the play or not), without play vars; set_fact values once set', async () => {
    const run = await runPlays(
      [
        play([task('t_set', { mark: 'set-on-{{ inventory_hostname }}' }, { name: 'set' })], { hosts: 'h2' }),
        play(
          [
            task('t_debug', {
              msg: "{{ hostvars['out'].who }} {{ hostvars['out'].derived }} {{ hostvars['out'].group_names }} {{ hostvars['h1'].pv | default('no play vars') }} {{ hostvars['h2'].mark }} {{ 'out' in hostvars }} {{ hostvars['nope'] is defined }}",
            }, { name: 'show' }),
          ],
          { hosts: 'h1', vars: { pv: 'play var' } },
        ),
      ],
      inventory(),
    );
    const shown = run.reporter.of('task_result').find((e) => e.task === 'show');
    expect(shown?.values?.['msg']).toBe("outside outside! ['db'] no play vars set-on-h2 True False");
    // Ansible also lists the implicit localhost among hostvars' keys once it exists; beastie lists the inventory's hosts.
    const keys = await runPlays([play([task('t_debug', { msg: '{{ hostvars | list }}' }, { name: 'keys' })], { hosts: 'h1' })], inventory());
    expect(keys.reporter.of('task_result').find((e) => e.task === 'keys')?.values?.['msg']).toEqual(['h1', 'h2', 'out']);
  });

  it('play_hosts, ansible_play_batch, ansible_forks, ansible_run_tags, ansible_skip_tags, ansible_limit, ansible_version, omit', async () => {
    const run = await runPlays(
      [
        play(
          [
            task('t_debug', {
              msg: '{{ play_hosts }} {{ ansible_play_batch }} {{ ansible_play_hosts_all }} {{ ansible_forks }} {{ ansible_run_tags }} {{ ansible_skip_tags }} {{ ansible_limit }} {{ ansible_check_mode }} {{ ansible_diff_mode }} {{ inventory_hostname_short }}',
            }, { name: 'show', when: ["inventory_hostname == 'h1'"] }),
            task('t_debug', { msg: "{{ ansible_version.full is version('2.9', '>=') }} {{ ansible_version.major }} {{ (ansible_version.minor | int) > 0 }} {{ playbook_dir is string }}" }, { name: 'version', runOnce: true }),
            task('t_debug', { msg: 'x', verbosity: '{{ omit }}' }, { name: 'omitted', runOnce: true }),
          ],
          { hosts: 'web', serial: [1], tags: ['a'] },
        ),
      ],
      inventory(),
      { forks: 7, tags: { only: ['a', 'b'], skip: ['c'] }, limit: ['web'] },
    );
    const msg = (name: string) => run.reporter.of('task_result').find((e) => e.task === name && e.status !== 'skipped')?.values?.['msg'];
    expect(msg('show')).toBe("['h1'] ['h1'] ['h1', 'h2'] 7 ['a', 'b'] ['c'] web False False h1");
    expect(msg('version')).toBe('True 2 True True');
    expect(msg('omitted')).toBe('x');
  });

  it("vars: every variable by name, templated ones rendered (vars['pkg_' + name])", async () => {
    const run = await runPlays(
      [play([task('t_debug', { msg: "{{ vars['pkg_' + which] }} {{ vars.who }} {{ 'pkg_nginx' in vars }} {{ vars.inventory_hostname }}" }, { name: 'show' })], { hosts: 'h1', vars: { which: 'nginx', pkg_nginx: 'www/{{ which }}' } })],
      inventory(),
    );
    expect(run.reporter.of('task_result').find((e) => e.task === 'show')?.values?.['msg']).toBe('www/nginx one True h1');
  });
});

describe('runPlaybook: -vvv', () => {
  it('reports every command with its exit code under its task, *** under no_log', async () => {
    const run = await runPlays(
      [play([task('t_cmd', { cmd: 'echo hi' }, { name: 'shown' }), task('t_cmd', { cmd: 'echo secret' }, { name: 'hidden', noLog: true })])],
      localInventory({ h1: {} }),
      { verbosity: 3 },
    );
    const lines = run.reporter.of('task_progress').map((e) => `${e.task}: ${e.message}`);
    expect(lines[0]).toMatch(/^shown: \$ echo hi → exit 0 \(\d+ ms\)$/);
    expect(lines[1]).toMatch(/^hidden: \$ \*\*\* → exit 0/);
    expect(run.reporter.events.map((e) => JSON.stringify(e)).join('\n')).not.toContain('secret');
  });
});
