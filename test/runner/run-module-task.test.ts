// One module task on one host (src/runner/run-module-task.ts): the loop's overall result and
// message, ignore_errors, register of a failure, and a host lost mid-task. The judging of
// changed_when/failed_when/until and the variable layers are in run-playbook.test.ts.
import { describe, expect, it } from 'vitest';
import { play, task } from '../fixtures/runner/ast.js';
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
