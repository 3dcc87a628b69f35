import { describe, expect, it } from 'vitest';
import { RunCollector } from '../../src/html-report/run-collector.js';
import { counts, result, TestClock } from './events.js';

function collector() {
  const clock = new TestClock();
  return { clock, run: new RunCollector(clock.read) };
}

describe('RunCollector', () => {
  it('places each task on its host from its arrival time minus its duration', () => {
    const { clock, run } = collector();
    run.collect({ event: 'run_start', playbook: 'site.yml', check: false, hosts: ['a', 'b'] });
    clock.advance(100);
    run.collect(result('a', 'install', 'changed', 40));
    clock.advance(25);
    run.collect(result('b', 'install', 'ok', 200));
    const model = run.model();
    expect(model.timelines.map((row) => row.spans.map((span) => [span.startMs, span.endMs, span.status]))).toEqual([
      [[60, 100, 'changed']],
      // A duration longer than the run so far starts at the run's start, not before it.
      [[0, 125, 'ok']],
    ]);
    expect(model.endMs).toBe(125);
    expect(model.playbook).toBe('site.yml');
    expect(model.startedAt).toBe(1_764_000_000_000);
  });

  it('closes a batch at the next batch and the last one at the end of the play', () => {
    const { clock, run } = collector();
    run.collect({ event: 'run_start', playbook: 'p.yml', check: false, hosts: ['a', 'b', 'c'] });
    run.collect({ event: 'play_start', play: 'roll', hosts: ['a', 'b', 'c'], source: { file: 'p.yml', line: 1, column: 3 } });
    clock.advance(10);
    run.collect({ event: 'batch_start', play: 'roll', batch: 1, hosts: ['a'] });
    clock.advance(50);
    run.collect({ event: 'batch_start', play: 'roll', batch: 2, hosts: ['b', 'c'] });
    clock.advance(70);
    run.collect({ event: 'play_end', play: 'roll', untouched: [] });
    expect(run.model().plays[0]?.batches.map((batch) => [batch.batch, batch.startMs, batch.endMs, batch.hosts])).toEqual([
      [1, 10, 60, ['a']],
      [2, 60, 130, ['b', 'c']],
    ]);
  });

  it('keeps a batch still running open to the last event', () => {
    const { clock, run } = collector();
    run.collect({ event: 'play_start', play: 'roll', hosts: ['a'], source: { file: 'p.yml', line: 1, column: 3 } });
    run.collect({ event: 'batch_start', play: 'roll', batch: 1, hosts: ['a'] });
    clock.advance(30);
    run.collect(result('a', 't', 'ok', 5));
    expect(run.model().plays[0]?.batches[0]?.endMs).toBe(30);
  });

  it('names the untouched hosts and takes outcomes from the recap', () => {
    const { run } = collector();
    run.collect({ event: 'run_start', playbook: 'p.yml', check: false, hosts: ['a', 'b', 'c', 'd'] });
    run.collect(result('a', 't', 'failed', 5));
    run.collect(result('b', 't', 'changed', 5));
    run.collect(result('c', 't', 'unreachable', 5));
    run.collect({ event: 'play_end', play: 'p', untouched: ['d'] });
    run.collect({
      event: 'recap',
      hosts: { a: counts({ failed: 1 }), b: counts({ ok: 1, changed: 1 }), c: counts({ unreachable: 1 }), d: counts() },
      durationMs: 900,
      exitCode: 2,
    });
    const model = run.model();
    expect(model.timelines.map((row) => [row.host, row.outcome])).toEqual([
      ['a', 'failed'],
      ['b', 'changed'],
      ['c', 'unreachable'],
      ['d', 'untouched'],
    ]);
    expect(model.untouched).toEqual(['d']);
    expect(model.end?.exitCode).toBe(2);
    // The recap's duration is the run's, even when the clock saw less.
    expect(model.endMs).toBe(900);
  });

  it('marks hosts a play stopped in the middle of their batch as unfinished (play_end.unfinished)', () => {
    const { run } = collector();
    run.collect({ event: 'run_start', playbook: 'p.yml', check: false, hosts: ['a', 'b', 'c'] });
    run.collect(result('a', 't', 'failed', 5));
    run.collect(result('b', 't', 'ok', 5));
    run.collect({ event: 'play_end', play: 'p', untouched: ['c'], unfinished: ['b'] });
    run.collect({ event: 'recap', hosts: { a: counts({ failed: 1 }), b: counts({ ok: 1 }), c: counts() }, durationMs: 10, exitCode: 2 });
    const model = run.model();
    expect(model.timelines.map((row) => row.outcome)).toEqual(['failed', 'unfinished', 'untouched']);
    expect(model.unfinished).toEqual(['b']);
  });

  it('without a recap, a host failed only through ignored or rescued failures is not failed', () => {
    const { run } = collector();
    run.collect(result('a', 't', 'failed', 5, { ignored: true }));
    run.collect(result('b', 't', 'failed', 5, { rescued: true }));
    run.collect(result('c', 't', 'failed', 5));
    expect(run.model().timelines.map((row) => row.outcome)).toEqual(['ok', 'ok', 'failed']);
    expect(run.model().end).toBeUndefined();
  });

  it('keeps each failure with its message, stderr, rc, source and the unreachable reason', () => {
    const { clock, run } = collector();
    clock.advance(0);
    run.collect({ event: 'run_start', playbook: 'p.yml', check: false, hosts: ['a', 'b'] });
    clock.advance(40);
    run.collect(result('a', 'load vmm', 'failed', 10, { msg: 'kldload: an error occurred', stderr: 'kldload: can\'t load vmm: No such file', rc: 1, source: { file: 'p.yml', line: 9, column: 7 } }));
    run.collect({ event: 'host_unreachable', host: 'b', task: 'load vmm', msg: 'connection refused', reason: 'refused' });
    run.collect(result('b', 'load vmm', 'unreachable', 10, { msg: 'connection refused' }));
    const [first, second] = run.model().failures;
    expect(first).toMatchObject({ id: 1, host: 'a', status: 'failed', msg: 'kldload: an error occurred', stderr: "kldload: can't load vmm: No such file", rc: 1, atMs: 40, reason: undefined });
    expect(first?.source).toEqual({ file: 'p.yml', line: 9, column: 7 });
    expect(second).toMatchObject({ id: 2, host: 'b', status: 'unreachable', reason: 'refused' });
    expect(run.model().timelines.map((row) => row.spans[0]?.failureId)).toEqual([1, 2]);
  });

  it('turns diffs into unified diffs, from the items of a loop when the task carries none', () => {
    const { run } = collector();
    run.collect(result('a', 'conf', 'changed', 5, { diff: [{ header: '/etc/rc.conf', before: 'a\n', after: 'a\nb\n' }, { header: 'same', before: 'x\n', after: 'x\n' }] }));
    const source = { file: 'p.yml', line: 3, column: 7 };
    run.collect({ event: 'item_result', host: 'a', task: 'loop', status: 'changed', source, item: 1, msg: '', durationMs: 1, diff: [{ header: 'one', before: '', after: '1\n' }] });
    run.collect({ event: 'item_result', host: 'a', task: 'loop', status: 'changed', source, item: 2, msg: '', durationMs: 1, diff: [{ header: 'two', before: '', after: '2\n' }] });
    run.collect(result('a', 'loop', 'changed', 2, { source }));
    const changes = run.model().changes;
    expect(changes.map((change) => [change.task, change.header])).toEqual([
      ['conf', '/etc/rc.conf'],
      ['loop', 'one'],
      ['loop', 'two'],
    ]);
    expect(changes[0]?.diff).toBe('--- before: /etc/rc.conf\n+++ after: /etc/rc.conf\n@@ -1,1 +1,2 @@\n a\n+b\n');
  });

  it("marks a failed item's diff as not applied and keeps the items' verdicts when the task carries their diffs too", () => {
    const { run } = collector();
    const source = { file: 'p.yml', line: 3, column: 7 };
    const one = { header: 'one', before: '', after: '1\n' };
    const two = { header: 'two', before: '', after: '2\n' };
    run.collect({ event: 'run_start', playbook: 'p.yml', check: false, hosts: ['a'] });
    run.collect({ event: 'item_result', host: 'a', task: 'loop', status: 'changed', source, item: 1, msg: '', durationMs: 1, diff: [one] });
    run.collect({ event: 'item_result', host: 'a', task: 'loop', status: 'failed', source, item: 2, msg: 'boom', durationMs: 1, diff: [two] });
    run.collect(result('a', 'loop', 'failed', 2, { source, diff: [one, two] }));
    expect(run.model().changes.map((change) => [change.header, change.applied])).toEqual([
      ['one', true],
      ['two', false],
    ]);
  });

  it('draws reboot and wait_for_connection tasks as reboots and waits, and keeps progress lines', () => {
    const { clock, run } = collector();
    run.collect({ event: 'task_progress', host: 'a', task: 'reboot', message: 'rebooting' });
    clock.advance(3000);
    run.collect(result('a', 'reboot', 'changed', 3000, { module: 'reboot' }));
    run.collect(result('a', 'wait', 'ok', 10, { module: 'wait_for_connection' }));
    run.collect(result('a', 'echo', 'ok', 10, { module: 'command' }));
    const row = run.model().timelines[0];
    expect(row?.spans.map((span) => span.kind)).toEqual(['reboot', 'wait', 'task']);
    expect(row?.marks).toEqual([{ atMs: 0, task: 'reboot', message: 'rebooting' }]);
  });

  it('turns the runner\'s waiting brackets into wait spans, closed by the task\'s end when left open', () => {
    const { clock, run } = collector();
    run.collect({ event: 'task_progress', host: 'a', task: 'pptdev', message: 'waiting', waiting: true });
    clock.advance(4000);
    run.collect({ event: 'task_progress', host: 'a', task: 'pptdev', message: 'back', waiting: false });
    run.collect({ event: 'task_progress', host: 'b', task: 'pptdev', message: 'waiting', waiting: true });
    clock.advance(1000);
    run.collect(result('b', 'pptdev', 'unreachable', 5000));
    run.collect({ event: 'task_progress', host: 'c', task: 'reboot', message: 'waiting', waiting: true });
    clock.advance(500);
    run.collect(result('a', 'later', 'ok', 1));
    const waits = Object.fromEntries(run.model().timelines.map((row) => [row.host, row.waits]));
    expect(waits['a']).toEqual([{ task: 'pptdev', startMs: 0, endMs: 4000, open: false }]);
    expect(waits['b']).toEqual([{ task: 'pptdev', startMs: 4000, endMs: 5000, open: false }]);
    // Still waiting when the run stopped: open to the last event.
    expect(waits['c']).toEqual([{ task: 'reboot', startMs: 5000, endMs: 5500, open: true }]);
    // The brackets are spans, not progress ticks.
    expect(run.model().timelines.flatMap((row) => row.marks)).toEqual([]);
  });

  it('keeps warnings, with their host', () => {
    const { run } = collector();
    run.collect({ event: 'warning', msg: 'the play stops' });
    run.collect({ event: 'warning', msg: 'slow', host: 'a' });
    expect(run.model().warnings).toEqual(['the play stops', 'a: slow']);
  });
});
