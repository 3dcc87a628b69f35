import { describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_TASK_FAILED, EXIT_UNREACHABLE } from '../../src/errors.js';
import type { RunEvent, TaskStatus } from '../../src/output/events.js';
import { RecapTally } from '../../src/runner/recap-tally.js';

const result = (host: string, status: TaskStatus, extra: { ignored?: boolean; rescued?: boolean } = {}): RunEvent => ({
  event: 'task_result',
  host,
  task: 't',
  status,
  source: { file: 'site.yml', line: 1, column: 1 },
  msg: '',
  durationMs: 1,
  ...extra,
});

describe('RecapTally', () => {
  it('counts as Ansible: ok includes changed, an ignored failure is ok and ignored, a rescued one rescued only', () => {
    const tally = new RecapTally();
    for (const event of [
      result('h1', 'ok'),
      result('h1', 'changed'),
      result('h1', 'skipped'),
      result('h1', 'failed', { ignored: true }),
      result('h2', 'failed', { rescued: true }),
      result('h2', 'failed'),
      result('h3', 'unreachable'),
    ]) {
      tally.record(event);
    }
    expect(tally.snapshot()).toEqual({
      h1: { ok: 3, changed: 1, failed: 0, skipped: 1, unreachable: 0, rescued: 0, ignored: 1 },
      h2: { ok: 0, changed: 0, failed: 1, skipped: 0, unreachable: 0, rescued: 1, ignored: 0 },
      h3: { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 1, rescued: 0, ignored: 0 },
    });
  });

  it('lists hosts in the order they were added, other events count nothing', () => {
    const tally = new RecapTally();
    tally.addHost('b');
    tally.addHost('a');
    tally.addHost('b');
    tally.record({ event: 'warning', message: 'x' } as unknown as RunEvent);
    expect(Object.keys(tally.snapshot())).toEqual(['b', 'a']);
    expect(tally.exitCode()).toBe(EXIT_OK);
  });

  it.each<[string, TaskStatus[], number]>([
    ['0 when nothing failed', ['ok', 'changed', 'skipped'], EXIT_OK],
    ['4 when a host was unreachable', ['ok', 'unreachable'], EXIT_UNREACHABLE],
    ['2 when a task failed, even with a host unreachable', ['unreachable', 'failed'], EXIT_TASK_FAILED],
  ])('exit code: %s', (_what, statuses, code) => {
    const tally = new RecapTally();
    statuses.forEach((status, i) => tally.record(result(`h${i}`, status)));
    expect(tally.exitCode()).toBe(code);
  });

  it('an ignored or rescued failure does not fail the run', () => {
    const tally = new RecapTally();
    tally.record(result('h1', 'failed', { ignored: true }));
    tally.record(result('h2', 'failed', { rescued: true }));
    expect(tally.exitCode()).toBe(EXIT_OK);
  });
});
