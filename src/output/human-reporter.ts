// Live human output, as ansible-playbook's default callback lays it out: a banner per play and
// task, one line per host as results arrive, failures with the tool's text and the task's
// file:line:column, what is still running (a line refreshed in place on a TTY, a plain line every
// 30 s of a long task without one: src/output/progress-board.ts), and the PLAY RECAP table.
import { terminalSafeValue } from './terminal-safe.js';
import { pyStr } from '../jinja/values.js';
import { pythonJson } from '../jinja/filters/serialize.js';
import { formatSourceRef } from '../source.js';
import type { Painter, Tone } from './colour.js';
import { painter } from './colour.js';
import type { Reporter, RunEvent, TaskStatus } from './events.js';
import type { FailureExplanation } from '../explain/failure-explanation.js';
import { banner, recapTable } from './recap-table.js';
import { ProgressBoard, systemProgressClock, type ProgressClock } from './progress-board.js';
import { unifiedDiff } from './unified-diff.js';

/** Where human output goes: a stream with an optional TTY flag. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Where and how the human reporter writes. */
export interface HumanReporterOptions {
  readonly out: OutputStream;
  /** Colour is on only for a TTY without NO_COLOR; the caller decides (see wantsColour). */
  readonly colour: boolean;
  /** 0 by default; -v = 1 shows notes, reasons and stdout; -vv = 2 adds stderr of ok tasks. */
  readonly verbosity: number;
  /** --diff: print each change's unified diff. */
  readonly diff: boolean;
  /** The progress display's time (tests pass a fake one); the wall clock by default. */
  readonly clock?: ProgressClock;
}

type TaskEvent = Extract<RunEvent, { event: 'task_result' | 'item_result' }>;

const labels: Readonly<Record<TaskStatus, string>> = {
  ok: 'ok',
  changed: 'changed',
  failed: 'fatal',
  skipped: 'skipping',
  unreachable: 'fatal',
};

/** How often the progress display looks at the clock (the TTY line's elapsed time moves by the second). */
const PROGRESS_TICK_MS = 1000;

/** How an item is named in `(item=…)`: Python's str() of it, as Ansible prints `{'name': 'vm_enable'}`. */
function itemLabel(item: unknown): string {
  return pyStr(item);
}

function indent(text: string, by = '    '): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => `${by}${line}`)
    .join('\n');
}

/** The human reporter. Holds only display state (banners printed, tasks still running, host warnings for the recap). */
export class HumanReporter implements Reporter {
  private readonly paint: Painter;
  private readonly live: boolean;
  private bannerKey: string | undefined;
  private readonly running = new ProgressBoard();
  private readonly clock: ProgressClock;
  private readonly itemsSeen = new Set<string>();
  /** `host: warning` lines of the run, printed again under the recap. */
  private readonly hostWarnings: string[] = [];
  private progressShown = false;
  /** A --check run: each planned change says what it would do, without -v. */
  private check = false;
  private stopTicker: (() => void) | undefined;

  constructor(private readonly options: HumanReporterOptions) {
    this.paint = painter(options.colour);
    this.live = options.out.isTTY === true;
    this.clock = options.clock ?? systemProgressClock;
  }

  emit(raw: RunEvent): void {
    // What hosts say is printed: its escape sequences are shown, never obeyed (terminal-safe.ts).
    const event = terminalSafeValue(raw);
    switch (event.event) {
      case 'run_start':
        this.check = event.check;
        return;
      case 'play_start':
        this.print(`\n${this.paint('header', banner(`PLAY [${event.play}]`))}`);
        this.bannerKey = undefined;
        return;
      case 'batch_start':
        if (this.options.verbosity > 0) this.print(this.paint('dim', `batch ${event.batch}: ${event.hosts.join(', ')}`));
        return;
      case 'task_start': {
        const key = this.taskKey(event.task, event.source);
        this.printBanner(key, event.task, event.handler);
        this.running.start(key, event.task, event.hosts, this.clock.now());
        this.redrawProgress();
        return;
      }
      case 'item_result':
        this.itemsSeen.add(`${this.taskKey(event.task, event.source)}\u0000${event.host}`);
        this.printResult(event);
        return;
      case 'task_result': {
        const key = this.taskKey(event.task, event.source);
        this.running.done(key, event.host);
        const itemKey = `${key}\u0000${event.host}`;
        // A looped task's items were printed one by one; its summary line only adds a failure.
        if (this.itemsSeen.delete(itemKey) && event.status !== 'failed') {
          this.redrawProgress();
          return;
        }
        this.printResult(event);
        return;
      }
      case 'task_progress': {
        this.running.progress(event.task, event.host, event.message);
        // -vvv prints every progress line (the commands run); below that a TTY only updates the progress line.
        if (this.options.verbosity >= 3 || (!this.live && this.options.verbosity > 0)) this.print(this.paint('dim', `[${event.host}] ${event.message}`));
        else if (this.live) this.redrawProgress();
        return;
      }
      case 'host_unreachable':
        this.running.gone(event.host);
        this.redrawProgress();
        return;
      case 'handler_notified':
        if (this.options.verbosity > 0) this.print(this.paint('dim', `NOTIFIED HANDLER ${event.handler} for ${event.host} (by ${event.by})`));
        return;
      case 'warning': {
        const where = event.source ? ` (${formatSourceRef(event.source)})` : '';
        const host = event.host ? ` [${event.host}]` : '';
        this.print(this.paint('warning', `[WARNING]${host}: ${event.msg}${where}`));
        if (event.host !== undefined) this.hostWarnings.push(`${event.host}: ${event.msg}`);
        return;
      }
      case 'play_end':
        this.running.clear();
        this.redrawProgress();
        if (event.untouched.length > 0) {
          this.print(this.paint('warning', `\nNOTE: these hosts were never touched: ${event.untouched.join(', ')}`));
        }
        return;
      case 'recap':
        this.running.clear();
        this.print(recapTable(event.hosts, this.paint).replace(/\n$/, ''));
        // What still needs a hand (a guest waiting for its restart…) stays in sight at the end of the run.
        if (this.hostWarnings.length > 0) this.print(this.paint('warning', `\nWARNINGS:\n${[...new Set(this.hostWarnings)].map((line) => `  ${line}`).join('\n')}`));
        return;
    }
  }

  close(): void {
    this.stopTicker?.();
    this.stopTicker = undefined;
    this.clearProgress();
  }

  private taskKey(task: string, source: { readonly file: string; readonly line: number; readonly column: number }): string {
    return `${task}\u0000${formatSourceRef(source)}`;
  }

  private printBanner(key: string, task: string, handler: boolean): void {
    if (this.bannerKey === key) return;
    this.bannerKey = key;
    this.print(`\n${this.paint('header', banner(`${handler ? 'RUNNING HANDLER' : 'TASK'} [${task}]`))}`);
  }

  private printResult(event: TaskEvent): void {
    const key = this.taskKey(event.task, event.source);
    if (this.bannerKey !== key) {
      // Free strategy: results of several tasks interleave; say again which task this is.
      this.bannerKey = key;
      this.print(`\n${this.paint('header', banner(`TASK [${event.task}]`))}`);
    }
    const lines: string[] = [];
    if (this.options.diff && event.diff) {
      for (const diff of event.diff) {
        const text = unifiedDiff(diff);
        if (text !== '') lines.push(this.colourDiff(text));
      }
    }
    const delegated = event.delegatedTo ?? event.jail;
    const host = delegated ? `${event.host} -> ${delegated}` : event.host;
    const item = event.event === 'item_result' || event.item !== undefined ? ` => (item=${itemLabel(event.item)})` : '';
    const tone: Tone = event.status;
    if (event.status === 'failed' || event.status === 'unreachable') {
      const ignored = event.event === 'task_result' && event.ignored === true;
      const what = event.status === 'failed' ? 'FAILED!' : 'UNREACHABLE!';
      lines.push(this.paint(tone, `${labels[event.status]}: [${host}]${item}: ${what} (${formatSourceRef(event.source)})`));
      const body = [event.msg];
      if (event.stderr && event.stderr.trim() !== '' && !event.msg.includes(event.stderr.trim())) body.push(`stderr: ${event.stderr.trim()}`);
      if (event.stdout && event.stdout.trim() !== '' && this.options.verbosity > 0) body.push(`stdout: ${event.stdout.trim()}`);
      lines.push(this.paint(tone, indent(body.join('\n'))));
      if (event.explanation !== undefined) lines.push(this.explanationLines(event.explanation));
      if (ignored) lines.push(this.paint('skipped', '...ignoring'));
    } else {
      let line = this.paint(tone, `${labels[event.status]}: [${host}]${item}`);
      if (event.module === 'include_tasks' && event.status === 'ok') {
        line = this.paint('skipped', `included: ${event.msg} for ${host}`);
      } else if (event.module === 'debug' && event.values !== undefined) {
        // as Ansible's callback dumps results: json.dumps(indent=4, sort_keys=True, ensure_ascii=False)
        line += this.paint(tone, ` => ${pythonJson(event.values, { indent: 4, sortKeys: true, ensureAscii: false })}`);
      } else if (this.check && event.status === 'changed' && event.msg !== '') {
        // --check shows every action the run would take (a jail restart, a guest restart), also without -v.
        line += this.paint(tone, ` => ${event.msg}`);
      } else if (this.options.verbosity > 0 && event.msg !== '') {
        line += this.paint('dim', ` => ${event.msg}`);
      }
      lines.push(line);
      if (this.options.verbosity > 0) {
        for (const note of event.notes ?? []) lines.push(this.paint('dim', `    note: ${note}`));
        if (event.stdout && event.stdout.trim() !== '') lines.push(this.paint('dim', indent(`stdout: ${event.stdout.trim()}`)));
        if (this.options.verbosity > 1 && event.stderr && event.stderr.trim() !== '') {
          lines.push(this.paint('dim', indent(`stderr: ${event.stderr.trim()}`)));
        }
      }
      // a text that tells of a failure although the command succeeded (a reversed patch), without -v too
      if (event.explanation !== undefined) lines.push(this.explanationLines(event.explanation));
    }
    this.print(lines.join('\n'));
  }

  private explanationLines(explanation: FailureExplanation): string {
    return this.paint('warning', indent(`cause: ${explanation.cause}\nfix: ${explanation.fix}\n(${explanation.id}; ${explanation.doc})`));
  }

  private colourDiff(text: string): string {
    return text
      .replace(/\n$/, '')
      .split('\n')
      .map((line) =>
        line.startsWith('+++') || line.startsWith('---') || line.startsWith('@@')
          ? this.paint('header', line)
          : line.startsWith('+')
            ? this.paint('added', line)
            : line.startsWith('-')
              ? this.paint('removed', line)
              : line,
      )
      .join('\n');
  }

  /** Print whole lines; the progress line (TTY only) is cleared first and drawn again after. */
  private print(text: string): void {
    this.clearProgress();
    this.options.out.write(`${text}\n`);
    this.redrawProgress();
  }

  private clearProgress(): void {
    if (!this.progressShown) return;
    this.options.out.write('\r\u001b[2K');
    this.progressShown = false;
  }

  /** Draw the TTY line again, and keep the clock ticking while a task runs (on a TTY or not). */
  private redrawProgress(): void {
    if (this.running.empty) {
      this.stopTicker?.();
      this.stopTicker = undefined;
    } else {
      this.stopTicker ??= this.clock.every(PROGRESS_TICK_MS, () => this.tick());
    }
    if (!this.live) return;
    this.clearProgress();
    // A pseudo-terminal may report 0 columns; fall back to a common width then. One column stays
    // free: a line that fills the last column wraps on some terminals, and \r then clears only its end.
    const reported = (this.options.out as { columns?: number }).columns;
    const columns = reported !== undefined && reported >= 40 ? reported : 120;
    const line = this.running.live(this.clock.now(), columns - 1);
    if (line === '') return;
    this.options.out.write(this.paint('dim', line));
    this.progressShown = true;
  }

  /** A second passed: the TTY line's time moves; without a TTY a long task's line is printed every 30 s. */
  private tick(): void {
    if (this.live) {
      this.redrawProgress();
      return;
    }
    for (const line of this.running.due(this.clock.now())) this.print(this.paint('dim', line));
  }
}
