// What the run report shows, collected from the event stream: times are milliseconds since the
// run started, as the collector's clock saw each event arrive.
import type { RecapCounts, TaskStatus } from '../output/events.js';
import type { FailureExplanation } from '../explain/failure-explanation.js';
import type { SourceRef } from '../source.js';

/** How a span is drawn: an ordinary task, a reboot, or a wait for the host to come back. */
export type SpanKind = 'task' | 'reboot' | 'wait';

/** One task on one host. */
export interface TaskSpan {
  readonly kind: SpanKind;
  readonly task: string;
  readonly status: TaskStatus;
  readonly startMs: number;
  readonly endMs: number;
  /** As the runner measured it (the span may be clipped at the run's start). */
  readonly durationMs: number;
  readonly source: SourceRef;
  readonly module: string | undefined;
  readonly ignored: boolean;
  readonly rescued: boolean;
  /** The failure entry this span links to, for failed and unreachable spans. */
  readonly failureId: number | undefined;
}

/** A time a host was down and beastie waited for SSH (inside a reboot or any task that waits). */
export interface WaitSpan {
  readonly task: string;
  readonly startMs: number;
  readonly endMs: number;
  /** Still waiting when the collection ended (the run stopped mid-wait). */
  readonly open: boolean;
}

/** A serial batch of a play, with when it ran. */
export interface BatchSpan {
  readonly play: string;
  readonly batch: number;
  readonly hosts: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
}

/** A progress line a host reported during a task (reboot phases, build progress). */
export interface ProgressMark {
  readonly atMs: number;
  readonly task: string;
  readonly message: string;
}

/** A host's fate in the run, for its row and the recap: worst outcome first. */
export type HostOutcome = 'unreachable' | 'failed' | 'unfinished' | 'changed' | 'ok' | 'untouched';

/** One row of the timeline. */
export interface HostTimeline {
  readonly host: string;
  readonly outcome: HostOutcome;
  readonly spans: readonly TaskSpan[];
  readonly waits: readonly WaitSpan[];
  readonly marks: readonly ProgressMark[];
}

/** A failed or unreachable task on one host, with what the host said. */
export interface FailureEntry {
  readonly id: number;
  readonly host: string;
  readonly task: string;
  readonly status: 'failed' | 'unreachable';
  readonly msg: string;
  readonly stderr: string | undefined;
  readonly stdout: string | undefined;
  readonly rc: number | undefined;
  readonly source: SourceRef;
  readonly atMs: number;
  readonly ignored: boolean;
  readonly rescued: boolean;
  /** Why a host was unreachable (`timeout`, `host-locked`…), from host_unreachable. */
  readonly reason: string | undefined;
  /** The cause and fix of a recognised failure text (src/explain/). */
  readonly explanation: FailureExplanation | undefined;
}

/** A unified diff of one change on one host. */
export interface ChangeEntry {
  readonly host: string;
  readonly task: string;
  readonly source: SourceRef;
  readonly header: string;
  readonly diff: string;
  /**
   * false: planned, not applied — a --check run, or a task (an item) that failed, whose plan was
   * cut short at the failure. Under Changes only what was applied is listed as done.
   */
  readonly applied: boolean;
}

/** A play, its batches and the hosts it never reached. */
export interface PlayEntry {
  readonly name: string;
  readonly hosts: readonly string[];
  readonly untouched: readonly string[];
  readonly batches: readonly BatchSpan[];
}

/** The end of the run, from the recap event. */
export interface RunEnd {
  readonly hosts: Readonly<Record<string, RecapCounts>>;
  readonly durationMs: number;
  readonly exitCode: number;
}

/** Everything the page shows. */
export interface RunModel {
  readonly playbook: string;
  /** Wall-clock time of run_start (epoch milliseconds). */
  readonly startedAt: number;
  readonly check: boolean;
  readonly hosts: readonly string[];
  readonly plays: readonly PlayEntry[];
  readonly timelines: readonly HostTimeline[];
  readonly failures: readonly FailureEntry[];
  readonly changes: readonly ChangeEntry[];
  readonly warnings: readonly string[];
  /** Hosts some play never touched, in run order. */
  readonly untouched: readonly string[];
  /** Hosts whose batch started but a play stopped before their last task (play_end.unfinished). */
  readonly unfinished: readonly string[];
  /** The last event's time: the timeline's width. */
  readonly endMs: number;
  /** Absent when the run stopped before its recap (an internal error). */
  readonly end: RunEnd | undefined;
}
