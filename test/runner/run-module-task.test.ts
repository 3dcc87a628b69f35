// One module task on one host (src/runner/run-module-task.ts): the loop's overall result and
// message, ignore_errors, register of a failure, and a host lost mid-task. The judging of
// changed_when/failed_when/until and the variable layers are in run-playbook.test.ts. A notify
// naming no handler: checked against ansible-playbook 2.14 (strategy/__init__.py raises
// AnsibleError there: ERROR!, the whole run ends, no rescue, no handler, no later play).
import { describe, expect, it } from 'vitest';
import { block, handler, play, task } from '../fixtures/runner/ast.js';
import { localInventory, runPlays, statuses } from '../fixtures/runner/harness.js';

const one = () => localInventory({ h1: {} });
const resultOf = (run: Awaited<ReturnType<typeof runPlays>>, name: string) => run.reporter.of('task_result').find((e) => e.task === name);

describe('runModuleTask', () => {
  it.each<[string, unknown[], string, string]>([
    ['an empty loop is skipped with Ansible\'s message', [], 'skipped', 'No items in the list'],
    ['a loop whose every item is skipped', [1, 2], 'skipped', 'All items skipped'],
  ])('%s', async (_what, items, status, msg) => {
    const run = await runPlays([play([task('t_debug', { msg: '{{ item }}' }, { name: 'loop', loop: items, when: ['item > 5'] })])], one());
    expect(resultOf(run, 'loop')).toMatchObject({ status, msg });
  });

  it('a loop with one failed item fails as a whole, after running every item', async () => {
    const run = await runPlays([play([task('t_cmd', { cmd: 'exit {{ item }}' }, { name: 'loop', loop: [0, 3, 0], register: 'r' }), task('t_debug', { msg: 'n' }, { name: 'next' })])], one());
    expect(resultOf(run, 'loop')).toMatchObject({ status: 'failed', msg: 'One or more items failed' });
    expect(run.reporter.of('item_result').map((e) => e.status)).toEqual(['changed', 'failed', 'changed']);
    expect(statuses(run, 'next')).toEqual({});
  });

  it('ignore_errors: the failure is reported and registered, counted ok and ignored, and the host goes on', async () => {
    const run = await runPlays(
      [play([task('t_cmd', { cmd: 'echo out; exit 7' }, { name: 'fails', ignoreErrors: true, register: 'r' }), task('t_debug', { msg: 'rc={{ r.rc }} failed={{ r.failed }}' }, { name: 'after' })])],
      one(),
    );
    expect(resultOf(run, 'fails')).toMatchObject({ status: 'failed', ignored: true, rc: 7 });
    expect(resultOf(run, 'after')?.values?.['msg']).toBe('rc=7 failed=True');
    expect(run.recap['h1']).toMatchObject({ ok: 2, ignored: 1, failed: 0 });
    expect(run.exitCode).toBe(0);
  });

  it('a host that cannot be reached is reported unreachable (not failed) and takes no more tasks, even with ignore_errors', async () => {
    const run = await runPlays([play([task('t_cmd', { cmd: 'true' }, { name: 'first', ignoreErrors: true }), task('t_cmd', { cmd: 'true' }, { name: 'second' })])], one(), { down: ['h1'] });
    expect(resultOf(run, 'first')).toMatchObject({ status: 'unreachable' });
    expect(run.reporter.of('host_unreachable').map((e) => e.host)).toEqual(['h1']);
    expect(statuses(run, 'second')).toEqual({});
    expect(run.exitCode).toBe(4);
  });
});

describe('notify: a name no handler answers to', () => {
  const missing = "The requested handler 'nowhere' was not found in either the main handlers list nor in the listening handlers list";

  it("a changed task notifying it fails with Ansible's error and the run ends: no rescue, ignore_errors, handler, later task or play", async () => {
    const run = await runPlays(
      [
        play(
          [
            block([task('t_cmd', { cmd: 'true' }, { name: 'change', notify: ['restart', 'nowhere'], ignoreErrors: true, when: ["inventory_hostname == 'h1'"] })], {
              rescue: [task('t_debug', { msg: 'rescued' }, { name: 'rescue' })],
              always: [task('t_debug', { msg: 'always' }, { name: 'always' })],
            }),
            task('t_debug', { msg: 'next' }, { name: 'next' }),
          ],
          { handlers: [handler('t_debug', { msg: 'handler' }, 'restart')] },
        ),
        play([task('t_debug', { msg: 'two' }, { name: 'second play' })]),
      ],
      localInventory({ h1: {}, h2: {} }),
    );
    expect(statuses(run, 'change')).toEqual({ h1: 'failed', h2: 'skipped' });
    const failed = run.reporter.of('task_result').find((e) => e.task === 'change' && e.host === 'h1');
    expect(failed).toMatchObject({ msg: missing });
    expect(failed).not.toHaveProperty('ignored');
    expect(failed).not.toHaveProperty('rescued');
    for (const name of ['rescue', 'always', 'next', 'restart', 'second play']) expect(statuses(run, name)).toEqual({});
    expect(run.reporter.of('play_start')).toHaveLength(1);
    expect(run.reporter.of('play_end')[0]?.unfinished).toEqual(['h2']);
    expect(run.recap['h1']).toMatchObject({ failed: 1, rescued: 0, ignored: 0 });
    expect(run.exitCode).toBe(2);
  });

  it('an unchanged task notifying it is fine, as in Ansible', async () => {
    const run = await runPlays([play([task('t_debug', { msg: 'x' }, { name: 'ok', notify: ['nowhere'] }), task('t_debug', { msg: 'y' }, { name: 'next' })])], localInventory({ h1: {} }));
    expect(statuses(run, 'ok')).toEqual({ h1: 'ok' });
    expect(statuses(run, 'next')).toEqual({ h1: 'ok' });
    expect(run.exitCode).toBe(0);
  });

  it("with error_on_missing_handler off it is Ansible's warning and the run goes on", async () => {
    const run = await runPlays([play([task('t_cmd', { cmd: 'true' }, { name: 'change', notify: ['nowhere'] }), task('t_debug', { msg: 'y' }, { name: 'next' })])], localInventory({ h1: {} }), {
      errorOnMissingHandler: false,
    });
    expect(statuses(run, 'change')).toEqual({ h1: 'changed' });
    expect(statuses(run, 'next')).toEqual({ h1: 'ok' });
    expect(run.reporter.of('warning').map((e) => e.msg)).toContain(missing);
    expect(run.exitCode).toBe(0);
  });

  it("a role's handler answers to 'ROLE : name' and a templated handler name to its rendering, as Ansible's handler search", async () => {
    const run = await runPlays(
      [
        play([task('t_cmd', { cmd: 'true' }, { name: 'change', notify: ['web : restart web', 'restart sshd'] })], {
          vars: { svc: 'sshd' },
          handlers: [{ ...handler('t_debug', { msg: 'role' }, 'restart web'), fromRole: 'web' }, handler('t_debug', { msg: 'templated' }, 'restart {{ svc }}')],
        }),
      ],
      localInventory({ h1: {} }),
    );
    expect(statuses(run, 'change')).toEqual({ h1: 'changed' });
    expect(run.reporter.of('task_start').filter((e) => e.handler).map((e) => e.task)).toEqual(['restart web', 'restart sshd']);
    expect(run.exitCode).toBe(0);
  });
});
