// Collects the event stream into the run model. Events carry no timestamps, so each is stamped
// with the collector's clock as it arrives; a task's start on a host is its result's arrival
// minus its durationMs.
import type { RecapCounts, RunEvent, TaskStatus } from '../output/events.js';
import { unifiedDiff } from '../output/unified-diff.js';
import type {
  BatchSpan,
  ChangeEntry,
  FailureEntry,
  HostOutcome,
  HostTimeline,
  PlayEntry,
  ProgressMark,
  RunEnd,
  RunModel,
  SpanKind,
  TaskSpan,
  WaitSpan,
} from './run-model.js';

/** A wall clock in epoch milliseconds; injected so tests control time. */
export type Clock = () => number;

type TaskResult = Extract<RunEvent, { event: 'task_result' }>;

interface OpenBatch {
  readonly play: string;
  readonly batch: number;
  readonly hosts: readonly string[];
  readonly startMs: number;
}

interface PlayState {
  readonly name: string;
  readonly hosts: readonly string[];
  untouched: readonly string[];
  readonly batches: BatchSpan[];
  open: OpenBatch | undefined;
}

/** Modules whose whole task is a reboot or a wait, drawn as such on the timeline. */
const spanKinds: Readonly<Record<string, SpanKind>> = {
  reboot: 'reboot',
  wait_for_connection: 'wait',
};

/** Gathers events; `model()` gives what the page shows at any point. */
export class RunCollector {
  private playbook = '';
  private check = false;
  private startedAt: number | undefined;
  private lastMs = 0;
  private readonly hosts: string[] = [];
  private readonly plays: PlayState[] = [];
  private readonly spans = new Map<string, TaskSpan[]>();
  private readonly marks = new Map<string, ProgressMark[]>();
  private readonly waits = new Map<string, WaitSpan[]>();
  /** Hosts waiting for SSH now: when the wait began, and in which task. */
  private readonly waiting = new Map<string, { readonly task: string; readonly startMs: number }>();
  private readonly failures: FailureEntry[] = [];
  private readonly changes: ChangeEntry[] = [];
  private readonly warnings: string[] = [];
  private readonly unreachableReasons = new Map<string, string>();
  /** Hosts some play never reached, in the order the plays said so. */
  private readonly untouched = new Set<string>();
  /** Hosts a play stopped in the middle of their batch. */
  private readonly unfinished = new Set<string>();
  /** Diffs of a looped task's items, until its task_result arrives. */
  private readonly itemDiffs = new Map<string, ChangeEntry[]>();
  private end: RunEnd | undefined;

  constructor(private readonly clock: Clock = Date.now) {}

  /** Take one event, stamped now. */
  collect(event: RunEvent): void {
    const now = this.clock();
    this.startedAt ??= now;
    const atMs = Math.max(0, now - this.startedAt);
    this.lastMs = Math.max(this.lastMs, atMs);
    switch (event.event) {
      case 'run_start':
        this.playbook = event.playbook;
        this.check = event.check;
        for (const host of event.hosts) this.addHost(host);
        return;
      case 'play_start':
        for (const host of event.hosts) this.addHost(host);
        this.plays.push({ name: event.play, hosts: event.hosts, untouched: [], batches: [], open: undefined });
        return;
      case 'batch_start': {
        const play = this.currentPlay();
        if (play === undefined) return;
        this.closeBatch(play, atMs);
        play.open = { play: event.play, batch: event.batch, hosts: event.hosts, startMs: atMs };
        return;
      }
      case 'play_end': {
        for (const host of event.untouched) this.untouched.add(host);
        for (const host of event.unfinished ?? []) this.unfinished.add(host);
        const play = this.currentPlay();
        if (play === undefined) return;
        this.closeBatch(play, atMs);
        play.untouched = event.untouched;
        return;
      }
      case 'task_result':
        this.addResult(event, atMs);
        return;
      case 'item_result':
        for (const diff of event.diff ?? []) {
          const key = `${event.host}\u0000${event.task}`;
          const text = unifiedDiff(diff);
          if (text === '') continue;
          const list = this.itemDiffs.get(key) ?? [];
          list.push({ host: event.host, task: event.task, source: event.source, header: diff.header, diff: text, applied: this.applied(event.status) });
          this.itemDiffs.set(key, list);
        }
        return;
      case 'task_progress':
        this.addHost(event.host);
        if (event.waiting === true) this.waiting.set(event.host, { task: event.task, startMs: atMs });
        else if (event.waiting === false) this.endWait(event.host, atMs);
        else this.marksOf(event.host).push({ atMs, task: event.task, message: event.message });
        return;
      case 'host_unreachable':
        this.unreachableReasons.set(`${event.host}\u0000${event.task}`, event.reason);
        return;
      case 'warning':
        this.warnings.push(event.host === undefined ? event.msg : `${event.host}: ${event.msg}`);
        return;
      case 'recap':
        this.end = { hosts: event.hosts, durationMs: event.durationMs, exitCode: event.exitCode };
        for (const host of Object.keys(event.hosts)) this.addHost(host);
        return;
      case 'task_start':
      case 'handler_notified':
        return;
    }
  }

  /** The run as collected so far. */
  model(): RunModel {
    const untouched = [...this.untouched];
    const plays: PlayEntry[] = this.plays.map((play) => ({
      name: play.name,
      hosts: play.hosts,
      untouched: play.untouched,
      batches: play.open === undefined ? [...play.batches] : [...play.batches, { ...play.open, endMs: this.lastMs }],
    }));
    const timelines: HostTimeline[] = this.hosts.map((host) => {
      const spans = this.spans.get(host) ?? [];
      const open = this.waiting.get(host);
      const waits = [...(this.waits.get(host) ?? []), ...(open === undefined ? [] : [{ ...open, endMs: this.lastMs, open: true }])];
      const outcome = outcomeOf(this.end?.hosts[host], spans, untouched.includes(host), this.unfinished.has(host));
      return { host, spans, waits, marks: this.marks.get(host) ?? [], outcome };
    });
    return {
      playbook: this.playbook,
      startedAt: this.startedAt ?? this.clock(),
      check: this.check,
      hosts: [...this.hosts],
      plays,
      timelines,
      failures: [...this.failures],
      changes: [...this.changes],
      warnings: [...this.warnings],
      untouched,
      unfinished: [...this.unfinished],
      endMs: Math.max(this.lastMs, this.end?.durationMs ?? 0),
      end: this.end,
    };
  }

  /** Whether a result's diffs were applied: not in --check, not by a task that failed. */
  private applied(status: TaskResult['status']): boolean {
    return !this.check && status !== 'failed' && status !== 'unreachable';
  }

  private addHost(host: string): void {
    if (!this.hosts.includes(host)) this.hosts.push(host);
  }

  private currentPlay(): PlayState | undefined {
    return this.plays.at(-1);
  }

  private closeBatch(play: PlayState, atMs: number): void {
    if (play.open === undefined) return;
    play.batches.push({ ...play.open, endMs: atMs });
    play.open = undefined;
  }

  private endWait(host: string, atMs: number): void {
    const open = this.waiting.get(host);
    if (open === undefined) return;
    this.waiting.delete(host);
    const list = this.waits.get(host) ?? [];
    list.push({ ...open, endMs: atMs, open: false });
    this.waits.set(host, list);
  }

  private marksOf(host: string): ProgressMark[] {
    let list = this.marks.get(host);
    if (list === undefined) {
      list = [];
      this.marks.set(host, list);
    }
    return list;
  }

  private addResult(event: TaskResult, atMs: number): void {
    this.addHost(event.host);
    // A task's end ends any wait it left open (a timeout cut it short).
    this.endWait(event.host, atMs);
    let failureId: number | undefined;
    if (event.status === 'failed' || event.status === 'unreachable') {
      failureId = this.failures.length + 1;
      this.failures.push({
        id: failureId,
        host: event.host,
        task: event.task,
        status: event.status,
        msg: event.msg,
        stderr: event.stderr,
        stdout: event.stdout,
        rc: event.rc,
        source: event.source,
        atMs,
        ignored: event.ignored === true,
        rescued: event.rescued === true,
        reason: this.unreachableReasons.get(`${event.host}\u0000${event.task}`),
        explanation: event.explanation,
      });
    }
    const key = `${event.host}\u0000${event.task}`;
    const fromItems = this.itemDiffs.get(key) ?? [];
    this.itemDiffs.delete(key);
    const own = (event.diff ?? []).flatMap((diff) => {
      const text = unifiedDiff(diff);
      return text === '' ? [] : [{ host: event.host, task: event.task, source: event.source, header: diff.header, diff: text, applied: this.applied(event.status) }];
    });
    // A loop's items say one by one what was applied (the task's own list gathers the same diffs).
    this.changes.push(...(fromItems.length > 0 ? fromItems : own));
    const list = this.spans.get(event.host) ?? [];
    list.push({
      kind: (event.module === undefined ? undefined : spanKinds[event.module]) ?? 'task',
      task: event.task,
      status: event.status,
      startMs: Math.max(0, atMs - event.durationMs),
      endMs: atMs,
      durationMs: event.durationMs,
      source: event.source,
      module: event.module,
      ignored: event.ignored === true,
      rescued: event.rescued === true,
      failureId,
    });
    this.spans.set(event.host, list);
  }
}

/** The worst thing that happened to a host: the recap's counts when the run got that far. */
function outcomeOf(counts: RecapCounts | undefined, spans: readonly TaskSpan[], untouched: boolean, unfinished: boolean): HostOutcome {
  if (counts !== undefined) {
    if (counts.unreachable > 0) return 'unreachable';
    if (counts.failed > 0) return 'failed';
  } else {
    const worst = (status: TaskStatus) => spans.some((span) => span.status === status && !span.ignored && !span.rescued);
    if (worst('unreachable')) return 'unreachable';
    if (worst('failed')) return 'failed';
  }
  if (spans.length === 0 && untouched) return 'untouched';
  if (unfinished) return 'unfinished';
  if (counts !== undefined ? counts.changed > 0 : spans.some((span) => span.status === 'changed')) return 'changed';
  return 'ok';
}
