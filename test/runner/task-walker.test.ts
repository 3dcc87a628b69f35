// The task walker's own rules (src/runner/task-walker.ts): meta end_host/end_play, a failure in
// rescue or always, unreachable hosts in blocks, include_tasks that cannot be loaded, handlers
// that fail. The behaviours shared with the whole run are in run-playbook.test.ts.
import { describe, expect, it } from 'vitest';
import { block, handler, include, meta, play, task } from '../fixtures/runner/ast.js';
import { localInventory, runPlays, statuses } from '../fixtures/runner/harness.js';

const two = () => localInventory({ h1: {}, h2: {} });
const onH1 = "inventory_hostname == 'h1'";

describe('task walker', () => {
  it('meta: end_host ends only that host, the others go on, and nothing fails', async () => {
    const run = await runPlays([play([meta('end_host', { when: [onH1] }), task('t_debug', { msg: 'x' }, { name: 'after' })])], two());
    expect(statuses(run, 'after')).toEqual({ h2: 'ok' });
    expect(run.exitCode).toBe(0);
    expect(run.failedHosts).toEqual([]);
  });

  it('meta: end_play ends the play for every host; the next play runs on all of them', async () => {
    const run = await runPlays(
      [play([meta('end_play', { when: [onH1] }), task('t_debug', { msg: 'x' }, { name: 'after' })]), play([task('t_debug', { msg: 'y' }, { name: 'next play' })])],
      two(),
    );
    expect(statuses(run, 'after')).toEqual({});
    expect(statuses(run, 'next play')).toEqual({ h1: 'ok', h2: 'ok' });
    expect(run.exitCode).toBe(0);
  });

  it('a failure in rescue stands: always still runs, then the host leaves the play failed', async () => {
    const run = await runPlays(
      [
        play([
          block([task('t_fail', {}, { name: 'boom' })], { rescue: [task('t_fail', { msg: 'rescue failed too' }, { name: 'rescue' })], always: [task('t_debug', { msg: 'a' }, { name: 'cleanup' })] }),
          task('t_debug', { msg: 'n' }, { name: 'next' }),
        ]),
      ],
      localInventory({ h1: {} }),
    );
    expect(statuses(run, 'rescue')).toEqual({ h1: 'failed' });
    expect(statuses(run, 'cleanup')).toEqual({ h1: 'ok' });
    expect(statuses(run, 'next')).toEqual({});
    expect(run.failedHosts).toEqual(['h1']);
    expect(run.exitCode).toBe(2);
  });

  it('a failure in always fails a host that had done well in the block', async () => {
    const run = await runPlays(
      [play([block([task('t_debug', { msg: 'fine' }, { name: 'work' })], { always: [task('t_fail', {}, { name: 'cleanup fails', when: [onH1] })] }), task('t_debug', { msg: 'n' }, { name: 'next' })])],
      two(),
    );
    expect(statuses(run, 'cleanup fails')).toEqual({ h1: 'failed', h2: 'skipped' });
    expect(statuses(run, 'next')).toEqual({ h2: 'ok' });
    expect(run.failedHosts).toEqual(['h1']);
  });

  it('an unreachable host gets neither rescue nor always, and stays unreachable', async () => {
    const run = await runPlays(
      [play([block([task('t_cmd', { cmd: 'true' }, { name: 'work' })], { rescue: [task('t_debug', { msg: 'r' }, { name: 'rescue' })], always: [task('t_debug', { msg: 'a' }, { name: 'cleanup' })] })])],
      two(),
      { down: ['h1'] },
    );
    expect(statuses(run, 'work')).toEqual({ h1: 'unreachable', h2: 'changed' });
    expect(statuses(run, 'rescue')).toEqual({});
    expect(statuses(run, 'cleanup')).toEqual({ h2: 'ok' });
    expect(run.unreachableHosts).toEqual(['h1']);
    expect(run.failedHosts).toEqual([]);
  });

  it('an include_tasks file that cannot be loaded fails the hosts that include it, not the others', async () => {
    const run = await runPlays(
      [play([include('{{ inventory_hostname }}.yml', { name: 'per host' }), task('t_debug', { msg: 'n' }, { name: 'next' })])],
      two(),
      { includes: { 'h2.yml': [task('t_debug', { msg: 'in h2' }, { name: 'included' })] } },
    );
    expect(statuses(run, 'per host')).toEqual({ h1: 'failed', h2: 'ok' });
    expect(run.reporter.of('task_result').find((e) => e.host === 'h1' && e.task === 'per host')?.msg).toMatch(/no include file h1\.yml/);
    expect(statuses(run, 'included')).toEqual({ h2: 'ok' });
    expect(statuses(run, 'next')).toEqual({ h2: 'ok' });
    expect(run.failedHosts).toEqual(['h1']);
  });

  it('a handler that fails fails its host', async () => {
    const run = await runPlays(
      [play([task('t_cmd', { cmd: 'true' }, { name: 'change', notify: ['broken'] })], { handlers: [handler('t_fail', { msg: 'handler broke' }, 'broken')] })],
      localInventory({ h1: {} }),
    );
    expect(statuses(run, 'broken')).toEqual({ h1: 'failed' });
    expect(run.failedHosts).toEqual(['h1']);
    expect(run.exitCode).toBe(2);
  });
});
