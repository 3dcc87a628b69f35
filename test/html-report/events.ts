// Event builders for the report's tests: a run as the runner would emit it, with a test clock.
import type { RecapCounts, RunEvent, TaskStatus } from '../../src/output/events.js';

/** A clock the test moves by hand. */
export class TestClock {
  now = 1_764_000_000_000;

  readonly read = (): number => this.now;

  advance(ms: number): void {
    this.now += ms;
  }
}

/** Recap counts with the given fields set. */
export function counts(partial: Partial<RecapCounts> = {}): RecapCounts {
  return { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0, ...partial };
}

/** A task_result with the usual fields; override any. */
export function result(host: string, task: string, status: TaskStatus, durationMs: number, extra: Partial<Extract<RunEvent, { event: 'task_result' }>> = {}): RunEvent {
  return { event: 'task_result', host, task, status, durationMs, msg: '', source: { file: 'site.yml', line: 7, column: 7 }, ...extra };
}
