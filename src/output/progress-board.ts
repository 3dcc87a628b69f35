// What the human output says about tasks still running: for each, how many hosts are done, which
// are still at it, how long it has run and the last progress line a host reported (a kernel
// build's log line, a reboot wait, the step a module is on). The human reporter draws it in place
// on a terminal and prints it as a plain line every 30 s of a task without one.

/** Time for the progress display: read the clock, and call `tick` every `ms` until cancelled. */
export interface ProgressClock {
  now(): number;
  every(ms: number, tick: () => void): () => void;
}

/** The wall clock; its timer never keeps the process alive. */
export const systemProgressClock: ProgressClock = {
  now: () => Date.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms).unref();
    return () => clearInterval(timer);
  },
};

/** A task shows on a terminal once it has run this long (or reported progress, or some hosts are done). */
export const PROGRESS_SHOW_AFTER_MS = 1000;

/** Without a terminal, a task still running prints its progress line each time it has run this much longer. */
export const PROGRESS_PLAIN_EVERY_MS = 30_000;

/** Hosts named in "waiting on …" before the rest is elided. */
const WAITING_NAMED = 5;

interface RunningTask {
  readonly name: string;
  readonly pending: Set<string>;
  readonly total: number;
  readonly started: number;
  /** Hosts that dropped out of the run (unreachable) before finishing it. */
  lost: number;
  /** The last progress line any of its hosts reported, and that host. */
  last: { readonly host: string; readonly message: string } | undefined;
  /** How many plain lines (one per PROGRESS_PLAIN_EVERY_MS) were printed for it. */
  plainLines: number;
}

/** The tasks running now, keyed by task name and source (the same task of two plays is two tasks). */
export class ProgressBoard {
  private readonly tasks = new Map<string, RunningTask>();

  start(key: string, name: string, hosts: readonly string[], now: number): void {
    this.tasks.set(key, { name, pending: new Set(hosts), total: hosts.length, started: now, lost: 0, last: undefined, plainLines: 0 });
  }

  /** A progress line from `host` for the task called `name` (events name tasks, not sources). */
  progress(name: string, host: string, message: string): void {
    for (const task of this.tasks.values()) if (task.name === name && task.pending.has(host)) task.last = { host, message };
  }

  /** `host` finished the task `key`; the task leaves the board when no host is left. */
  done(key: string, host: string): void {
    const task = this.tasks.get(key);
    if (task === undefined) return;
    task.pending.delete(host);
    if (task.pending.size === 0) this.tasks.delete(key);
  }

  /** `host` is out of the run (unreachable): no task waits on it any more. */
  gone(host: string): void {
    for (const [key, task] of this.tasks) {
      if (!task.pending.delete(host)) continue;
      task.lost++;
      if (task.last?.host === host) task.last = undefined;
      if (task.pending.size === 0) this.tasks.delete(key);
    }
  }

  clear(): void {
    this.tasks.clear();
  }

  get empty(): boolean {
    return this.tasks.size === 0;
  }

  /**
   * The line a terminal shows now (empty when no task is worth showing yet), at most `columns`
   * long: what gives way first is the hosts named in "waiting on" beyond the first (long host
   * names, serial batches of many), then the end of the last progress line, then the first host's
   * name, and only then the label, its counts and the elapsed time, so a narrow terminal still
   * shows which task it is and how long it has run.
   */
  live(now: number, columns = Number.POSITIVE_INFINITY): string {
    const shown = [...this.tasks.values()].filter((task) => now - task.started >= PROGRESS_SHOW_AFTER_MS || task.last !== undefined || task.pending.size < task.total);
    const line = (named: number, message: number) => shown.map((task) => describe(task, now, named, message)).join(' | ');
    for (let named = WAITING_NAMED; named >= 1; named--) {
      const whole = line(named, Number.POSITIVE_INFINITY);
      if (whole.length <= columns) return whole;
    }
    const reporting = shown.filter((task) => task.last !== undefined).length;
    for (const named of [1, 0]) {
      const bare = line(named, 0);
      if (bare.length > columns) continue;
      // the last progress lines share what is left beside the labels, each clipped with …
      const room = Math.floor((columns - bare.length) / Math.max(1, reporting));
      return reporting > 0 && room > 4 ? line(named, room) : bare;
    }
    const bare = line(0, 0);
    return `${bare.slice(0, Math.max(0, columns - 1))}…`;
  }

  /** The plain lines due now: one per task that has run another PROGRESS_PLAIN_EVERY_MS since its last one. */
  due(now: number): string[] {
    const lines: string[] = [];
    for (const task of this.tasks.values()) {
      const periods = Math.floor((now - task.started) / PROGRESS_PLAIN_EVERY_MS);
      if (periods <= task.plainLines) continue;
      task.plainLines = periods;
      lines.push(describe(task, now));
    }
    return lines;
  }
}

/**
 * `[build kernel] 0/1 done, waiting on h1 (2 min 5 s) — h1: kernel build: >>> stage 3.1`, naming
 * at most `named` waiting hosts (`waiting on 3 hosts` when none) and at most `message` characters
 * of the last progress line (left out when 0).
 */
function describe(task: RunningTask, now: number, named = WAITING_NAMED, message = Number.POSITIVE_INFINITY): string {
  const waiting =
    named === 0
      ? `${task.pending.size} host${task.pending.size === 1 ? '' : 's'}`
      : [...task.pending].slice(0, named).join(', ') + (task.pending.size > named ? `, … (${task.pending.size - named} more)` : '');
  const text = task.last === undefined ? '' : ` — ${task.last.host}: ${task.last.message}`;
  const last = text.length <= message ? text : message === 0 ? '' : `${text.slice(0, message - 1)}…`;
  const lost = task.lost === 0 ? '' : `, ${task.lost} unreachable`;
  return `[${task.name}] ${task.total - task.pending.size - task.lost}/${task.total} done${lost}, waiting on ${waiting} (${elapsed(now - task.started)})${last}`;
}

/** `42 s`, `3 min 07 s`, `1 h 02 min`: a kernel build runs for an hour. */
export function elapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
